package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The HIN code page's copy button puts the whole code — #, / and + too —
// on the clipboard, and a click on the code selects it whole; the
// professional pastes it and is signed in.
func TestHINCodeCopyButton(t *testing.T) {
	h := start(t, nil)
	b := h.newTab(frenchBrowser)
	b.open("/auth/hin/manual")
	href := eval[string](b, `document.querySelector(`+js(testid("hin-manual-link"))+`).href`)

	hin := h.newTab(frenchBrowser)
	// The test reads the clipboard back: the page itself only writes.
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(hin.ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted,
			Origin: h.portal.URL, BrowserContextID: chromedp.FromContext(hin.ctx).BrowserContextID,
		}); err != nil {
			t.Fatalf("granting %s: %v", name, err)
		}
	}
	hin.open(href)
	hin.click(testid("hin-identity-" + hinLinked))
	code := hin.text(testid("hin-manual-code"))
	if !strings.ContainsAny(code, "#/+") {
		t.Logf("this code has none of # / +: %q", code)
	}
	hin.auditSandbox("HIN code page")

	// A click on the code selects it whole.
	hin.step("click the code", chromedp.Click(chromedp.CSS(testid("hin-manual-code")), chromedp.NodeVisible))
	if got := eval[string](hin, `getSelection().toString().trim()`); got != code {
		t.Errorf("a click selects %q, want the whole code %q", got, code)
	}

	// The button copies it (the Clipboard API writes from the tab in front).
	hin.step("bring the tab to the front", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.BringToFront, cdp.Empty{})
		return err
	}))
	hin.step("press the copy button", chromedp.Click(chromedp.CSS(testid("hin-copy")), chromedp.NodeVisible))
	// The clipboard answers asynchronously: wait for the status line.
	for deadline := time.Now().Add(5 * time.Second); hin.text(testid("hin-copy-status")) == "" && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	hin.expect(testid("hin-copy-status"), "Code copié")
	ctx, cancel := hin.stepContext()
	defer cancel()
	copied, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("reading the clipboard: %v", err)
	}
	if copied != code {
		t.Fatalf("the clipboard holds %q, want %q", copied, code)
	}

	b.fill("#code", copied)
	b.click(testid("hin-manual-submit"))
	b.expectAt("/identification")
}
