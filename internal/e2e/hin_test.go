package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The HIN sandbox's identities (data/sandbox/hin-identities.json).
const (
	hinLinked   = "cmuster" // linked to the demo account 756100001
	musterLogin = "756100001"
	hinHeader   = "CLAUDIA MUSTER HIN cmuster"
)

// signInWithHIN goes through the HIN sandbox's sign-in and consent pages
// (redirect variant), then consents to HIN's directory, whose
// authorization the portal chains to the sign-in, and lands back on the
// portal.
func (b *tab) signInWithHIN(hinID string) {
	b.t.Helper()
	b.startHINSignIn(hinID)
	b.consentToHINDirectory(hinID)
}

// startHINSignIn presses the HIN button, chooses hinID and consents; the
// portal then sends the browser to HIN's directory.
func (b *tab) startHINSignIn(hinID string) {
	b.t.Helper()
	b.open("/")
	b.click(testid("login-hin"))
	if !strings.Contains(b.path(), "/sandbox/hin/") {
		b.fatalf("the HIN button leads to %s, want the HIN sandbox", b.path())
	}
	b.expect(testid("hin-signin-context"), "hin_covercard")
	b.click(testid("hin-identity-" + hinID))
	b.expect(testid("hin-consent-question"), hinID)
	b.click(testid("hin-consent-yes"))
}

// consentToHINDirectory answers Yes on the consent page of HIN's
// directory (token group hin_sds), reached straight from the portal:
// HIN's session spares the identity page.
func (b *tab) consentToHINDirectory(hinID string) {
	b.t.Helper()
	if !strings.Contains(b.path(), "/GetAuthCode/hin_sds") {
		b.fatalf("landed on %s, want the consent page of HIN's directory", b.path())
	}
	b.expect(testid("hin-consent-question"), "hin_sds")
	b.expect(testid("hin-consent-question"), hinID)
	b.click(testid("hin-consent-yes"))
}

func TestHINSignInRedirectAndSwissCards(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	fr := func(key string, args ...any) string { return h.msg("fr", key, args...) }

	b.signInWithHIN(hinLinked)
	b.expectAt("/identification")
	b.expectExactly(testid("professional"), hinHeader)
	b.expect(`label[for="identifier"]`, fr("identify.label.both"))

	// A valid card: Covercard's answer, asked with the professional's own
	// HIN token.
	b.lookUp(validCard.number)
	b.expectAtLookup()
	b.expect(testid("patient-kind"), fr("swiss.kind"))
	b.expect(testid("card-outcome"), fr("swiss.outcome.valid"))
	b.expect(testid("card-message"), fr("swiss.message.valid"))
	b.expect(testid("patient-name"), validCard.name)
	b.expect(testid("insurer-name"), validCard.insurer)
	b.expect(testid("card-via"), fr("swiss.via.hin"))

	// A blocked card: the refusal and the code the insurer will ask for.
	b.click(testid("patient-new"))
	// A blocked card: the number stays in the form, the error under it.
	b.lookUp(blockedCard.number)
	b.expectAtLookup()
	b.expect(testid("identify-error"), fr("swiss.message.blocked", blockedCard.code))
	if got := b.value("#identifier"); got != blockedCard.number {
		t.Errorf("the blocked card's form holds %q, want %q", got, blockedCard.number)
	}

	// Historique shows both cards, the latest first.
	b.click(mainNav + ` a[href="/historique"]`)
	rows := b.texts(testid("history-row"))
	if len(rows) != 2 {
		t.Fatalf("history has %d rows, want 2: %q", len(rows), rows)
	}
	for i, c := range []struct {
		card    swissCard
		outcome string
	}{{blockedCard, "outcome.blocked"}, {validCard, "outcome.valid"}} {
		// The number grouped by five, as printed on the card.
		if !strings.Contains(rows[i], c.card.number) || !strings.Contains(rows[i], fr(c.outcome)) || !strings.Contains(rows[i], fr("history.kind.card")) {
			t.Errorf("history row %d shows %q, want card %s and %q", i, rows[i], c.card.number, fr(c.outcome))
		}
	}

	// Mes informations: the HIN identity.
	b.click(mainNav + ` a[href="/mes-informations"]`)
	b.expect(testid("profile-method"), fr("profile.method.hin"))
	b.expect(testid("profile-hin-id"), hinLinked)

	// Logout: HIN has no session to end at the provider: straight back.
	b.click(testid("logout"))
	b.expectAt("/")
	b.expect(testid("login-notice"), fr("login.logged_out"))
}

func TestHINSignInCancelled(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.open("/")
	b.click(testid("login-hin"))
	b.click(testid("hin-identity-" + hinLinked))
	b.click(testid("hin-consent-no"))
	b.expect(testid("error-title"), h.msg("fr", "auth.cancelled.title"))
	b.expect(testid("error-message"), h.msg("fr", "auth.cancelled.body"))
	if b.count(testid("professional")) != 0 {
		t.Error("a refused consent signed the professional in")
	}
}

func TestHINSignInManualCode(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	fr := func(key string, args ...any) string { return h.msg("fr", key, args...) }

	b.open("/")
	b.click(testid("login-hin-manual"))
	b.expectAt("/auth/hin/manual")
	b.expect("h1", fr("hin_manual.title"))

	// A code that HIN never gave: refused, tied to the field.
	b.fill("#code", "not-a-code-from-hin")
	b.click(testid("hin-manual-submit"))
	b.expect(testid("hin-manual-error"), fr("hin_manual.refused"))
	if b.attr("#code", "aria-invalid") != "true" {
		t.Error("refused code: field not marked aria-invalid")
	}

	// The link opens HIN's code page in a new tab; the professional signs
	// in there, copies the code, comes back and pastes it.
	code := b.copyHINCode(hinLinked)
	b.fill("#code", code)
	b.click(testid("hin-manual-submit"))
	b.expectAt("/identification")
	b.expectExactly(testid("professional"), hinHeader)

	// A code works once.
	b.click(testid("logout"))
	b.open("/auth/hin/manual")
	b.fill("#code", code)
	b.click(testid("hin-manual-submit"))
	b.expect(testid("hin-manual-error"), fr("hin_manual.refused"))
}

// copyHINCode opens the manual page's link to HIN's code page in a
// second tab of the same browser, as its target="_blank" does, signs in as
// hinID there and returns the code that tab shows.
func (b *tab) copyHINCode(hinID string) string {
	b.t.Helper()
	link := testid("hin-manual-link")
	if b.attr(link, "target") != "_blank" || !strings.Contains(b.attr(link, "rel"), "noopener") {
		b.errorf("the link to HIN's code page should open a new tab without an opener")
	}
	href := eval[string](b, `document.querySelector(`+js(link)+`).href`)
	ctx, closeTab := chromedp.NewContext(b.ctx)
	defer closeTab()
	if err := chromedp.Do(ctx); err != nil {
		b.fatalf("opening a second tab: %v", err)
	}
	hin := &tab{t: b.t, h: b.h, ctx: ctx, base: b.base}
	hin.open(href)
	if !strings.Contains(hin.path(), "/sandbox/hin/") {
		hin.fatalf("the code link opened %s, want the HIN sandbox", hin.path())
	}
	hin.click(testid("hin-identity-" + hinID))
	code := hin.text(testid("hin-manual-code"))
	if code == "" {
		hin.fatalf("HIN's code page shows no code")
	}
	return code
}

// swissCard is a card of the Covercard sandbox and what its page shows.
type swissCard struct {
	number, name, insurer, code string
}

// Cards of the Covercard sandbox (data/sandbox/covercard-cards.json),
// typed as printed on the card.
var (
	validCard   = swissCard{number: "80756 00000 00000 00001", name: "Müller-Dubois", insurer: "Caisse-maladie du Léman SA"}
	blockedCard = swissCard{number: "80756 00000 00000 00003", code: "67"}
	// suspendedCard is valid, but its benefits are suspended.
	suspendedCard = "80756 00000 00000 00008"
)

// A HIN sign-in reads the professional's profile from HIN's directory:
// Dr. Hans Weber's first sign-in links his identity to his account by his
// GLN, and Mes informations shows name, GLN and verification level, and
// reads them again on request — in German here; the French and English
// wording are the catalogue's, checked by web's tests.
func TestHINDirectoryProfile(t *testing.T) {
	h := start(t, nil)
	b := h.newTab("de-CH,de")
	de := func(key string, args ...any) string { return h.msg("de", key, args...) }

	b.signInWithHIN("hweber")
	b.expectAt("/identification")
	b.expect(testid("identify-notice"), de("link.done.gln"))
	b.expectExactly(testid("professional"), "HANS WEBER HIN hweber")
	b.audit("identification after a sign-in linked by GLN")

	b.click(mainNav + ` a[href="/mes-informations"]`)
	b.expect("#hin-profile-title", de("hin_profile.title"))
	b.expectExactly(testid("profile-hin-name"), "Hans Weber")
	b.expectExactly(testid("profile-hin-gln"), "7601001000032")
	b.expectExactly(testid("profile-hin-level"), "verified")
	b.expect(testid("profile-hin"), de("hin_profile.level.hint"))
	b.expect(testid("profile-identities"), "hweber")
	b.audit("Mes informations with the HIN profile")
	if dir := screenshotDir(t); dir != "" {
		for _, lang := range []string{"fr", "en", "de"} {
			b.switchLanguage(lang)
			b.expect("#hin-profile-title", h.msg(lang, "hin_profile.title"))
			b.shoot(dir, "hin-profile-"+lang+"-desktop")
		}
	}

	// "Mein HIN-Profil lesen": HIN's consent again, and back.
	b.click(testid("profile-hin-read"))
	b.consentToHINDirectory("hweber")
	b.expectAt("/mes-informations")
	b.expect(testid("profile-notice"), de("hin_profile.done"))
	b.expectExactly(testid("profile-hin-gln"), "7601001000032")

	// Refused at HIN this time: what was read stays, and the page says why.
	b.click(testid("profile-hin-read"))
	b.expect(testid("hin-consent-question"), "hin_sds")
	b.click(testid("hin-consent-no"))
	b.expectAt("/mes-informations")
	b.expect(testid("profile-hin-problem"), de("hin_profile.problem.refused"))
	b.expectExactly(testid("profile-hin-gln"), "7601001000032")
}

// Refused at HIN's directory, the sign-in completes all the same, and the
// identification page says what is missing.
func TestHINDirectoryRefusedStillSignsIn(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.startHINSignIn(hinLinked)
	b.expect(testid("hin-consent-question"), "hin_sds")
	b.click(testid("hin-consent-no"))
	b.expectAt("/identification")
	b.expectExactly(testid("professional"), hinHeader)
	b.expect(testid("identify-warning"), h.msg("fr", "hin_profile.problem.refused"))
}
