package hinsim

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestTokenAnswerShape(t *testing.T) {
	h := newHarness(t)
	q := h.authorize("cmuster")
	a := h.token("", codeForm(q.Get("code"), testRedirectURI))
	if a.Status != 200 {
		t.Fatalf("status %d %s", a.Status, a.Raw)
	}
	if a.TokenType != "Bearer" || a.ExpiresIn != 3600 || a.HINID != "cmuster" || a.AccessToken == "" || a.RefreshToken == "" {
		t.Fatalf("answer %+v", a)
	}
	if !strings.HasPrefix(a.Header.Get("Content-Type"), "application/json") || a.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", a.Header)
	}
	// Like HIN's, tokens carry characters that need URL-encoding.
	for _, v := range []string{a.AccessToken, a.RefreshToken, q.Get("code")} {
		if !strings.Contains(v, "#") || !strings.Contains(v, "+") {
			t.Errorf("%q lacks '#' or '+'", v)
		}
	}
	info, err := h.sim.Introspect(a.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	want := TokenInfo{HINID: "cmuster", TokenGroup: testGroup, ClientID: testClientID, Expiry: h.clock.Now().Add(time.Hour)}
	if info != want {
		t.Errorf("introspect %+v, want %+v", info, want)
	}
	if s := h.sim.Stats(); s.AuthorizationCode != 1 || s.Issued != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestAuthorizationCodeRefusals(t *testing.T) {
	tests := []struct {
		name   string
		form   func(code string) url.Values
		status int
		errc   string
		spent  bool // the code no longer works afterwards
	}{
		{"wrong secret", func(c string) url.Values { f := codeForm(c, testRedirectURI); f.Set("client_secret", "x"); return f }, 403, "invalid_client", false},
		{"unknown client", func(c string) url.Values { f := codeForm(c, testRedirectURI); f.Set("client_id", "ch.x"); return f }, 403, "invalid_client", false},
		{"no secret", func(c string) url.Values { f := codeForm(c, testRedirectURI); f.Del("client_secret"); return f }, 400, "invalid_request", false},
		{"no code", func(string) url.Values { return codeForm("", testRedirectURI) }, 400, "invalid_request", false},
		{"unknown code", func(string) url.Values { return codeForm("forged", testRedirectURI) }, 400, "invalid_request", false},
		{"other client's code", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {testRedirectURI}, "client_id": {otherClientID}, "client_secret": {otherSecret}}
		}, 400, "invalid_request", false},
		{"wrong redirect_uri", func(c string) url.Values { return codeForm(c, testRedirectURI+"x") }, 400, "invalid_request", true},
		{"empty redirect_uri", func(c string) url.Values { return codeForm(c, "") }, 400, "invalid_request", true},
		{"client_credentials without group", func(string) url.Values { return ccForm(testDeviceID, testDeviceSec) }, 400, "invalid_request", false},
		{"unsupported grant", func(c string) url.Values {
			f := codeForm(c, testRedirectURI)
			f.Set("grant_type", "password")
			return f
		}, 400, "unsupported_grant_type", false},
		{"no grant", func(c string) url.Values { f := codeForm(c, testRedirectURI); f.Del("grant_type"); return f }, 400, "invalid_request", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			code := h.authorize("cmuster").Get("code")
			a := h.token("", tt.form(code))
			if a.Status != tt.status || a.Error != tt.errc {
				t.Fatalf("got %d %s, want %d %s", a.Status, a.Raw, tt.status, tt.errc)
			}
			if a.AccessToken != "" {
				t.Fatal("refusal carries a token")
			}
			again := h.token("", codeForm(code, testRedirectURI))
			if spent := again.Status != 200; spent != tt.spent {
				t.Fatalf("spent = %v after refusal (%d)", spent, again.Status)
			}
		})
	}
}

func TestCodeSingleUseAndExpiry(t *testing.T) {
	h := newHarness(t)
	code := h.authorize("cmuster").Get("code")
	if a := h.token("", codeForm(code, testRedirectURI)); a.Status != 200 {
		t.Fatalf("first use %d", a.Status)
	}
	if a := h.token("", codeForm(code, testRedirectURI)); a.Status != 400 || a.Error != "invalid_request" {
		t.Fatalf("second use %d %s", a.Status, a.Raw)
	}
	code = h.authorize("cmuster").Get("code")
	h.clock.Advance(10 * time.Minute)
	if a := h.token("", codeForm(code, testRedirectURI)); a.Status != 400 {
		t.Fatalf("expired code: %d", a.Status)
	}
}

func TestBasicAuthentication(t *testing.T) {
	h := newHarness(t)
	post := func(form url.Values, user, pass string) int {
		req, _ := http.NewRequest(http.MethodPost, h.sim.TokenURL(), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(user, pass)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	form := func(code string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirectURI}}
	}
	// RFC 6749 2.3.1: id and secret are form-encoded inside Basic.
	if got := post(form(h.authorize("cmuster").Get("code")), url.QueryEscape(testClientID), url.QueryEscape(testSecret)); got != 200 {
		t.Errorf("basic: %d", got)
	}
	if got := post(form(h.authorize("cmuster").Get("code")), testClientID, "wrong"); got != 403 {
		t.Errorf("basic, wrong secret: %d", got)
	}
	both := form(h.authorize("cmuster").Get("code"))
	both.Set("client_secret", testSecret)
	if got := post(both, testClientID, url.QueryEscape(testSecret)); got != 400 {
		t.Errorf("basic and form: %d", got)
	}
}

func TestTokenEndpointTransport(t *testing.T) {
	h := newHarness(t)
	resp, err := http.Get(h.sim.TokenURL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET: %d", resp.StatusCode)
	}
	// Parameters in the query string are ignored: secrets stay out of URLs.
	code := h.authorize("cmuster").Get("code")
	resp, err = http.Post(h.sim.TokenURL()+"?"+codeForm(code, testRedirectURI).Encode(), "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("query parameters: %d", resp.StatusCode)
	}
	big := strings.NewReader("grant_type=" + strings.Repeat("x", maxFormBytes+1))
	resp, err = http.Post(h.sim.TokenURL(), "application/x-www-form-urlencoded", big)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("oversized body: %d", resp.StatusCode)
	}
}

func TestRefreshRotates(t *testing.T) {
	h := newHarness(t)
	first := h.token("", codeForm(h.authorize("cmuster").Get("code"), testRedirectURI))
	h.clock.Advance(2 * time.Hour) // the access token expired; the refresh token did not
	if _, err := h.sim.Introspect(first.AccessToken); !errors.Is(err, ErrExpiredToken) {
		t.Fatalf("introspect expired: %v", err)
	}
	second := h.token("", refreshForm(first.RefreshToken))
	if second.Status != 200 || second.HINID != "cmuster" || second.RefreshToken == first.RefreshToken || second.AccessToken == first.AccessToken {
		t.Fatalf("refresh: %d %s", second.Status, second.Raw)
	}
	if info, err := h.sim.Introspect(second.AccessToken); err != nil || info.TokenGroup != testGroup {
		t.Fatalf("introspect %+v %v", info, err)
	}
	// The spent refresh token is refused.
	if a := h.token("", refreshForm(first.RefreshToken)); a.Status != 400 || a.Error != "invalid_grant" {
		t.Fatalf("reuse: %d %s", a.Status, a.Raw)
	}
	if a := h.token("", refreshForm(second.RefreshToken)); a.Status != 200 {
		t.Fatalf("successor: %d", a.Status)
	}
	if s := h.sim.Stats(); s.RefreshToken != 3 || s.Issued != 3 {
		t.Errorf("stats %+v", s)
	}
}

func TestRefreshRefusals(t *testing.T) {
	tests := []struct {
		name    string
		advance time.Duration
		form    func(rt string) url.Values
		status  int
		errc    string
	}{
		{"expired refresh token", 30*24*time.Hour + time.Second, refreshForm, 400, "invalid_grant"},
		{"unknown refresh token", 0, func(string) url.Values { return refreshForm("forged#+") }, 400, "invalid_grant"},
		{"missing refresh token", 0, func(string) url.Values { return refreshForm("") }, 400, "invalid_request"},
		{"another client", 0, func(rt string) url.Values {
			return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {otherClientID}, "client_secret": {otherSecret}}
		}, 400, "invalid_grant"},
		{"wrong secret", 0, func(rt string) url.Values { f := refreshForm(rt); f.Set("client_secret", "no"); return f }, 403, "invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			a := h.token("", codeForm(h.authorize("cmuster").Get("code"), testRedirectURI))
			h.clock.Advance(tt.advance)
			got := h.token("", tt.form(a.RefreshToken))
			if got.Status != tt.status || got.Error != tt.errc {
				t.Fatalf("got %d %s, want %d %s", got.Status, got.Raw, tt.status, tt.errc)
			}
		})
	}
}

func TestClientCredentials(t *testing.T) {
	h := newHarness(t)
	a := h.token(testGroup, ccForm(testDeviceID, testDeviceSec))
	if a.Status != 200 || a.HINID != testDeviceID || a.AccessToken == "" {
		t.Fatalf("%d %s", a.Status, a.Raw)
	}
	info, err := h.sim.Introspect(a.AccessToken)
	if err != nil || !info.ClientCredentials || info.TokenGroup != testGroup {
		t.Fatalf("introspect %+v %v", info, err)
	}
	// Faster than 0.3 per second with the same secret: refused, visibly.
	h.clock.Advance(3 * time.Second)
	limited := h.token(testGroup, ccForm(testDeviceID, testDeviceSec))
	if limited.Status != http.StatusTooManyRequests || limited.Error != "rate_limited" || limited.Header.Get("Retry-After") != "1" {
		t.Fatalf("second request: %d %s retry %q", limited.Status, limited.Raw, limited.Header.Get("Retry-After"))
	}
	// Another device's secret has its own budget.
	if b := h.token(otherGroup, ccForm(otherDeviceID, otherDeviceSec)); b.Status != 200 || b.HINID != "acsdevice" {
		t.Fatalf("other device: %d %s", b.Status, b.Raw)
	}
	h.clock.Advance(400 * time.Millisecond)
	if c := h.token(testGroup, ccForm(testDeviceID, testDeviceSec)); c.Status != 200 {
		t.Fatalf("after the interval: %d %s", c.Status, c.Raw)
	}
	if s := h.sim.Stats(); s.ClientCredentials != 4 || s.Issued != 3 {
		t.Errorf("stats %+v", s)
	}
}

func TestClientCredentialsRefusals(t *testing.T) {
	tests := []struct {
		name   string
		group  string
		form   url.Values
		status int
		errc   string
	}{
		{"unknown group", "nope", ccForm(testDeviceID, testDeviceSec), 404, "unauthorized_client"},
		{"wrong secret", testGroup, ccForm(testDeviceID, "nope"), 403, "invalid_client"},
		{"unknown device", testGroup, ccForm("ch.nobody", "x"), 403, "invalid_client"},
		{"grant-flow client", testGroup, ccForm(testClientID, testSecret), 403, "invalid_client"},
		{"device of another group", otherGroup, ccForm(testDeviceID, testDeviceSec), 403, "invalid_client"},
		{"wrong grant type", testGroup, url.Values{"grant_type": {"authorization_code"}, "client_id": {testDeviceID}, "client_secret": {testDeviceSec}}, 400, "unsupported_grant_type"},
		{"no secret", testGroup, url.Values{"grant_type": {"client_credentials"}, "client_id": {testDeviceID}}, 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			a := h.token(tt.group, tt.form)
			if a.Status != tt.status || a.Error != tt.errc {
				t.Fatalf("got %d %s, want %d %s", a.Status, a.Raw, tt.status, tt.errc)
			}
			// A refusal does not use up the secret's budget.
			if ok := h.token(testGroup, ccForm(testDeviceID, testDeviceSec)); ok.Status != 200 {
				t.Fatalf("good request after refusal: %d", ok.Status)
			}
		})
	}
}

func TestDeviceRefresh(t *testing.T) {
	h := newHarness(t)
	a := h.token(testGroup, ccForm(testDeviceID, testDeviceSec))
	f := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {a.RefreshToken}, "client_id": {testDeviceID}, "client_secret": {testDeviceSec}}
	b := h.token("", f)
	if b.Status != 200 || b.HINID != testDeviceID {
		t.Fatalf("%d %s", b.Status, b.Raw)
	}
	if info, _ := h.sim.Introspect(b.AccessToken); !info.ClientCredentials {
		t.Error("refreshed device token lost its kind")
	}
}

func TestIntrospectAndRevoke(t *testing.T) {
	h := newHarness(t)
	if _, err := h.sim.Introspect("nope"); !errors.Is(err, ErrUnknownToken) {
		t.Fatalf("unknown: %v", err)
	}
	a := h.token(testGroup, ccForm(testDeviceID, testDeviceSec))
	if !h.sim.RevokeAccessToken(a.AccessToken) {
		t.Fatal("revoke reported a dead token")
	}
	if _, err := h.sim.Introspect(a.AccessToken); !errors.Is(err, ErrUnknownToken) {
		t.Fatalf("revoked: %v", err)
	}
	if h.sim.RevokeAccessToken(a.AccessToken) {
		t.Fatal("revoked twice")
	}
}

func TestShortTTLs(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.AccessTokenTTL = 2 * time.Second; c.RefreshTokenTTL = time.Minute })
	a := h.token(testGroup, ccForm(testDeviceID, testDeviceSec))
	if a.ExpiresIn != 2 {
		t.Fatalf("expires_in %d", a.ExpiresIn)
	}
	h.clock.Advance(2 * time.Second)
	if _, err := h.sim.Introspect(a.AccessToken); !errors.Is(err, ErrExpiredToken) {
		t.Fatalf("%v", err)
	}
}

func TestGrantsPruned(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.ClientCredentialsInterval = time.Nanosecond })
	for range minPrune {
		h.clock.Advance(time.Millisecond)
		if a := h.token(testGroup, ccForm(testDeviceID, testDeviceSec)); a.Status != 200 {
			t.Fatalf("%d", a.Status)
		}
	}
	h.clock.Advance(31 * 24 * time.Hour)
	h.token(testGroup, ccForm(testDeviceID, testDeviceSec))
	h.sim.mu.Lock()
	n := len(h.sim.grants.access) + len(h.sim.grants.refresh)
	h.sim.mu.Unlock()
	if n != 2 {
		t.Fatalf("%d grants kept", n)
	}
}
