package pscsim_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// Requests that cannot be trusted to go back to the client answer a page,
// never a redirect: the provider must not be an open redirector.
func TestAuthorizationErrorsWithoutRedirect(t *testing.T) {
	t.Parallel()
	e := start(t)
	for name, q := range map[string]url.Values{
		"unknown client":                   authRequest("client_id", "stranger"),
		"no client":                        with(authRequest(), "client_id", ""),
		"unregistered redirect URI":        authRequest("redirect_uri", "https://evil.example/callback"),
		"redirect URI differing by prefix": authRequest("redirect_uri", redirect+"/../evil"),
		"redirect URI with extra query":    authRequest("redirect_uri", redirect+"?next=https://evil.example"),
	} {
		pg := get(t, e.authURL(q))
		if pg.status != http.StatusBadRequest || pg.header.Get("Location") != "" || !strings.Contains(pg.body, `data-testid="psc-error"`) {
			t.Errorf("%s: %d, Location %q", name, pg.status, pg.header.Get("Location"))
		}
	}
}

// Errors about the request itself go back to the registered redirect URI
// with error, the state and the issuer.
func TestAuthorizationErrorsRedirected(t *testing.T) {
	t.Parallel()
	e := start(t)
	for _, tc := range []struct {
		name  string
		q     url.Values
		error string
	}{
		{"implicit flow", authRequest("response_type", "token"), "unsupported_response_type"},
		{"no response type", with(authRequest(), "response_type", ""), "unsupported_response_type"},
		{"scope without openid", authRequest("scope", "profile scope_all"), "invalid_scope"},
		{"unknown PKCE method", authRequest("code_challenge", strings.Repeat("a", 43), "code_challenge_method", "S512"), "invalid_request"},
		{"short PKCE challenge", authRequest("code_challenge", "abc", "code_challenge_method", "S256"), "invalid_request"},
		{"PKCE challenge with bad characters", authRequest("code_challenge", strings.Repeat("a", 42)+"/", "code_challenge_method", "S256"), "invalid_request"},
		{"unknown acr", authRequest("acr_values", "eidas9"), "invalid_request"},
		{"prompt=none without a session", authRequest("prompt", "none"), "login_required"},
	} {
		pg := get(t, e.authURL(tc.q))
		if pg.status != http.StatusFound {
			t.Errorf("%s: status %d", tc.name, pg.status)
			continue
		}
		loc := pg.location(t)
		q := loc.Query()
		if loc.Scheme+"://"+loc.Host+loc.Path != redirect || q.Get("error") != tc.error || q.Get("state") != "st" || q.Get("iss") != e.issuer || q.Get("code") != "" {
			t.Errorf("%s: %v", tc.name, loc)
		}
	}
}

func TestCardPageSignsIn(t *testing.T) {
	t.Parallel()
	e := start(t)
	pending := e.pendingID(t, authRequest())
	pg := get(t, e.authURL(authRequest()))
	for _, want := range []string{"Environnement de test", "e-CPS / carte CPS de test", "VIRGINIE MEDECIN", virginie, `data-testid="psc-card-` + virginie + `"`, `type="password"`} {
		if !strings.Contains(pg.body, want) {
			t.Errorf("the e-CPS page lacks %q", want)
		}
	}
	back := e.choose(t, pending, virginie, pscsim.CardCode, "sign-in")
	q := back.location(t).Query()
	if q.Get("code") == "" || q.Get("state") != "st" || q.Get("iss") != e.issuer || back.header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("callback %v", q)
	}
	if len(e.p.Sessions()) != 1 {
		t.Errorf("sessions %v", e.p.Sessions())
	}
	// The form was for one sign-in only.
	if again := e.choose(t, pending, virginie, pscsim.CardCode, "sign-in"); again.status != http.StatusBadRequest || again.header.Get("Location") != "" {
		t.Errorf("a pending request served twice: %d", again.status)
	}
}

func TestCardPageRefusals(t *testing.T) {
	t.Parallel()
	e := start(t)
	pending := e.pendingID(t, authRequest())

	// A wrong card code: the page again, with the error, nothing issued.
	pg := e.choose(t, pending, virginie, "0000", "sign-in")
	if pg.status != http.StatusUnprocessableEntity || !strings.Contains(pg.body, `data-testid="psc-error"`) || !strings.Contains(pg.body, pending) ||
		!strings.Contains(pg.body, `value="`+virginie+`" checked`) || len(e.p.Sessions()) != 0 {
		t.Errorf("wrong code: %d, sessions %v", pg.status, e.p.Sessions())
	}
	// No card, or one the provider does not know.
	for _, idNat := range []string{"", "899999999999"} {
		if pg := e.choose(t, pending, idNat, pscsim.CardCode, "sign-in"); pg.status != http.StatusUnprocessableEntity || pg.header.Get("Location") != "" {
			t.Errorf("card %q: %d", idNat, pg.status)
		}
	}
	// A forged or unknown pending id cannot produce a code.
	for _, forged := range []string{"", "forged", pending + "x"} {
		if pg := e.choose(t, forged, virginie, pscsim.CardCode, "sign-in"); pg.status != http.StatusBadRequest || pg.header.Get("Location") != "" {
			t.Errorf("pending %q: %d", forged, pg.status)
		}
	}
	// The request expires after ten minutes.
	e.clock.Advance(11 * time.Minute)
	if pg := e.choose(t, pending, virginie, pscsim.CardCode, "sign-in"); pg.status != http.StatusBadRequest || len(e.p.Sessions()) != 0 {
		t.Errorf("expired request: %d", pg.status)
	}
}

func TestCancelAnswersAccessDenied(t *testing.T) {
	t.Parallel()
	e := start(t)
	pg := e.choose(t, e.pendingID(t, authRequest()), "", "", "cancel")
	q := pg.location(t).Query()
	if q.Get("error") != "access_denied" || q.Get("state") != "st" || q.Get("iss") != e.issuer || q.Get("code") != "" || len(e.p.Sessions()) != 0 {
		t.Errorf("cancel: %v", q)
	}
}

func TestStateIsLeftOutWhenNotSent(t *testing.T) {
	t.Parallel()
	e := start(t)
	q := e.callback(t, with(authRequest(), "state", ""))
	if _, ok := q["state"]; ok || q.Get("code") == "" {
		t.Errorf("callback %v", q)
	}
}

func TestPageLanguage(t *testing.T) {
	t.Parallel()
	e := start(t)
	for _, tc := range []struct {
		uiLocales, acceptLanguage, lang, phrase string
	}{
		{"", "", "fr", "Environnement de test"},
		{"", "de-CH,de;q=0.9", "de", "Testumgebung"},
		{"", "en-GB,en;q=0.8", "en", "Test environment"},
		{"", "it-CH", "fr", "Environnement de test"},
		{"de", "en", "de", "Testumgebung"},
		{"en-US fr", "de", "en", "Test environment"},
		{"x", "", "fr", "Environnement de test"},
	} {
		q := authRequest()
		if tc.uiLocales != "" {
			q.Set("ui_locales", tc.uiLocales)
		}
		pg := get(t, e.authURL(q), "Accept-Language", tc.acceptLanguage)
		if !strings.Contains(pg.body, `<html lang="`+tc.lang+`"`) || !strings.Contains(pg.body, tc.phrase) {
			t.Errorf("ui_locales %q, Accept-Language %q: want %s", tc.uiLocales, tc.acceptLanguage, tc.lang)
		}
	}
	// The language sticks to the request through a wrong code.
	pending := e.pendingID(t, authRequest("ui_locales", "de"))
	if pg := e.choose(t, pending, virginie, "9999", "sign-in"); !strings.Contains(pg.body, "Falscher Code") {
		t.Error("the error page forgot the language")
	}
}

// The pages load nothing but the simulator's stylesheet, run no script,
// and let their form lead only back to the client.
func TestPageSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := start(t)
	pg := get(t, e.authURL(authRequest()))
	csp := pg.header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "style-src 'self'", "form-action 'self' https://rp.example;", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(pg.body, "<style") || strings.Contains(pg.body, "<script") || strings.Contains(pg.body, " style=") {
		t.Error("inline style or script on the e-CPS page")
	}
	if !strings.Contains(pg.body, `href="`+realmPath+`/resources/pscsim.css"`) {
		t.Error("the page does not link the stylesheet")
	}
	css := get(t, e.issuer+"/resources/pscsim.css")
	if css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || !strings.Contains(css.body, ".env") {
		t.Errorf("stylesheet: %d %q", css.status, css.header.Get("Content-Type"))
	}
	if pg.header.Get("Cache-Control") != "no-store" || pg.header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers %v", pg.header)
	}
}

func TestAuthorizeMethods(t *testing.T) {
	t.Parallel()
	e := start(t)
	req, _ := http.NewRequest(http.MethodPut, e.authURL(authRequest()), nil)
	if pg := do(t, req); pg.status != http.StatusMethodNotAllowed {
		t.Errorf("PUT: %d", pg.status)
	}
}
