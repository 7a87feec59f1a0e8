package e2e

import (
	"strings"
	"testing"
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
	b.expect(`label[for="login"]`, de("login.number"))
	b.expect(`label[for="password"]`, de("login.password"))
	b.expect(testid("login-submit"), de("login.submit"))
	b.expect(testid("login-psc"), de("login.psc"))

	b.fill("#login", virginieLogin)
	b.fill("#password", "wrong-password")
	b.click(testid("login-submit"))
	b.expect(testid("login-error"), de("login.failed"))

	b.fill("#password", demoPassword)
	b.click(testid("login-submit"))
	b.expectAt("/identification")
	if got := b.lang(); got != "de" {
		t.Fatalf("after sign-in the page is in %q: the choice was not remembered", got)
	}
	b.expect("h1", de("identify.title"))
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
