package hinsim

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang/pagelangtest"
)

// Every key the code uses is in locales/, and every key there is used;
// pagelang refuses a catalogue whose languages differ.
func TestCatalogueIsCompleteAndUsed(t *testing.T) {
	pagelangtest.CheckCatalogue(t, catalogue(), ".", nil, "text", "renderError", "newPage", "renderSignIn")
}

func shippedIdentities(t *testing.T) []Identity {
	t.Helper()
	ids, err := LoadIdentities(os.DirFS("../../../data/sandbox"), "hin-identities.json")
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// The sign-in page, the identities' professions and notes included, is
// in German and in English, not only its html lang.
func TestSignInPageIsCompleteInEachLanguage(t *testing.T) {
	ids := shippedIdentities(t)
	for _, id := range ids {
		for _, lang := range []string{"fr", "de", "en"} {
			if id.Professions[lang] == "" || id.Notes[lang] == "" {
				t.Errorf("%s: no profession or note in %s", id.HINID, lang)
			}
		}
	}
	h := newHarness(t, func(c *Config) { c.Identities = ids })
	for lang, want := range map[string][]string{
		"de": {"Anmeldung mit der HIN e-ID", "Ärztin", "Demo: von Anfang an mit dem Konto 756100001 verknüpft", "Apothekerin", "Pflegefachfrau", "Anwendung: InfoPatient"},
		"en": {"Sign in with your HIN e-ID", "Doctor", "Demo: linked to account 756100001 from the start", "Pharmacist", "Nurse", "Application: InfoPatient"},
		"fr": {"Connexion avec la HIN e-ID", "Médecin", "Démo : associée d'origine au compte 756100001", "Pharmacienne"},
	} {
		_, doc := h.get(h.authorizeURL(testGroup, goodAuthorize()), "Accept-Language", lang)
		text := doc.Text()
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the sign-in page lacks %q", lang, w)
			}
		}
		if lang != "fr" && (strings.Contains(text, "Pharmacienne") || strings.Contains(text, "aucun compte associé")) {
			t.Errorf("%s: French on the sign-in page", lang)
		}
	}
}

// switchTo follows the page's language switcher to lang.
func (h *harness) switchTo(doc *goquery.Document, lang string) *goquery.Document {
	h.t.Helper()
	links := doc.Find(`[data-testid="sandbox-languages"] a`)
	if links.Length() != 3 {
		h.t.Fatalf("the page offers %d languages", links.Length())
	}
	href, _ := links.Filter(`[hreflang="` + lang + `"]`).Attr("href")
	if u, err := url.Parse(href); err != nil || u.IsAbs() || href == "" {
		h.t.Fatalf("switcher href %q", href)
	}
	_, next := h.get(h.srv.URL + href)
	if got, _ := next.Find("html").Attr("lang"); got != lang {
		h.t.Fatalf("after switching to %s the page is in %q: %s", lang, got, next.Text())
	}
	if cur, _ := next.Find(`[data-testid="sandbox-languages"] a[aria-current="true"]`).Attr("hreflang"); cur != lang {
		h.t.Errorf("the switcher marks %q as current", cur)
	}
	return next
}

// Switching language on the sign-in and consent pages keeps the
// authorization request: the sign-in completes afterwards, with its
// state, and the language stays for the rest of it.
func TestLanguageSwitchKeepsTheSignIn(t *testing.T) {
	h := newHarness(t)
	q := goodAuthorize()
	q.Set("state", "st&é+#1")
	_, doc := h.get(h.authorizeURL(testGroup, q))
	doc = h.switchTo(doc, "de")
	if doc.Find("h1").Text() != "Anmeldung mit der HIN e-ID" || !strings.Contains(doc.Find(`[data-testid="hin-signin-context"]`).Text(), testGroup) {
		t.Fatalf("German sign-in page: %s", doc.Text())
	}
	action, pending := formOf(t, doc)
	_, doc = h.post(action, url.Values{"pending": {pending}, "hin_id": {"cmuster"}})
	if doc.Find(`[data-testid="hin-consent-yes"]`).Text() != "Ja" {
		t.Fatalf("consent not in German: %s", doc.Text())
	}
	doc = h.switchTo(doc, "en")
	if doc.Find(`[data-testid="hin-consent-yes"]`).Text() != "Yes" || !strings.Contains(doc.Find(`[data-testid="hin-consent-question"]`).Text(), "cmuster") {
		t.Fatalf("consent not in English: %s", doc.Text())
	}
	action, pending = formOf(t, doc)
	resp, _ := h.post(action, url.Values{"pending": {pending}, "decision": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("consent: %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("state") != "st&é+#1" || !strings.HasPrefix(loc.String(), testRedirectURI+"?") {
		t.Fatalf("callback %s", loc)
	}
	if a := h.token("", codeForm(loc.Query().Get("code"), testRedirectURI)); a.Status != 200 || a.HINID != "cmuster" {
		t.Fatalf("exchange %d %s", a.Status, a.Raw)
	}
	// The answered sign-in is gone: its switcher says so, in the language asked.
	if _, doc := h.get(h.srv.URL + "/sandbox/hin/e-id/signin?" + url.Values{"pending": {pending}, "lang": {"de"}}.Encode()); !strings.Contains(doc.Find(`[data-testid="hin-error"]`).Text(), "abgelaufen") {
		t.Errorf("switching a finished sign-in: %s", doc.Text())
	}
}

// The manual variant's pages switch too; the code page shows the same
// code in the new language.
func TestLanguageSwitchOnTheManualPages(t *testing.T) {
	h := newHarness(t)
	_, doc := h.get(h.sim.ManualURL(testGroup))
	doc = h.switchTo(doc, "en")
	action, pending := formOf(t, doc)
	_, doc = h.post(action, url.Values{"pending": {pending}, "hin_id": {"aakeret"}})
	code := doc.Find(`[data-testid="hin-manual-code"]`).Text()
	if !strings.Contains(doc.Text(), "Copy this code") || code == "" {
		t.Fatalf("code page not in English: %s", doc.Text())
	}
	doc = h.switchTo(doc, "de")
	if doc.Find(`[data-testid="hin-manual-code"]`).Text() != code || !strings.Contains(doc.Text(), "Kopieren Sie diesen Code") {
		t.Fatalf("German code page: %s", doc.Text())
	}
	// One code per sign-in, whatever the language.
	if resp, _ := h.post(action, url.Values{"pending": {pending}, "hin_id": {"aakeret"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("second code: %d", resp.StatusCode)
	}
	if a := h.token("", codeForm(code, "")); a.Status != 200 || a.HINID != "aakeret" {
		t.Fatalf("exchange %d %s", a.Status, a.Raw)
	}
}

// Error pages switch language and show the same error.
func TestErrorPagesSwitchLanguage(t *testing.T) {
	h := newHarness(t)
	_, doc := h.get(h.authorizeURL("no-such-group", goodAuthorize()))
	if doc.Find(`[data-testid="hin-error"]`).Text() != "Groupe de jetons inconnu." {
		t.Fatalf("error page: %s", doc.Text())
	}
	doc = h.switchTo(doc, "de")
	if doc.Find(`[data-testid="hin-error"]`).Text() != "Unbekannte Token-Gruppe." || doc.Find("h1").Text() != "Fehler" {
		t.Errorf("German error page: %s", doc.Text())
	}
	// A form posted too late: the page links to the same sign-in.
	_, doc = h.post("/sandbox/hin/e-id/consent", url.Values{"pending": {"forged"}, "decision": {"yes"}})
	doc = h.switchTo(doc, "en")
	if !strings.Contains(doc.Find(`[data-testid="hin-error"]`).Text(), "expired") {
		t.Errorf("English expired page: %s", doc.Text())
	}
}

// A manual code works once, and for ten minutes only.
func TestManualCodeRefusedOnceRedeemedOrAfterTenMinutes(t *testing.T) {
	h := newHarness(t)
	code := h.manualCode(testGroup, "aakeret")
	if a := h.token("", codeForm(code, "")); a.Status != 200 {
		t.Fatalf("first redemption %d %s", a.Status, a.Raw)
	}
	if a := h.token("", codeForm(code, "")); a.Status != http.StatusBadRequest || a.Error != "invalid_request" {
		t.Errorf("second redemption %d %s", a.Status, a.Raw)
	}

	code = h.manualCode(testGroup, "cmuster")
	h.clock.Advance(10*time.Minute - time.Second)
	late := h.manualCode(testGroup, "cmuster")
	h.clock.Advance(time.Second)
	if a := h.token("", codeForm(code, "")); a.Status != http.StatusBadRequest || a.Error != "invalid_request" {
		t.Errorf("after 10 minutes %d %s", a.Status, a.Raw)
	}
	if a := h.token("", codeForm(late, "")); a.Status != 200 || a.HINID != "cmuster" {
		t.Errorf("a code of 1 s ago %d %s", a.Status, a.Raw)
	}
}

// The language links keep clear of the screen's edge on a phone and wrap
// rather than overflow: they sit in the masthead's padded bar, wrap, and
// their links have no margin pushing the last one to the edge.
func TestLanguageLinksKeepClearOfTheEdge(t *testing.T) {
	h := newHarness(t)
	_, doc := h.get(h.authorizeURL(testGroup, goodAuthorize()), "Accept-Language", "de")
	rules := cssRules(h.stylesheet(t, doc))
	if bar := rules[".masthead .bar"]; !strings.Contains(bar, "padding:.9rem 1rem") || !strings.Contains(bar, "flex-wrap:wrap") {
		t.Errorf(".masthead .bar{%s}: no side padding or no wrapping", bar)
	}
	langs := rules["header .langs"]
	for _, want := range []string{"display:flex", "flex-wrap:wrap"} {
		if !strings.Contains(langs, want) {
			t.Errorf("header .langs{%s} lacks %s", langs, want)
		}
	}
	for sel, decl := range rules {
		if strings.Contains(sel, ".langs a") && strings.Contains(decl, "margin") {
			t.Errorf("%s{%s}: a margin pushes the last link to the edge", sel, decl)
		}
	}
	if doc.Find(`header .bar nav.langs[data-testid="sandbox-languages"] a`).Length() != 3 {
		t.Error("no three language links in the masthead")
	}
}

// cssRules maps each selector of a stylesheet to its declarations, up to
// its first @media (the rules for every width).
func cssRules(css string) map[string]string {
	css, _, _ = strings.Cut(css, "@media")
	rules := map[string]string{}
	for _, rule := range strings.Split(css, "}") {
		if sel, decl, ok := strings.Cut(strings.TrimSpace(rule), "{"); ok {
			if i := strings.LastIndex(sel, "*/"); i >= 0 {
				sel = sel[i+2:]
			}
			rules[strings.TrimSpace(sel)] = decl
		}
	}
	return rules
}

// The portal asks HIN's pages for its own language with ui_locales: they
// follow it over the browser's Accept-Language, through the consent.
func TestUILocalesFromThePortalOverAcceptLanguage(t *testing.T) {
	h := newHarness(t)
	q := goodAuthorize()
	q.Set("ui_locales", "de")
	_, doc := h.get(h.authorizeURL(testGroup, q), "Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5")
	if lang, _ := doc.Find("html").Attr("lang"); lang != "de" {
		t.Fatalf("sign-in page in %q, want de", lang)
	}
	action, pending := formOf(t, doc)
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+action, strings.NewReader(url.Values{"pending": {pending}, "hin_id": {"cmuster"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
	_, doc = h.do(req)
	if lang, _ := doc.Find("html").Attr("lang"); lang != "de" || doc.Find(`[data-testid="hin-consent-yes"]`).Length() != 1 {
		t.Errorf("consent page in %q: %.300s", lang, doc.Text())
	}
}
