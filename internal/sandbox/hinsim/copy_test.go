package hinsim

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The code page offers a copy button, shown by its one script (served by
// the simulator, allowed by script-src 'self' on that page alone); the
// code selects whole.
func TestCodePageCopyButton(t *testing.T) {
	h := newHarness(t)
	_, doc := h.get(h.sim.ManualURL(testGroup), "Accept-Language", "de")
	action, pending := formOf(t, doc)
	resp, doc := h.post(action, url.Values{"pending": {pending}, "hin_id": {"aakeret"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("code page: %d", resp.StatusCode)
	}
	button := doc.Find(`[data-testid="hin-copy"]`)
	if button.AttrOr("type", "") != "button" || button.AttrOr("data-copy", "") != "hin-code" || strings.TrimSpace(button.Text()) != "CODE KOPIEREN" {
		t.Errorf("copy button %q → %q", button.Text(), button.AttrOr("data-copy", ""))
	}
	if _, hidden := button.Attr("hidden"); !hidden {
		t.Error("the button shows before its script runs")
	}
	if button.AttrOr("data-selected", "") != "Code markiert: kopieren Sie ihn mit Ctrl+C (⌘C auf dem Mac)." {
		t.Errorf("selected message %q", button.AttrOr("data-selected", ""))
	}
	if button.AttrOr("data-copied", "") != "Code kopiert: fügen Sie ihn in der Anwendung ein." {
		t.Errorf("copied message %q", button.AttrOr("data-copied", ""))
	}
	if doc.Find("#hin-code").AttrOr("data-testid", "") != "hin-manual-code" || !doc.Find("#hin-code").HasClass("copy") {
		t.Error("the code does not select whole")
	}
	if doc.Find("script[src]").Length() != 1 || doc.Find("script:not([src])").Length() != 0 {
		t.Error("the code page's script is not one external file")
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if csp != pageCSP+"; script-src 'self'" {
		t.Errorf("code page CSP %q", csp)
	}

	src := doc.Find("script[src]").AttrOr("src", "")
	js, err := http.Get(h.srv.URL + src)
	if err != nil {
		t.Fatal(err)
	}
	defer js.Body.Close()
	body, _ := io.ReadAll(js.Body)
	if js.StatusCode != http.StatusOK || js.Header.Get("Content-Type") != "text/javascript; charset=utf-8" || !strings.Contains(string(body), "clipboard") {
		t.Errorf("the script %s: %d %q", src, js.StatusCode, js.Header.Get("Content-Type"))
	}
}
