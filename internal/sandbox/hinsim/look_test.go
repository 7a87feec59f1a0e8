package hinsim

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// stylesheet fetches the stylesheet the page links, from the simulator.
func (h *harness) stylesheet(t *testing.T, doc *goquery.Document) string {
	t.Helper()
	href, ok := doc.Find(`link[rel=stylesheet]`).Attr("href")
	if !ok || !strings.HasPrefix(href, "/sandbox/hin/resources/sandbox.css?v=") {
		t.Fatalf("the page links the stylesheet %q", href)
	}
	resp, err := http.Get(h.srv.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Fatalf("stylesheet: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return string(b)
}

// Every HIN page has the simulator's masthead — its mark, HIN e-ID and the
// "simulator" tag, in the page's language — and the shared stylesheet, no
// inline style (the CSP allows none).
func TestPagesHaveTheMasthead(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct{ lang, tag string }{{"fr", "Simulateur"}, {"de", "Simulator"}, {"en", "Simulator"}} {
		_, signIn := h.get(h.authorizeURL(testGroup, goodAuthorize()), "Accept-Language", tc.lang)
		action, pending := formOf(t, signIn)
		_, consent := h.post(action, url.Values{"pending": {pending}, "hin_id": {"cmuster"}})
		_, manual := h.get(h.sim.ManualURL(testGroup) + "&lang=" + tc.lang)
		manualAction, manualPending := formOf(t, manual)
		_, code := h.post(manualAction, url.Values{"pending": {manualPending}, "hin_id": {"cmuster"}})
		_, failed := h.get(h.authorizeURL("no-such-group", goodAuthorize()) + "&lang=" + tc.lang)
		for name, doc := range map[string]*goquery.Document{"sign-in": signIn, "consent": consent, "code": code, "error": failed} {
			head := doc.Find(`header.masthead[data-testid="hin-header"]`)
			if head.Length() != 1 {
				t.Errorf("%s %s: no masthead", tc.lang, name)
				continue
			}
			if brand, tag := head.Find(".brand-name").Text(), head.Find(".brand-tag").Text(); brand != "HIN e-ID" || tag != tc.tag {
				t.Errorf("%s %s: brand %q, tag %q", tc.lang, name, brand, tag)
			}
			if doc.Find("style, [style], script").Length() != 0 {
				t.Errorf("%s %s: inline style or script", tc.lang, name)
			}
			if doc.Find("body.sim-hin main h1").Length() != 1 {
				t.Errorf("%s %s: no page title", tc.lang, name)
			}
		}
	}
}

// Oui and Non are not the same button: Yes is the main action, No the
// other, and the stylesheet draws them apart.
func TestConsentYesAndNoLookDifferent(t *testing.T) {
	h := newHarness(t)
	_, signIn := h.get(h.authorizeURL(testGroup, goodAuthorize()))
	action, pending := formOf(t, signIn)
	_, consent := h.post(action, url.Values{"pending": {pending}, "hin_id": {"cmuster"}})
	yes, _ := consent.Find(`[data-testid="hin-consent-yes"]`).Attr("class")
	no, _ := consent.Find(`[data-testid="hin-consent-no"]`).Attr("class")
	if yes != "primary" || no != "secondary" {
		t.Fatalf("yes is %q, no is %q: want primary and secondary", yes, no)
	}
	rules := cssRules(h.stylesheet(t, consent))
	primary, secondary := rules["button.primary"], rules["button.secondary"]
	if !strings.Contains(primary, "background:var(--accent)") || !strings.Contains(secondary, "background:#fff") {
		t.Errorf("button.primary{%s} and button.secondary{%s} are not filled and outlined", primary, secondary)
	}
}

// The manual code is one block that a click selects whole: HIN's codes
// hold #, / and +, at which a double-click stops.
func TestManualCodeSelectsWhole(t *testing.T) {
	h := newHarness(t)
	_, manual := h.get(h.sim.ManualURL(testGroup))
	action, pending := formOf(t, manual)
	_, page := h.post(action, url.Values{"pending": {pending}, "hin_id": {"cmuster"}})
	code := page.Find(`code[data-testid="hin-manual-code"]`)
	if class, _ := code.Attr("class"); class != "copy" || code.Text() == "" {
		t.Fatalf("code %q of class %q", code.Text(), class)
	}
	if rule := cssRules(h.stylesheet(t, page))["code.copy"]; !strings.Contains(rule, "user-select:all") {
		t.Errorf("code.copy{%s} does not select whole", rule)
	}
}

// The stylesheet is served under the simulator's own path, so that HIN
// mounted alone keeps its look.
func TestStylesheetServedByTheSimulator(t *testing.T) {
	h := newHarness(t)
	resp, err := http.Post(h.srv.URL+"/sandbox/hin/resources/sandbox.css", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST to the stylesheet: %d", resp.StatusCode)
	}
}
