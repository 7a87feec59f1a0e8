package pscsim_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

const fuzzIssuer = "https://psc.example/auth/realms/esante-wallet"

func fuzzProvider(f *testing.F) *pscsim.Provider {
	p, err := pscsim.New(pscsim.Config{Issuer: fuzzIssuer, KeyFile: keyFile, Professionals: []pscsim.Professional{{IDNat: virginie, Claims: map[string]any{"given_name": "VIRGINIE"}}},
		Clients: []pscsim.Client{{ID: clientID, Secret: secret, RedirectURIs: []string{redirect}}}, SlowDelay: time.Millisecond})
	if err != nil {
		f.Fatal(err)
	}
	return p
}

// checkAnswer: whatever the browser sends, the provider answers without
// failing and redirects only to the registered redirect URI.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	if rec.Code >= 500 {
		t.Fatalf("status %d", rec.Code)
	}
	if loc := rec.Header().Get("Location"); loc != "" && !strings.HasPrefix(loc, redirect+"?") {
		t.Fatalf("redirect to %q", loc)
	}
}

// FuzzAuthorizeRequest sends any query to the authorization endpoint.
func FuzzAuthorizeRequest(f *testing.F) {
	for _, seed := range []string{
		authRequest().Encode(),
		authRequest("redirect_uri", "https://evil.example/").Encode(),
		authRequest("code_challenge", strings.Repeat("a", 43), "code_challenge_method", "S256", "ui_locales", "de").Encode(),
		"client_id=rp&redirect_uri=https%3A%2F%2Frp.example%2Fcallback&acr_values=%20",
		"client_id=rp&redirect_uri=https%3A%2F%2Frp.example%2Fcallback&response_type=code&scope=openid&ui_locales=%C3",
		"%zz&&==;",
	} {
		f.Add(seed)
	}
	p := fuzzProvider(f)
	f.Fuzz(func(t *testing.T, rawQuery string) {
		req := httptest.NewRequest(http.MethodGet, fuzzIssuer+"/protocol/openid-connect/auth", nil)
		req.URL.RawQuery = rawQuery
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, req)
		checkAnswer(t, rec)
	})
}

// FuzzCardForm posts any form to the e-CPS page.
func FuzzCardForm(f *testing.F) {
	for _, seed := range []string{
		"pending=x&professional=899700218896&code=1234&action=sign-in",
		"action=cancel",
		"pending=&code=%",
		"\x00\xff",
	} {
		f.Add(seed)
	}
	p := fuzzProvider(f)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, fuzzIssuer+"/protocol/openid-connect/auth", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, req)
		checkAnswer(t, rec)
		if rec.Header().Get("Location") != "" {
			t.Fatal("a form without a pending request produced a redirect")
		}
	})
}

// FuzzLoadProfessionals reads any file as test identities: an error or
// identities the provider accepts, never a panic.
func FuzzLoadProfessionals(f *testing.F) {
	for _, seed := range []string{
		`[{"idNat":"899700218896","label":"x","claims":{"SubjectNameID":"899700218896"}}]`,
		`[{"idNat":"1","claims":{"SubjectRefPro":{"exercices":[{"activities":[null]}]}}}]`,
		`[{"idNat":"","claims":null}]`,
		`{}`, `[]`, `null`, `[null]`,
	} {
		f.Add([]byte(seed))
	}
	// The shared key file: generating a key for each run would make
	// fuzzing crawl.
	f.Fuzz(func(t *testing.T, raw []byte) {
		pros, err := pscsim.LoadProfessionals(fstest.MapFS{"p.json": {Data: raw}}, "p.json")
		if err != nil {
			return
		}
		for _, p := range pros {
			_ = p.DisplayName()
		}
		if _, err := pscsim.New(pscsim.Config{Issuer: fuzzIssuer, KeyFile: keyFile, Professionals: pros}); err != nil {
			t.Fatalf("loaded identities refused: %v", err)
		}
	})
}

// fuzzPost posts body to path with the client's Basic credentials.
func fuzzPost(p *pscsim.Provider, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, fuzzIssuer+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	rec := httptest.NewRecorder()
	p.ServeHTTP(rec, req)
	return rec
}

// FuzzCIBARequest sends any form to the backchannel authentication
// endpoint, then polls with what it answered: a JSON answer, never a
// failure, and an auth_req_id only for a well-formed request.
func FuzzCIBARequest(f *testing.F) {
	for _, seed := range []string{
		cibaRequest().Encode(),
		cibaRequest("channel", "CARD", "binding_message", "00").Encode(),
		cibaRequest("binding_message", "４２").Encode(),
		"login_hint=899700218896&scope=openid&binding_message=1&channel=card",
		"scope=openid&scope=openid&login_hint=899700218896&binding_message=42&channel=MOBILE",
		"%zz&&==;",
	} {
		f.Add(seed)
	}
	p := fuzzProvider(f)
	f.Fuzz(func(t *testing.T, body string) {
		rec := fuzzPost(p, "/protocol/openid-connect/ext/ciba/auth", body)
		if rec.Code >= 500 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("not JSON: %q", rec.Body.String())
		}
		id, _ := m["auth_req_id"].(string)
		if rec.Code == http.StatusOK {
			v, _ := url.ParseQuery(body)
			if v.Get("binding_message") == "" || (v.Get("channel") != "CARD" && v.Get("channel") != "MOBILE") || id == "" {
				t.Fatalf("accepted %q: %v", body, m)
			}
		}
		poll := fuzzPost(p, "/protocol/openid-connect/token", url.Values{"grant_type": {"urn:openid:params:grant-type:ciba"}, "auth_req_id": {id}}.Encode())
		if poll.Code != http.StatusBadRequest {
			t.Fatalf("poll of an unanswered request: %d", poll.Code)
		}
	})
}

// FuzzIntrospectForm sends any form to the introspection endpoint: never
// active for a token the provider did not issue.
func FuzzIntrospectForm(f *testing.F) {
	for _, seed := range []string{"token=abc", "token=abc&token_type_hint=refresh_token", "", "token=%", "\x00"} {
		f.Add(seed)
	}
	p := fuzzProvider(f)
	f.Fuzz(func(t *testing.T, body string) {
		rec := fuzzPost(p, "/protocol/openid-connect/token/introspect", body)
		if rec.Code >= 500 || strings.Contains(rec.Body.String(), `"active":true`) {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	})
}

// FuzzECPSAppForm posts any form to the e-CPS app page.
func FuzzECPSAppForm(f *testing.F) {
	for _, seed := range []string{"idnat=899700218896&req=x&action=approve", "action=refuse", "idnat=%", "\xff"} {
		f.Add(seed)
	}
	p := fuzzProvider(f)
	f.Fuzz(func(t *testing.T, body string) {
		rec := fuzzPost(p, "/sandbox/ecps-app", body)
		if rec.Code >= 500 || rec.Header().Get("Location") != "" {
			t.Fatalf("%d %v", rec.Code, rec.Header())
		}
	})
}
