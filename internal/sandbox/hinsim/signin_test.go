package hinsim

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAuthorizeRefusesWithoutRedirect(t *testing.T) {
	h := newHarness(t)
	with := func(k, v string) url.Values {
		q := goodAuthorize()
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	tests := []struct {
		name   string
		group  string
		query  url.Values
		status int
		text   string
	}{
		{"unknown group", "nope", goodAuthorize(), 404, "Groupe de jetons inconnu"},
		{"empty group", "", goodAuthorize(), 404, "Groupe de jetons inconnu"},
		{"group case matters", "HIN_COVERCARD", goodAuthorize(), 404, "Groupe de jetons inconnu"},
		{"unknown client", testGroup, with("client_id", "ch.intruder"), 400, "Application inconnue"},
		{"missing client", testGroup, with("client_id", ""), 400, "Application inconnue"},
		{"client not allowed for group", otherGroup, goodAuthorize(), 403, "pas accès"},
		{"unregistered redirect", testGroup, with("redirect_uri", "https://evil.example/cb"), 400, "redirect_uri"},
		{"redirect prefix", testGroup, with("redirect_uri", testRedirectURI+"/x"), 400, "redirect_uri"},
		{"missing redirect", testGroup, with("redirect_uri", ""), 400, "redirect_uri"},
		{"missing state", testGroup, with("state", ""), 400, "state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, doc := h.get(h.authorizeURL(tt.group, tt.query))
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if loc := resp.Header.Get("Location"); loc != "" {
				t.Errorf("redirected to %q", loc)
			}
			if got := doc.Find(`[data-testid="hin-error"]`).Text(); !strings.Contains(got, tt.text) {
				t.Errorf("error %q, want %q", got, tt.text)
			}
			if doc.Find("form").Length() != 0 {
				t.Error("error page offers a form")
			}
		})
	}
}

func TestAuthorizeBadResponseTypeGoesBack(t *testing.T) {
	h := newHarness(t)
	q := goodAuthorize()
	q.Set("response_type", "token")
	resp, _ := h.get(h.authorizeURL(testGroup, q))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("error") != "unsupported_response_type" || loc.Query().Get("state") != "st-123" {
		t.Fatalf("location %s", loc)
	}
}

func TestAuthorizeMethod(t *testing.T) {
	h := newHarness(t)
	resp, _ := h.post("/sandbox/hin/REST/v1/OAuth/GetAuthCode/"+testGroup, goodAuthorize())
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" {
		t.Fatalf("status %d allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestGrantFlowYes(t *testing.T) {
	h := newHarness(t)
	resp, doc := h.get(h.authorizeURL(testGroup, goodAuthorize()))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if !strings.Contains(doc.Find(`[data-testid="hin-test-banner"]`).Text(), "test") {
		t.Error("sign-in page not labelled as a test environment")
	}
	for _, id := range testIdentities {
		if doc.Find(`[data-testid="hin-identity-`+id.HINID+`"]`).Length() != 1 {
			t.Errorf("identity %s not offered", id.HINID)
		}
	}
	if ctx := doc.Find(`[data-testid="hin-signin-context"]`).Text(); !strings.Contains(ctx, "InfoPatient") || !strings.Contains(ctx, testGroup) {
		t.Errorf("sign-in context %q", ctx)
	}
	action, pending := formOf(t, doc)
	resp, doc = h.post(action, url.Values{"pending": {pending}, "hin_id": {"cmuster"}})
	if resp.StatusCode != 200 {
		t.Fatalf("sign-in status %d", resp.StatusCode)
	}
	question := doc.Find(`[data-testid="hin-consent-question"]`).Text()
	for _, want := range []string{"InfoPatient", testGroup, "cmuster"} {
		if !strings.Contains(question, want) {
			t.Errorf("consent question %q lacks %q", question, want)
		}
	}
	action, pending2 := formOf(t, doc)
	if pending2 != pending {
		t.Error("consent form not bound to the sign-in")
	}
	resp, _ = h.post(action, url.Values{"pending": {pending}, "decision": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("consent status %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	q := loc.Query()
	if q.Get("state") != "st-123" || q.Get("code") == "" || q.Get("error") != "" {
		t.Fatalf("callback %s", loc)
	}
	// The code survives the trip through the query string intact.
	a := h.token("", codeForm(q.Get("code"), testRedirectURI))
	if a.Status != 200 || a.HINID != "cmuster" {
		t.Fatalf("exchange: %d %s", a.Status, a.Raw)
	}
	// The consent was answered: the same form cannot be answered again.
	resp, _ = h.post(action, url.Values{"pending": {pending}, "decision": {"yes"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("second answer: status %d", resp.StatusCode)
	}
}

func TestGrantFlowNo(t *testing.T) {
	h := newHarness(t)
	action, pending := h.signInTo("aakeret")
	resp, _ := h.post(action, url.Values{"pending": {pending}, "decision": {"no"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	q := loc.Query()
	if q.Get("error") != "access_denied" || q.Get("state") != "st-123" || q.Get("code") != "" {
		t.Fatalf("callback %s", loc)
	}
	if s := h.sim.Stats(); s.Issued != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestRedirectKeepsRegisteredQuery(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Clients[1].TokenGroups = []string{otherGroup} })
	q := url.Values{"response_type": {"code"}, "client_id": {otherClientID}, "redirect_uri": {"https://other.example/cb?x=1"}, "state": {"s"}}
	resp, doc := h.get(h.authorizeURL(otherGroup, q))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	action, pending := formOf(t, doc)
	_, doc = h.post(action, url.Values{"pending": {pending}, "hin_id": {"cmuster"}})
	action, pending = formOf(t, doc)
	resp, _ = h.post(action, url.Values{"pending": {pending}, "decision": {"yes"}})
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("x") != "1" || loc.Query().Get("code") == "" {
		t.Fatalf("callback %s", loc)
	}
}

func TestCallbackCodeSpelling(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.CallbackCodeParam = "Code" })
	q := h.authorize("cmuster")
	if q.Get("Code") == "" || q.Get("code") != "" {
		t.Fatalf("callback %v", q)
	}
}

func TestSignInRefusals(t *testing.T) {
	h := newHarness(t)
	_, doc := h.get(h.authorizeURL(testGroup, goodAuthorize()))
	action, pending := formOf(t, doc)

	resp, doc := h.post(action, url.Values{"pending": {pending}, "hin_id": {"nobody"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(doc.Find(`[data-testid="hin-error"]`).Text(), "Identité inconnue") {
		t.Errorf("unknown identity: %d", resp.StatusCode)
	}
	if _, p := formOf(t, doc); p != pending {
		t.Error("unknown identity lost the sign-in")
	}
	// Consent before choosing an identity.
	resp, _ = h.post("/sandbox/hin/e-id/consent", url.Values{"pending": {pending}, "decision": {"yes"}})
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("consent before sign-in: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Forged or missing pending id.
	for _, id := range []string{"", "forged"} {
		resp, _ = h.post(action, url.Values{"pending": {id}, "hin_id": {"cmuster"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("pending %q: %d", id, resp.StatusCode)
		}
	}
	// GET on a form target.
	resp, _ = h.get(h.srv.URL + action)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET sign-in: %d", resp.StatusCode)
	}
}

func TestSignInExpires(t *testing.T) {
	h := newHarness(t)
	_, doc := h.get(h.authorizeURL(testGroup, goodAuthorize()))
	action, pending := formOf(t, doc)
	h.clock.Advance(10*time.Minute + time.Second)
	resp, doc := h.post(action, url.Values{"pending": {pending}, "hin_id": {"cmuster"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(doc.Text(), "expiré") {
		t.Fatalf("status %d: %s", resp.StatusCode, doc.Text())
	}
}

func TestManualFlow(t *testing.T) {
	h := newHarness(t)
	resp, doc := h.get(h.sim.ManualURL(testGroup))
	if resp.StatusCode != 200 || !strings.Contains(doc.Find(`[data-testid="hin-signin-context"]`).Text(), testGroup) {
		t.Fatalf("manual page: %d", resp.StatusCode)
	}
	action, pending := formOf(t, doc)
	resp, doc = h.post(action, url.Values{"pending": {pending}, "hin_id": {"aakeret"}})
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	code := doc.Find(`[data-testid="hin-manual-code"]`).Text()
	if !strings.Contains(doc.Text(), "10 minutes") {
		t.Error("page does not say how long the code lasts")
	}
	// A manual code is redeemed with an empty redirect_uri only.
	if a := h.token("", codeForm(code, testRedirectURI)); a.Status != 400 || a.Error != "invalid_request" {
		t.Errorf("with a redirect_uri: %d %s", a.Status, a.Raw)
	}
	code = h.manualCode(testGroup, "aakeret")
	a := h.token("", codeForm(code, ""))
	if a.Status != 200 || a.HINID != "aakeret" || a.RefreshToken == "" {
		t.Fatalf("exchange %d %s", a.Status, a.Raw)
	}
	// The sign-in is over: its form cannot mint a second code.
	if resp, _ := h.post(action, url.Values{"pending": {pending}, "hin_id": {"aakeret"}}); resp.StatusCode != 400 {
		t.Errorf("replayed manual sign-in: %d", resp.StatusCode)
	}
}

func TestManualCodeForAnotherGroup(t *testing.T) {
	h := newHarness(t)
	code := h.manualCode(otherGroup, "cmuster")
	// Our client is not allowed for ACS-Applikation.
	if a := h.token("", codeForm(code, "")); a.Status != 404 {
		t.Fatalf("status %d %s", a.Status, a.Raw)
	}
}

func TestManualRefusals(t *testing.T) {
	h := newHarness(t)
	for name, q := range map[string]string{
		"unknown app":   "?app=Other&tokenGroup=" + testGroup,
		"no app":        "?tokenGroup=" + testGroup,
		"unknown group": "?app=HinCredMgrOAuth&tokenGroup=nope",
		"no group":      "?app=HinCredMgrOAuth",
	} {
		resp, doc := h.get(h.srv.URL + "/sandbox/hin/apps" + q)
		if resp.StatusCode != 404 || doc.Find("form").Length() != 0 {
			t.Errorf("%s: status %d", name, resp.StatusCode)
		}
	}
}

func TestPageLanguages(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, lang, accept, want string
	}{
		{"default French", "", "", "Connexion avec la HIN e-ID"},
		{"German browser", "", "de-CH,de;q=0.9,en;q=0.5", "Anmeldung mit der HIN e-ID"},
		{"English browser", "", "en-GB", "Sign in with your HIN e-ID"},
		{"unsupported browser language", "", "ja", "Connexion avec la HIN e-ID"},
		{"parameter wins", "en", "de", "Sign in with your HIN e-ID"},
		{"unknown parameter ignored", "xx", "de", "Anmeldung mit der HIN e-ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := goodAuthorize()
			if tt.lang != "" {
				q.Set("lang", tt.lang)
			}
			_, doc := h.get(h.authorizeURL(testGroup, q), "Accept-Language", tt.accept)
			if got := doc.Find("h1").Text(); got != tt.want {
				t.Fatalf("title %q, want %q", got, tt.want)
			}
		})
	}
	// The language chosen at the start carries through to the consent page.
	_, doc := h.get(h.authorizeURL(testGroup, goodAuthorize()), "Accept-Language", "de")
	action, pending := formOf(t, doc)
	_, doc = h.post(action, url.Values{"pending": {pending}, "hin_id": {"cmuster"}})
	if q := doc.Find(`[data-testid="hin-consent-question"]`).Text(); !strings.Contains(q, "möchte") {
		t.Errorf("consent in %q", q)
	}
	if got := doc.Find(`[data-testid="hin-consent-yes"]`).Text(); got != "Ja" {
		t.Errorf("yes button %q", got)
	}
}

func TestPageHeaders(t *testing.T) {
	h := newHarness(t)
	resp, doc := h.get(h.authorizeURL(testGroup, goodAuthorize()))
	want := map[string]string{
		"Content-Type":            "text/html; charset=utf-8",
		"Cache-Control":           "no-store",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "no-referrer",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": pageCSP,
	}
	for k, v := range want {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	if doc.Find("script").Length() != 0 {
		t.Error("page carries a script")
	}
}

func TestPendingSignInsBounded(t *testing.T) {
	h := newHarness(t)
	h.sim.mu.Lock()
	for i := range maxPending {
		h.sim.pending[strconv.Itoa(i)] = &pendingSignIn{expiry: h.clock.Now().Add(time.Minute)}
	}
	h.sim.mu.Unlock()
	resp, _ := h.get(h.authorizeURL(testGroup, goodAuthorize()))
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// Once they expire, sign-ins are accepted again.
	h.clock.Advance(2 * time.Minute)
	resp, _ = h.get(h.authorizeURL(testGroup, goodAuthorize()))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("after expiry: status %d", resp.StatusCode)
	}
}
