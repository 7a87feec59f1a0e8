package e2e

import (
	"strings"
	"testing"
)

// A language chosen on the e-CPS sandbox page carries on in the portal
// after the sign-in; Mes informations then shows exp, iat and auth_time
// as dates beside their numbers, in that language.
func TestSandboxLanguageCarriesBackAndClaimTimes(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.open("/")
	b.click(testid("login-psc"))
	b.click(testid("sandbox-languages") + ` a[hreflang="de"]`)
	if got := b.lang(); got != "de" {
		t.Fatalf("the e-CPS page is in %q after choosing German", got)
	}
	b.chooseAtPSC(virginiePSC)
	b.expectAt("/identification")
	if got := b.lang(); got != "de" {
		t.Errorf("back in the portal the page is in %q, want de", got)
	}
	b.expect("h1", h.msg("de", "identify.title"))

	b.click(mainNav + ` a[href="/mes-informations"]`)
	times := b.texts(testid("claim-time"))
	if len(times) < 3 {
		t.Fatalf("%d claims shown as times, want exp, iat and auth_time at least", len(times))
	}
	for _, s := range times {
		if !strings.HasPrefix(s, "d. h. ") || !strings.Contains(s, ".20") {
			t.Errorf("a claim's time reads %q", s)
		}
	}
	b.switchLanguage("en")
	for _, s := range b.texts(testid("claim-time")) {
		if !strings.HasPrefix(s, "that is ") {
			t.Errorf("an English claim's time reads %q", s)
		}
	}
	b.step("phone", emulatePhone())
	b.fitsScreen("Mes informations on a phone, with the claims' times")
}
