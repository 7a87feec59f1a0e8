package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/infopatient/infopatient/internal/store"
)

// claudiaLogin is the demo account linked to HIN cmuster.
const claudiaLogin = "756100001"

// lookupCount is how many lookups login's account has recorded.
func (h *harness) lookupCount(login string) int {
	h.t.Helper()
	return len(h.lookups(login))
}

// lookups are login's account's lookups, newest first.
func (h *harness) lookups(login string) []store.Lookup {
	h.t.Helper()
	a, err := h.portal.App.Store.AccountByLogin(h.t.Context(), login)
	if err != nil {
		h.t.Fatal(err)
	}
	ls, err := h.portal.App.Store.RecentLookups(h.t.Context(), a.ID, 1000)
	if err != nil {
		h.t.Fatal(err)
	}
	return ls
}

// reload reloads the page as F5 does.
func (b *tab) reload() {
	b.t.Helper()
	b.follow("reload", chromedp.Reload())
}

// F5 on a patient page, or a language switch, shows the patient again
// and writes no second audit row: French and Swiss lookups alike.
func TestReloadAfterALookupAddsNoRow(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.signIn(virginieLogin, demoPassword)
	b.lookUp(camilleNIR)
	page := b.expectAtLookup()
	b.reload()
	b.reload()
	if b.expectAtLookup() != page {
		t.Errorf("the reload left the page %s", page)
	}
	b.expectExactly(testid("patient-name"), camilleName)
	b.switchLanguage("de")
	b.expectExactly(testid("patient-name"), camilleName)
	b.reload()
	if n := h.lookupCount(virginieLogin); n != 1 {
		t.Errorf("%d audit rows after one lookup reloaded and switched, want 1", n)
	}

	s := h.newTab(frenchBrowser)
	s.signInWithHIN(hinLinked)
	s.lookUp(validCard.number)
	s.expectAtLookup()
	s.reload()
	s.expect(testid("patient-name"), validCard.name)
	s.switchLanguage("en")
	s.expect(testid("card-outcome"), h.msg("en", "swiss.outcome.valid"))
	if n := h.lookupCount(claudiaLogin); n != 1 {
		t.Errorf("%d audit rows after one card lookup reloaded and switched, want 1", n)
	}
}

// An AVS/AHV number typed for a Swiss patient: the page says the card's
// number is needed, in the page's language, and records nothing.
func TestAHVNumberAsksForTheCardNumber(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.signInWithHIN(hinLinked)
	for _, lang := range []string{"fr", "de", "en"} {
		b.open("/identification?lang=" + lang)
		b.lookUp("756.1234.5678.97")
		b.expect(testid("identify-error"), h.msg(lang, "identify.error.ahv"))
		b.expect(testid("identify-recognised"), h.msg(lang, "identify.recognised.ahv"))
		if got := b.value("#identifier"); got != "756.1234.5678.97" {
			t.Errorf("%s: the field holds %q", lang, got)
		}
		b.audit("AHV number refused (" + lang + ")")
	}
	if n := h.lookupCount(claudiaLogin); n != 0 {
		t.Errorf("an AHV number was recorded %d times", n)
	}
}

// An unknown card keeps its number in the form with the error under it;
// corrected in place, it finds the patient.
func TestUnknownCardCorrectedInPlace(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.signInWithHIN(hinLinked)
	b.lookUp("80756 00000 00000 00099")
	b.expectAtLookup()
	b.expect(testid("identify-error"), h.msg("fr", "swiss.message.unknown"))
	if got := b.value("#identifier"); got != "80756 00000 00000 00099" {
		t.Fatalf("the unknown card's form holds %q", got)
	}
	if b.attr("#identifier", "aria-invalid") != "true" || !strings.Contains(b.attr("#identifier", "aria-describedby"), "identifier-error") {
		t.Error("the field is not marked invalid and tied to the message")
	}
	b.audit("unknown card")
	b.lookUp(validCard.number)
	b.expect(testid("patient-name"), validCard.name)
}

// A session that expires while a number is being typed keeps it across
// the sign-in again.
func TestExpiredSessionKeepsTheNumberBeingTyped(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.signIn(virginieLogin, demoPassword)
	b.expectAt("/identification")
	h.portal.Clock.Advance(31 * time.Minute) // the idle timeout is 30 minutes
	b.lookUp(camilleNIR)
	b.expectAt("/")
	b.expect(testid("login-notice"), h.msg("fr", "login.expired"))
	b.fill("#login", virginieLogin)
	b.fill("#password", demoPassword)
	b.click(testid("login-submit"))
	b.expectAt("/identification")
	if got := b.value("#identifier"); got != camilleNIR {
		t.Fatalf("after the sign-in the field holds %q, want %q", got, camilleNIR)
	}
	b.expect(testid("identify-notice"), h.msg("fr", "identify.draft"))
	b.fill("#date_naissance", "11/02/1984") // ADRi's input beside the NIR
	b.click(testid("identify-submit"))
	b.expectExactly(testid("patient-name"), camilleName)
	if n := h.lookupCount(virginieLogin); n != 1 {
		t.Errorf("%d lookups, want 1", n)
	}
}

// Historique on a phone: names, outcomes as shown, pages, and a lookup
// reopened — a new lookup.
func TestHistoryPagesAndReopensOnAPhone(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.step("phone", emulatePhone())
	b.signInWithHIN(hinLinked)
	b.lookUp(suspendedCard)
	b.expect(testid("card-warning"), h.msg("fr", "swiss.warning.suspended"))
	// Older lookups: enough for a second page.
	a, err := h.portal.App.Store.AccountByLogin(t.Context(), claudiaLogin)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 55; i++ {
		if _, err := h.portal.App.Store.AddLookup(t.Context(), store.Lookup{AccountID: a.ID, At: h.portal.Clock.Now().Add(-time.Duration(i) * time.Hour),
			Kind: "card", Identifier: "80756000000000000001", Outcome: "valid", PatientName: fmt.Sprint("Müller-Dubois Zoé ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	b.open("/historique")
	b.fitsScreen("Historique on a phone")
	b.audit("Historique on a phone")
	b.expect(testid("history-outcome"), h.msg("fr", "outcome.suspended"))
	b.expect(testid("history-name"), "Keller Jonas")
	if n := b.count(testid("history-row")); n != 50 {
		t.Errorf("%d rows on the first page, want 50", n)
	}
	b.click(testid("history-older"))
	if n := b.count(testid("history-row")); n != 6 {
		t.Errorf("%d rows on the second page, want 6", n)
	}
	b.fitsScreen("Historique's second page on a phone")
	b.click(testid("history-newer"))
	b.click(testid("history-reopen"))
	b.expectAtLookup()
	b.expect(testid("patient-name"), "Keller Jonas")
	ls := h.lookups(claudiaLogin)
	if len(ls) != 57 || ls[0].ReopenedFrom != ls[1].ID {
		t.Errorf("after reopening: %d lookups, the newest reopening %d (want %d)", len(ls), ls[0].ReopenedFrom, ls[1].ID)
	}
}

// In demo mode the login page and "Mot de passe oublié" show the demo
// credentials and lead to the sandbox.
func TestDemoCredentialsLeadToTheSandbox(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	for _, lang := range []string{"fr", "de", "en"} {
		b.open("/?lang=" + lang)
		b.expect(testid("demo-credentials"), h.msg(lang, "login.demo.accounts", demoPassword))
		b.click(`a.forgot`)
		b.expect(testid("demo-credentials"), virginieLogin)
		b.audit("forgotten password, demo (" + lang + ")")
	}
	b.click(testid("demo-sandbox"))
	b.expectAt("/sandbox/")
}
