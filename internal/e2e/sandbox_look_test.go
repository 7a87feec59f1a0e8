package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/infopatient/infopatient/internal/sandbox"
)

// sandboxWords are what the simulators' pages say in each language where
// their words changed: the e-CPS page's ways in, HIN's masthead, the
// index's demo section.
var sandboxWords = map[string]struct {
	accept, card, app, tag, indexTag, demo, password string
}{
	"fr": {"fr-FR,fr", "Carte CPS", "e-CPS", "Simulateur", "Bac à sable", "Pour la démonstration : comptes et patients", "Mot de passe de tous les comptes :"},
	"de": {"de-CH,de", "CPS-Karte", "e-CPS", "Simulator", "Sandbox", "Für die Vorführung: Konten und Patienten", "Passwort aller Konten:"},
	"en": {"en-GB,en", "CPS card", "e-CPS", "Simulator", "Sandbox", "For the demonstration: accounts and patients", "Password of every account:"},
}

// looksApart fails the test unless the two elements differ in background
// colour: a main and a secondary button must not look the same.
func (b *tab) looksApart(page, a, c string) {
	b.t.Helper()
	bg := func(sel string) string {
		return eval[string](b, `getComputedStyle(document.querySelector(`+js(sel)+`)).backgroundColor`)
	}
	if bg(a) == bg(c) {
		b.t.Errorf("%s: %s and %s have the same background %s", page, a, c, bg(a))
	}
}

// controlsInThePageFont fails the test for a button or field whose font
// is not the page's.
func (b *tab) controlsInThePageFont(page string) {
	b.t.Helper()
	odd := eval[[]string](b, `(() => {
		const body = getComputedStyle(document.body).fontFamily;
		return [...document.querySelectorAll("button, input:not([type=hidden]):not([type=radio])")]
			.filter(e => getComputedStyle(e).fontFamily !== body)
			.map(e => (e.dataset.testid || e.name) + ": " + getComputedStyle(e).fontFamily);
	})()`)
	for _, o := range odd {
		b.t.Errorf("%s: not in the page's font: %s", page, o)
	}
}

// The simulators' pages, on a desktop and a phone, in French, German and
// English: each has its masthead; the e-CPS page shows the card / app
// choice apart from the identities, its buttons in the page's font; HIN's
// Oui and Non look different; the manual code is selected whole by a
// double-click; the index lists the demo accounts and NIRs. Every page
// passes the audit and fits a phone's screen.
func TestSandboxPagesLook(t *testing.T) {
	h := start(t, nil)
	for _, size := range []struct {
		name     string
		viewport chromedp.Action[chromedp.Void]
		phone    bool
	}{{"desktop", emulateDesktop(), false}, {"phone", emulatePhone(), true}} {
		for _, lang := range []string{"fr", "de", "en"} {
			w := sandboxWords[lang]
			where := size.name + " " + lang
			b := h.newTab(w.accept)
			b.step(where, size.viewport)

			// The e-CPS page, from the portal's button.
			b.open("/")
			b.click(testid("login-psc"))
			if b.lang() != lang {
				t.Fatalf("%s: the e-CPS page is in %q", where, b.lang())
			}
			page := where + " e-CPS page"
			b.expect(testid("sandbox-brand"), w.tag)
			b.expect(`label:has(`+testid("psc-method-card")+`)`, w.card)
			b.expect(`label:has(`+testid("psc-method-app")+`)`, w.app)
			if !eval[bool](b, `document.querySelector(`+js(testid("psc-method-card"))+`).checked`) {
				t.Errorf("%s: the card is not chosen at first", page)
			}
			// Side by side on a desktop, one above the other on a phone.
			sameRow := eval[bool](b, `(() => {
				const [a, c] = [...document.querySelectorAll("label.method")].map(e => e.getBoundingClientRect());
				return Math.abs(a.top - c.top) < 1;
			})()`)
			if sameRow == size.phone {
				t.Errorf("%s: card and app side by side: %v", page, sameRow)
			}
			b.controlsInThePageFont(page)
			b.looksApart(page, testid("psc-submit"), testid("psc-cancel"))
			b.auditSandbox(page)
			b.fitsScreen(page)
			// Choosing the app signs in as the card does.
			b.step("choose the e-CPS app", chromedp.Click(chromedp.CSS(`label:has(`+testid("psc-method-app")+`)`), chromedp.NodeVisible))
			if !eval[bool](b, `document.querySelector(`+js(testid("psc-method-app"))+`).checked`) {
				t.Errorf("%s: a click on the app does not choose it", page)
			}
			b.chooseAtPSC(virginiePSC)
			b.expectAt("/identification")

			// HIN: sign-in and consent, in a fresh browser.
			hb := h.newTab(w.accept)
			hb.step(where, size.viewport)
			hb.open("/")
			hb.click(testid("login-hin"))
			page = where + " HIN sign-in page"
			hb.expect(testid("hin-header"), "HIN e-ID")
			hb.expect(testid("sandbox-brand"), w.tag)
			hb.controlsInThePageFont(page)
			hb.auditSandbox(page)
			hb.fitsScreen(page)
			hb.click(testid("hin-identity-" + hinLinked))
			page = where + " HIN consent page"
			hb.expect(testid("hin-header"), "HIN e-ID")
			hb.looksApart(page, testid("hin-consent-yes"), testid("hin-consent-no"))
			hb.auditSandbox(page)
			hb.fitsScreen(page)

			// HIN's manual code: one double-click selects all of it.
			hb.open(h.portal.App.Sandbox.HIN.ManualURL(sandbox.TokenGroup) + "&lang=" + lang)
			hb.click(testid("hin-identity-" + hinLinked))
			page = where + " HIN code page"
			code := hb.text(testid("hin-manual-code"))
			hb.step("double-click the code", chromedp.DoubleClick(chromedp.CSS(testid("hin-manual-code")), chromedp.NodeVisible))
			if got := strings.TrimSpace(eval[string](hb, `getSelection().toString()`)); got != code || code == "" {
				t.Errorf("%s: a double-click selects %q of %q", page, got, code)
			}
			hb.auditSandbox(page)
			hb.fitsScreen(page)

			// The index: the demo accounts, their password and the NIRs.
			hb.open(h.portal.App.Sandbox.URL() + "?lang=" + lang)
			page = where + " sandbox index"
			hb.expect(testid("sandbox-brand"), w.indexTag)
			hb.expect(testid("sandbox-demo")+" h2", w.demo)
			hb.expect(testid("sandbox-demo-password"), w.password+" "+demoPassword)
			hb.expect(testid("sandbox-demo-accounts"), virginieLogin)
			hb.expect(testid("sandbox-demo-nirs"), camilleNIR)
			hb.auditSandbox(page)
			hb.fitsScreen(page)
		}
	}
}
