package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/infopatient/infopatient/internal/sandbox"
)

// TestScreenshotsSandbox writes the simulators' pages a presenter shows,
// at desktop and phone widths, to INFOPATIENT_SCREENSHOTS, along the
// journeys that reach them.
func TestScreenshotsSandbox(t *testing.T) {
	dir := screenshotDir(t)
	if dir == "" {
		t.Skip("screenshots are written only when " + screenshotsEnv + " names a directory (e.g. docs/screenshots)")
	}
	for _, size := range []struct {
		name     string
		viewport chromedp.Action[chromedp.Void]
	}{
		{"desktop", emulateDesktop()},
		{"phone", emulatePhone()},
	} {
		t.Run(size.name, func(t *testing.T) {
			h := start(t, nil)
			b := h.newTab(frenchBrowser)
			b.step(size.name+" window", size.viewport)
			shot := func(page string) { b.shoot(dir, page+"-"+size.name) }

			b.open(h.portal.App.Sandbox.URL())
			shot("sandbox-index")

			b.open("/")
			b.click(testid("login-psc"))
			shot("sandbox-ecps")
			b.chooseAtPSC(virginiePSC)
			b.expectAt("/identification")
			// A second sign-in of the same professional: the sessions
			// page folds the earlier one.
			again := h.newTab(frenchBrowser)
			again.signInWithPSC(virginiePSC)
			again.expectAt("/identification")
			b.open(h.portal.App.Sandbox.PSCSessionsURL())
			shot("sandbox-psc-sessions")

			// The e-CPS app with a request waiting for an answer.
			h.startECPSRequest(isabellePSC, "42")
			b.open(h.portal.App.Sandbox.PSCECPSAppURL() + "?idnat=" + isabellePSC.idNat)
			shot("sandbox-ecps-app")

			// HIN, in a browser not signed in.
			hb := h.newTab(frenchBrowser)
			hb.step(size.name+" window", size.viewport)
			hb.open("/")
			hb.click(testid("login-hin"))
			hb.shoot(dir, "sandbox-hin-signin-"+size.name)
			hb.click(testid("hin-identity-" + hinLinked))
			hb.shoot(dir, "sandbox-hin-consent-"+size.name)

			hb.open(h.portal.App.Sandbox.HIN.ManualURL(sandbox.TokenGroup))
			hb.click(testid("hin-identity-" + hinLinked))
			hb.shoot(dir, "sandbox-hin-code-"+size.name)
		})
	}
}
