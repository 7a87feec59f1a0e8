package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/infopatient/infopatient/internal/sandbox"
)

// startECPSRequest asks the PSC sandbox, as the demo portal would, to
// identify card's professional through the e-CPS app (CIBA), showing
// binding; the request waits on the e-CPS app page.
func (h *harness) startECPSRequest(card pscCard, binding string) {
	h.t.Helper()
	form := url.Values{"scope": {"openid scope_all"}, "acr_values": {"eidas1"}, "login_hint": {card.idNat},
		"binding_message": {binding}, "channel": {"MOBILE"}}
	req, err := http.NewRequest(http.MethodPost, h.portal.App.Sandbox.PSCIssuer()+"/protocol/openid-connect/ext/ciba/auth", strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(sandbox.PSCClientID, sandbox.PSCClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("CIBA request: %d", resp.StatusCode)
	}
}

// ecpsPageWords are the e-CPS app and sessions pages' words per language.
var ecpsPageWords = map[string]struct{ title, binding, older string }{
	"fr": {"Application e-CPS (simulée)", "Code affiché par l'application :", "1 session(s) plus ancienne(s) de cette identité"},
	"de": {"e-CPS-App (simuliert)", "Von der Anwendung angezeigter Code:", "1 ältere Sitzung(en) dieser Identität"},
	"en": {"e-CPS app (simulated)", "Code shown by the application:", "1 earlier session(s) of this identity"},
}

// The PSC sandbox's e-CPS app and sessions pages, on a desktop and a
// phone, in French, German and English: the app drawn as a phone's
// screen, narrower than the browser's pages on a desktop, its binding
// code large, Accept and Refuse drawn apart; the sessions page with an
// identity's earlier session folded; both audited and fitting a phone.
func TestSandboxPSCPagesLook(t *testing.T) {
	h := start(t, nil)
	// Two sign-ins of the same professional: the sessions page folds the
	// earlier one.
	for range 2 {
		b := h.newTab(frenchBrowser)
		b.signInWithPSC(virginiePSC)
		b.expectAt("/identification")
	}
	for _, size := range []struct {
		name     string
		viewport chromedp.Action[chromedp.Void]
		phone    bool
	}{{"desktop", emulateDesktop(), false}, {"phone", emulatePhone(), true}} {
		for _, lang := range []string{"fr", "de", "en"} {
			w := ecpsPageWords[lang]
			where := size.name + " " + lang
			b := h.newTab(sandboxWords[lang].accept)
			b.step(where, size.viewport)

			h.startECPSRequest(isabellePSC, "42")
			b.open(h.portal.App.Sandbox.PSCECPSAppURL() + "?" + url.Values{"idnat": {isabellePSC.idNat}, "ui_locales": {lang}}.Encode())
			page := where + " e-CPS app page"
			b.expect("main h2", w.title)
			b.expect(testid("sandbox-brand"), sandboxWords[lang].tag)
			b.expect(testid("ecps-request"), w.binding)
			b.expectExactly(testid("ecps-binding"), "42")
			if px := eval[float64](b, `parseFloat(getComputedStyle(document.querySelector(`+js(testid("ecps-binding"))+`)).fontSize)`); px < 28 {
				t.Errorf("%s: the binding code is %.0f px, want it large", page, px)
			}
			if !size.phone {
				if wide := eval[float64](b, `document.querySelector(`+js(testid("ecps-app-frame")+" .card")+`).getBoundingClientRect().width`); wide > 480 {
					t.Errorf("%s: the app's screen is %.0f px wide, want a phone's", page, wide)
				}
			}
			b.looksApart(page, testid("ecps-approve"), testid("ecps-refuse"))
			b.controlsInThePageFont(page)
			b.auditSandbox(page)
			b.fitsScreen(page)
			b.click(testid("ecps-refuse"))
			if b.text(testid("ecps-message")) == "" {
				t.Errorf("%s: no message after refusing", page)
			}

			b.open(h.portal.App.Sandbox.PSCSessionsURL() + "?ui_locales=" + lang)
			page = where + " sessions page"
			b.expect(testid("sandbox-brand"), sandboxWords[lang].tag)
			b.expect(testid("psc-session-older")+" summary", w.older)
			if b.count(testid("psc-session-"+virginiePSC.idNat)) != 1 {
				t.Errorf("%s: the professional is listed more than once", page)
			}
			b.controlsInThePageFont(page)
			b.auditSandbox(page)
			b.fitsScreen(page)
		}
	}
}
