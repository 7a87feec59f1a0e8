package e2e

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// screenshotsEnv names the directory the screenshots are written to;
// a relative path is taken from the module's root (docs/screenshots).
const screenshotsEnv = "INFOPATIENT_SCREENSHOTS"

// TestScreenshots writes the main pages, at desktop and phone widths, to
// the directory INFOPATIENT_SCREENSHOTS names. Each screenshot is taken
// along a real journey, so the pages hold what a professional sees.
func TestScreenshots(t *testing.T) {
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
		// A portal per size, so that each history shows its own lookups.
		t.Run(size.name, func(t *testing.T) {
			h := start(t, nil)
			b := h.newTab(frenchBrowser)
			b.step(size.name+" window", size.viewport)
			shot := func(page string) { b.shoot(dir, page+"-"+size.name) }

			b.open("/")
			shot("login")

			b.click(testid("login-psc"))
			shot("sandbox-ecps")
			b.chooseAtPSC(virginiePSC)
			b.expectAt("/identification")
			shot("identification")

			b.lookUp(camilleNIR)
			b.expectExactly(testid("patient-name"), camilleName)
			shot("patient")

			// French rights: an ALD in force, and rights closed.
			b.click(testid("patient-new"))
			b.lookUpRights("1 60 01 2B 020 777", "01/01/1960", "1")
			b.expect(testid("rights-ald"), "08")
			shot("patient-rights-ald")
			b.click(testid("patient-new"))
			b.lookUpRights("1 70 06 47 123 045", "17/06/2001", "1")
			b.expect(testid("rights-closed"), h.msg("fr", "rights.closed_help"))
			shot("patient-rights-closed")
			b.switchLanguage("en")
			shot("patient-rights-closed-en")
			b.switchLanguage("fr")

			b.click(testid("patient-new"))
			b.lookUp(validCard.number)
			b.expect(testid("patient-name"), validCard.name)
			shot("patient-swiss")

			// A card Covercard does not know: the number kept, the error under it.
			b.click(testid("patient-new"))
			b.lookUp("80756 00000 00000 00099")
			b.expect(testid("identify-error"), h.msg("fr", "swiss.message.unknown"))
			shot("card-unknown")

			b.click(mainNav + ` a[href="/historique"]`)
			shot("history")

			b.click(mainNav + ` a[href="/mes-informations"]`)
			b.expect(testid("claims"), virginiePSC.idNat)
			shot("profile")

			// The same page in German, chosen with the language switch.
			b.switchLanguage("de")
			b.expect(testid("profile-profession"), "Ärztin/Arzt")
			shot("profile-de")
		})
	}
}

// shoot writes a PNG of the whole page (not only the window) to dir/name.png.
func (b *tab) shoot(dir, name string) {
	b.t.Helper()
	ctx, cancel := b.stepContext()
	defer cancel()
	png, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		full, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: new(true),
			FromSurface:           new(true),
			Clip: &page.Viewport{
				Width:  float64(m.CSSLayoutViewport.ClientWidth),
				Height: math.Ceil(m.CSSContentSize.Height),
				Scale:  1,
			},
		})
		return full.Data, err
	})
	if err != nil {
		b.fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// screenshotDir is where to write the screenshots, or "" when they are
// not asked for.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(screenshotsEnv)
	if dir == "" {
		return ""
	}
	if !filepath.IsAbs(dir) {
		root, err := moduleRoot()
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.Join(root, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// moduleRoot is the directory holding go.mod, above the test's directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
