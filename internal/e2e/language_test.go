package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// switchLanguage follows the header's link to lang.
func (b *tab) switchLanguage(lang string) {
	b.t.Helper()
	b.click(testid("languages") + ` a[hreflang="` + lang + `"]`)
	if got := b.lang(); got != lang {
		b.fatalf("after choosing %s the page is in %q", lang, got)
	}
	if b.attr(testid("languages")+` a[hreflang="`+lang+`"]`, "aria-current") != "true" {
		b.errorf("the language switch does not mark %s as current", lang)
	}
}

func TestLanguagesSwitchAndAreRemembered(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)

	b.open("/")
	if got := b.lang(); got != "fr" {
		t.Fatalf("a French browser gets a page in %q", got)
	}
	if got := b.texts(testid("languages") + " a"); strings.Join(got, "|") != "Français|Deutsch|English" {
		t.Errorf("language switch offers %q", got)
	}

	// German, chosen on the login page, stays through sign-in and on every
	// page, with German dates.
	b.switchLanguage("de")
	de := func(key string, args ...any) string { return h.msg("de", key, args...) }
	b.expect("h1", de("login.title"))
	b.expect("h1", germanPhrases["login.title"])
	b.expect(testid("login-submit"), germanPhrases["login.submit"])
	b.expect(`label[for="login"]`, de("login.number"))
	b.expect(`label[for="password"]`, de("login.password"))
	b.expect(testid("login-submit"), de("login.submit"))
	b.expect(testid("login-psc"), de("login.psc"))

	b.fill("#login", virginieLogin)
	b.fill("#password", "wrong-password")
	b.click(testid("login-submit"))
	b.expect(testid("login-error"), de("login.failed"))
	b.expect(testid("login-error"), germanPhrases["login.failed"])

	b.fill("#password", demoPassword)
	b.click(testid("login-submit"))
	b.expectAt("/identification")
	if got := b.lang(); got != "de" {
		t.Fatalf("after sign-in the page is in %q: the choice was not remembered", got)
	}
	b.expect("h1", de("identify.title"))
	b.expect("h1", germanPhrases["identify.title"])
	b.expect(testid("identify-submit"), de("identify.submit"))
	b.expect(mainNav, de("nav.profile"))
	b.expect(mainNav, de("nav.history"))
	b.expect(testid("logout"), de("nav.logout"))

	b.lookUp(camilleNIR + " 19")
	b.expect(testid("identify-error"), de("identify.error.nir_key"))
	b.lookUp(camilleNIR)
	b.expect("h1", de("patient.title"))
	b.expect(testid("patient-birth-date"), "11.02.1984")
	b.expect(testid("patient-new"), de("patient.another"))

	b.click(mainNav + ` a[href="/historique"]`)
	b.expect("h1", de("history.title"))
	b.expect(testid("history"), de("outcome.found"))

	// English, chosen on the history page, stays on the next pages.
	b.switchLanguage("en")
	en := func(key string, args ...any) string { return h.msg("en", key, args...) }
	b.expectAt("/historique")
	b.expect("h1", en("history.title"))
	b.expect(testid("history"), en("outcome.found"))
	b.expect("h1", "MY LOOKUP HISTORY")
	b.expect(testid("history"), "Rights (ADRi)")
	b.click(mainNav + ` a[href="/identification"]`)
	if got := b.lang(); got != "en" {
		t.Fatalf("the next page is in %q: English was not remembered", got)
	}
	b.expect("h1", en("identify.title"))
	b.lookUp(camilleNIR)
	b.expect("h1", en("patient.title"))
	b.expect(testid("patient-birth-date"), "11 Feb 1984")
	b.click(mainNav + ` a[href="/mes-informations"]`)
	b.expect("h1", en("profile.title"))
	b.expect(testid("profile-method"), en("profile.method.local"))
	b.click(testid("logout"))
	b.expect(testid("login-notice"), en("login.logged_out"))
	b.expect("h1", en("login.title"))
	b.expect("h1", englishPhrases["login.title"])

	// And back to French.
	b.switchLanguage("fr")
	b.expect("h1", h.msg("fr", "login.title"))
}

func TestAcceptLanguagePicksTheLanguageOfAFreshBrowser(t *testing.T) {
	h := start(t, nil)
	for _, c := range []struct{ acceptLanguage, want string }{
		// As a browser's language settings: Chromium adds the q weights.
		{"de-CH,de,en", "de"},
		{"de-DE", "de"},
		{"en-GB,en", "en"},
		{"fr-CH,fr,de", "fr"},
		{"it-CH,it", "fr"}, // a language the portal does not speak: French
	} {
		b := h.newTab(c.acceptLanguage)
		b.open("/")
		if got := b.lang(); got != c.want {
			t.Errorf("Accept-Language %q: page in %q, want %q", c.acceptLanguage, got, c.want)
			continue
		}
		b.expect("h1", h.msg(c.want, "login.title"))
		b.expect(testid("login-submit"), h.msg(c.want, "login.submit"))
		// The browser's preference holds on the next page too.
		b.click(`a[href="/mot-de-passe-oublie"]`)
		b.expect("h1", h.msg(c.want, "forgot.title"))
	}
}

func TestSandboxPagesSpeakTheBrowsersLanguage(t *testing.T) {
	h := start(t, nil)
	for _, lang := range []string{"de", "en", "fr"} {
		b := h.newTab(lang)
		b.open("/")
		b.click(testid("login-psc"))
		if got := b.lang(); got != lang {
			t.Errorf("%s browser: the e-CPS page is in %q", lang, got)
		}
		b.open("/")
		b.click(testid("login-hin"))
		if got := b.lang(); got != lang {
			t.Errorf("%s browser: the HIN sign-in page is in %q", lang, got)
		}
	}
}

// Phrases of the German and English pages, written out here rather than
// read from the catalogues, so that a catalogue holding the wrong
// language's text (a French sentence pasted into de.json) fails the tests.
var (
	germanPhrases = map[string]string{
		"login.title":         "GESUNDHEITSFACHPERSONEN",
		"login.submit":        "ANMELDEN",
		"login.failed":        "Benutzernummer oder Passwort falsch.",
		"identify.title":      "IDENTIFIZIEREN SIE IHRE PATIENTIN / IHREN PATIENTEN",
		"patient.title":       "PATIENTENINFORMATIONEN",
		"swiss.outcome.valid": "Karte gültig",
		"nav.logout":          "Abmelden",
	}
	englishPhrases = map[string]string{
		"login.title":         "HEALTHCARE PROFESSIONALS",
		"login.submit":        "SIGN IN",
		"login.failed":        "Wrong user number or password.",
		"identify.title":      "IDENTIFY YOUR PATIENT",
		"patient.title":       "PATIENT INFORMATION",
		"swiss.outcome.valid": "Valid card",
		"nav.logout":          "Sign out",
	}
)

func TestLanguageSwitchOnPagesAnsweredToAForm(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	de, en := germanPhrases, englishPhrases

	// The login page after a wrong password, in German: still the login
	// page, not a page that does not exist.
	b.open("/")
	b.fill("#login", virginieLogin)
	b.fill("#password", "wrong-password")
	b.click(testid("login-submit"))
	b.expect(testid("login-error"), h.msg("fr", "login.failed"))
	b.switchLanguage("de")
	b.expectAt("/")
	b.expect("h1", de["login.title"])
	b.expect(testid("login-submit"), de["login.submit"])

	// Refused again, in German, then English from that page.
	b.fill("#login", virginieLogin)
	b.fill("#password", "wrong-password")
	b.click(testid("login-submit"))
	b.expect(testid("login-error"), de["login.failed"])
	b.audit("German login page with an error")
	b.switchLanguage("en")
	b.expectAt("/")
	b.expect("h1", en["login.title"])

	b.fill("#login", virginieLogin)
	b.fill("#password", demoPassword)
	b.click(testid("login-submit"))
	b.expectAt("/identification")
	b.expect("h1", en["identify.title"])
	b.expect(testid("logout"), en["nav.logout"])

	// The NIR patient page, in German then English: the same patient.
	b.lookUp(camilleNIR)
	b.expectExactly(testid("patient-name"), camilleName)
	b.switchLanguage("de")
	b.expectAtLookup()
	b.expect("h1", de["patient.title"])
	b.expectExactly(testid("patient-name"), camilleName)
	b.expect(testid("patient-nir"), camilleNIR)
	b.expect(testid("patient-birth-date"), "11.02.1984")
	b.expect(testid("logout"), de["nav.logout"])
	b.audit("German patient page")
	b.switchLanguage("en")
	b.expectAtLookup()
	b.expect("h1", en["patient.title"])
	b.expectExactly(testid("patient-name"), camilleName)
	b.expect(testid("patient-birth-date"), "11 Feb 1984")
	b.audit("English patient page")

	// A Swiss card's page, in German then French: the same card.
	b.click(testid("patient-new"))
	b.lookUp(validCard.number)
	b.expect(testid("card-outcome"), en["swiss.outcome.valid"])
	b.switchLanguage("de")
	b.expectAtLookup()
	b.expect("h1", de["patient.title"])
	b.expect(testid("card-outcome"), de["swiss.outcome.valid"])
	b.expect(testid("patient-name"), validCard.name)
	b.expect(testid("card-number"), validCard.number)
	b.expect(testid("insurer-name"), validCard.insurer)
	b.audit("German Swiss patient page")
	b.switchLanguage("fr")
	b.expect("h1", "INFORMATIONS PATIENT(E)")
	b.expect(testid("card-outcome"), "Carte valide")
	b.expect(testid("patient-name"), validCard.name)

	// Each lookup is in the history once: Camille's page and the card's
	// page, each shown again in other languages, are two consultations.
	b.click(mainNav + ` a[href="/historique"]`)
	if rows := b.texts(testid("history-row")); len(rows) != 2 {
		t.Errorf("history has %d rows after 2 lookups shown in 6 pages, want 2: %q", len(rows), rows)
	}
}

func TestProfessionsInThePageLanguage(t *testing.T) {
	h := start(t, nil)
	b := h.newTab("de-CH,de")
	b.signInWithPSC(virginiePSC)
	b.expectAt("/identification")
	b.click(mainNav + ` a[href="/mes-informations"]`)
	b.expectExactly(testid("profile-profession"), "Ärztin/Arzt")
	b.expectExactly(testid("profile-account-profession"), "Ärztin/Arzt")
	// The specialty keeps the French nomenclature's name, marked as such.
	b.expect(testid("profile-specialty")+` span[lang="fr"]`, "Médecine générale")
	b.expect(testid("profile-specialty"), "Bezeichnung der französischen Nomenklatur")
	b.audit("German profile page")
	for _, path := range []string{"/identification", "/historique"} {
		b.open(path)
		b.audit("German " + path)
	}
	b.step("phone width", emulatePhone())
	for _, path := range []string{"/identification", "/historique", "/mes-informations"} {
		b.open(path)
		b.audit("German phone " + path)
		b.fitsScreen("German phone " + path)
	}
	b.step("desktop width", emulateDesktop())

	b.switchLanguage("en")
	b.expectExactly(testid("profile-profession"), "Physician")
	b.expect(testid("profile-specialty"), "name in the French nomenclature")

	b.switchLanguage("fr")
	b.expectExactly(testid("profile-profession"), "Médecin")
	b.expectExactly(testid("profile-specialty"), "Médecine générale")

	en := h.newTab("en-GB,en")
	en.signIn(isabelleLogin, demoPassword)
	en.open("/mes-informations")
	en.expectExactly(testid("profile-account-profession"), "Nurse")
}

// breakScript lists the labels of a page's facts (dt) that a line break
// cuts inside a word anywhere but at a soft hyphen: each character's line
// is read from its own box, and a new line must start after a space, a
// hyphen, a slash or a soft hyphen (drawn there as a hyphen).
const breakScript = `(() => {
	const bad = [];
	for (const dt of document.querySelectorAll("dl.facts dt")) {
		const text = dt.textContent;
		const walker = document.createTreeWalker(dt, NodeFilter.SHOW_TEXT);
		let prevTop = null, prevChar = " ";
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			for (let i = 0; i < n.length; i++) {
				const c = n.data[i];
				const r = document.createRange();
				r.setStart(n, i); r.setEnd(n, i + 1);
				const box = [...r.getClientRects()].filter(b => b.width > 0).pop();
				if (c === "\u00ad" || !box) { if (/[\s\u00ad]/.test(c)) prevChar = c; continue; }
				const top = Math.round(box.top);
				if (prevTop !== null && top > prevTop + 2 && !/[\s\-\/\u00ad(]/.test(prevChar)) {
					bad.push(text.replace(/\u00ad/g, "") + " (after " + JSON.stringify(prevChar) + ")");
					break;
				}
				prevTop = top; prevChar = c;
			}
		}
	}
	return bad;
})()`

func TestGermanLabelsBreakAtCompoundJoints(t *testing.T) {
	h := start(t, nil)
	b := h.newTab("de-CH,de")
	b.signIn(virginieLogin, demoPassword)
	for _, key := range []string{"rights.organisation", "rights.certified_nir", "swiss.card", "swiss.restriction", "swiss.vvg", "rights.amo"} {
		if !strings.Contains(h.msg("de", key), "\u00ad") {
			t.Errorf("German label %s (%q) has no soft hyphen at its compound joints", key, h.msg("de", key))
		}
	}
	for _, width := range []int64{1280, 1024, 800, phoneWidth} {
		b.step("viewport", chromedp.EmulateViewport(width, 900))
		for _, number := range []string{"176122A004018", camilleNIR, validCard.number} {
			b.open("/identification")
			b.lookUp(number)
			b.expect("h1", h.msg("de", "patient.title"))
			if n := b.count("dl.facts dt"); n == 0 {
				t.Errorf("%d px, patient %s: no labelled facts to judge", width, number)
			}
			if bad := eval[[]string](b, breakScript); len(bad) > 0 {
				t.Errorf("%d px, patient %s: labels broken inside a word without a hyphen: %q", width, number, bad)
			}
			b.audit(fmt.Sprintf("German patient page at %d px", width))
		}
	}
}
