package hinsim

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"
	"time"
)

// A browser signed in at HIN goes straight to the consent page of a
// second authorization for the identity the application names in
// login_hint; without the hint, for another identity, in another browser
// or after the session's hour, the identity page is shown.
func TestSecondAuthorizationSkipsTheIdentityPage(t *testing.T) {
	h := newHarness(t, withSDS)
	jar, _ := cookiejar.New(nil)
	h.browser.Jar = jar
	first := h.authorize("cmuster")
	if first.Get("code") == "" {
		t.Fatalf("first authorization: %v", first)
	}
	sds := func(hint string) url.Values {
		q := goodAuthorize()
		q.Set("state", "st-sds")
		if hint != "" {
			q.Set("login_hint", hint)
		}
		return q
	}
	onConsentPage := func(q url.Values) bool {
		t.Helper()
		resp, doc := h.get(h.authorizeURL(SDSTokenGroup, q))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("authorize: %d %s", resp.StatusCode, doc.Text())
		}
		return doc.Find(`[data-testid="hin-consent-yes"]`).Length() == 1
	}
	if onConsentPage(sds("")) {
		t.Error("without login_hint: no identity page")
	}
	if onConsentPage(sds("aakeret")) {
		t.Error("another identity named: no identity page")
	}
	// The consent page of the identity named, whose Yes gives a code of
	// the directory's group for it.
	resp, doc := h.get(h.authorizeURL(SDSTokenGroup, sds("cmuster")))
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="hin-consent-yes"]`).Length() != 1 {
		t.Fatalf("signed in as cmuster: %d %s", resp.StatusCode, doc.Text())
	}
	action, pending := formOf(t, doc)
	resp, _ = h.post(action, url.Values{"pending": {pending}, "decision": {"yes"}})
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || loc.Query().Get("state") != "st-sds" || loc.Query().Get("code") == "" {
		t.Fatalf("consent: %d %q", resp.StatusCode, loc)
	}
	a := h.token("", codeForm(loc.Query().Get("code"), testRedirectURI))
	if a.Status != http.StatusOK || a.HINID != "cmuster" {
		t.Fatalf("token: %d %s", a.Status, a.Raw)
	}
	if status, p := h.self(a.AccessToken); status != http.StatusOK || p["loginName"] != "cmuster" {
		t.Errorf("the directory answers %d %v", status, p)
	}

	// Another browser has no HIN session.
	h.browser.Jar = nil
	if onConsentPage(sds("cmuster")) {
		t.Error("another browser went to the consent page")
	}
	// The session lasts an hour.
	h.browser.Jar = jar
	h.clock.Advance(ssoTTL + time.Second)
	if onConsentPage(sds("cmuster")) {
		t.Error("an expired HIN session still signs in")
	}
}

// The directory's faults, armed apart from the token endpoint's.
func TestSDSMisbehaves(t *testing.T) {
	h := newHarness(t, withSDS)
	a := h.token("", codeForm(h.manualCode(SDSTokenGroup, "cmuster"), ""))
	for _, tc := range []struct {
		fault  Fault
		status int
	}{{FaultServerError, 503}, {FaultInvalidGrant, 401}, {FaultGarbage, 200}, {FaultIncomplete, 200}} {
		h.sim.MisbehaveSDS(tc.fault, 1)
		status, p := h.self(a.AccessToken)
		if status != tc.status || p["loginName"] != nil {
			t.Errorf("%s: %d %v", tc.fault, status, p)
		}
	}
	if status, p := h.self(a.AccessToken); status != 200 || p["loginName"] != "cmuster" {
		t.Errorf("after the faults: %d %v", status, p)
	}
	// The token endpoint is not affected, and Behave disarms both.
	h.sim.MisbehaveSDS(FaultServerError, 3)
	if b := h.token("", codeForm(h.manualCode(SDSTokenGroup, "cmuster"), "")); b.Status != 200 {
		t.Errorf("token endpoint under the directory's fault: %d", b.Status)
	}
	h.sim.Behave()
	if status, _ := h.self(a.AccessToken); status != 200 {
		t.Errorf("after Behave: %d", status)
	}
}
