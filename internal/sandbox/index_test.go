package sandbox_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/sandbox/covercardsim"
	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
	"github.com/infopatient/infopatient/internal/sandbox/insisim"
	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang/pagelangtest"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// Every key the index uses is in locales/, and every key there is used;
// the scenario names are looked up by the card's scenario.
func TestIndexCatalogueIsCompleteAndUsed(t *testing.T) {
	pagelangtest.CheckCatalogue(t, sandbox.Catalogue, ".", []string{
		"index.scenario.valid", "index.scenario.blocked", "index.scenario.vvg_only",
		"index.scenario.expired", "index.scenario.unknown", "index.scenario.malformed", "index.scenario.suspended", "index.scenario.invalid",
	}, "text")
}

func indexPage(t *testing.T, rawURL string, header ...string) (*http.Response, *goquery.Document) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, doc
}

// The sandbox's own URL, which start-up advertises, is a page: the three
// simulators with their key URLs, and the test identities and cards the
// simulators load; each of its links is answered by the sandbox.
func TestIndexListsTheSimulatorsAndTheirTestData(t *testing.T) {
	sb, srv := serve(t, sandbox.Config{})
	if sb.URL() != srv.URL+"/sandbox/" {
		t.Errorf("index URL %s", sb.URL())
	}
	resp, doc := indexPage(t, sb.URL())
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("index: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	endpoint := func(testid string) string {
		return strings.TrimSpace(doc.Find(`[data-testid="` + testid + `"] code`).Text())
	}
	for testid, want := range map[string]string{
		"sandbox-psc-issuer":        sb.PSCIssuer(),
		"sandbox-psc-discovery":     sb.PSCIssuer() + "/.well-known/openid-configuration",
		"sandbox-psc-sessions":      sb.PSCSessionsURL(),
		"sandbox-psc-ecps-app":      sb.PSCECPSAppURL(),
		"sandbox-psc-cards":         sb.PSCIssuer() + "/protocol/openid-connect/auth",
		"sandbox-hin-authorize":     sb.HINAuthorizeURL() + "/" + sandbox.TokenGroup,
		"sandbox-hin-manual":        strings.Split(sb.HINManualURL(), "?")[0],
		"sandbox-hin-token":         sb.HINTokenURL(),
		"sandbox-covercard-servlet": sb.CovercardURL(),
		"sandbox-psc-context":       sb.PSCContextURL() + "/share",
		"sandbox-hin-sds":           sb.HINSDSURL() + "/api/public/v1/self/",
		"sandbox-insi-endpoint":     sb.INSiURL(),
	} {
		if got := endpoint(testid); got != want {
			t.Errorf("%s: %q, want %q", testid, got, want)
		}
	}
	if !strings.Contains(doc.Find(`[data-testid="sandbox-psc-cards"]`).Text(), "code 1234") {
		t.Error("the e-CPS page's link does not give the card code")
	}
	if href, _ := doc.Find(`[data-testid="sandbox-hin-manual"] a`).Attr("href"); !strings.Contains(href, "tokenGroup="+sandbox.TokenGroup) {
		t.Errorf("manual code page %q", href)
	}

	// The test identities and cards, as the simulators load them.
	pros, _ := pscsim.LoadProfessionals(data.Files, "sandbox/psc-professionals.json")
	ids, _ := hinsim.LoadIdentities(data.Files, "sandbox/hin-identities.json")
	cards, _ := covercardsim.LoadCards(data.Files, "sandbox/covercard-cards.json")
	psc := doc.Find(`[data-testid="sandbox-psc-identities"]`).Text()
	for _, p := range pros {
		if !strings.Contains(psc, p.DisplayName()) || !strings.Contains(psc, "idNat "+p.IDNat) || !strings.Contains(psc, p.Note.In("fr")) {
			t.Errorf("PSC card %s not listed: %s", p.IDNat, psc)
		}
	}
	hin := doc.Find(`[data-testid="sandbox-hin-identities"]`).Text()
	for _, id := range ids {
		if !strings.Contains(hin, id.DisplayName()) || !strings.Contains(hin, id.HINID) {
			t.Errorf("HIN identity %s not listed", id.HINID)
		}
	}
	cc := doc.Find(`[data-testid="sandbox-covercard-cards"]`).Text()
	for _, c := range cards {
		if !strings.Contains(cc, c.Number) || (c.Person != nil && !strings.Contains(cc, c.Person.OfficialName)) {
			t.Errorf("Covercard card %s not listed", c.Number)
		}
	}
	personas, _ := insisim.LoadIdentities(data.Files, "sandbox/insi-identities.json")
	insiText := doc.Find(`[data-testid="sandbox-insi-personas"]`).Text()
	for _, p := range personas {
		if !strings.Contains(insiText, p.DisplayName()) || !strings.Contains(insiText, p.Shows["fr"]) {
			t.Errorf("INSi persona %s not listed with what it shows", p.ID)
		}
	}
	if len(personas) < 13 {
		t.Errorf("only %d INSi personas", len(personas))
	}
	for _, w := range []string{"Carte bloquée par l'assureur", "Carte valide, prestations suspendues"} {
		if !strings.Contains(cc, w) {
			t.Errorf("card outcomes lack %q", w)
		}
	}

	// Every link and the stylesheet are the sandbox's, answered by the
	// same handler; the portal's is the registered portal.
	base, _ := url.Parse(sb.URL())
	var targets []string
	doc.Find("a[href], link[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		u, err := base.Parse(href)
		if err != nil {
			t.Errorf("link %q: %v", href, err)
			return
		}
		if u.Host == "portal.example" {
			return
		}
		if u.Host != base.Host || !strings.HasPrefix(u.Path, "/sandbox/") {
			t.Errorf("link %q leaves the sandbox", href)
			return
		}
		targets = append(targets, u.String())
	})
	if len(targets) < 9 {
		t.Errorf("only %d links: %v", len(targets), targets)
	}
	for _, target := range append(targets, sb.CovercardURL()) {
		resp, err := http.Get(target)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode >= 500 {
			t.Errorf("%s: %d", target, resp.StatusCode)
		}
	}
	if href, _ := doc.Find(`[data-testid="sandbox-portal"]`).Attr("href"); href != "http://portal.example/" {
		t.Errorf("portal link %q", href)
	}
	// The base URL without its slash leads to the index too (as the
	// portal's mux and this test's redirect it); other paths stay 404.
	if resp, _ := indexPage(t, srv.URL+"/sandbox"); resp.StatusCode != http.StatusOK {
		t.Errorf("/sandbox: %d", resp.StatusCode)
	}
	if resp, _ := indexPage(t, srv.URL+"/sandbox/nothing"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/sandbox/nothing: %d", resp.StatusCode)
	}
	if resp, err := http.Post(sb.URL(), "text/plain", nil); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST index: %v %v", resp, err)
	}
}

// The index speaks French, German and English: from the browser's
// language, or the language chosen in its switcher.
func TestIndexInEachLanguage(t *testing.T) {
	sb, _ := serve(t, sandbox.Config{})
	for _, tc := range []struct {
		query, accept, lang string
		want                []string
		notWant             string
	}{
		{"", "", "fr", []string{"Bac à sable InfoPatient", "Cartes de test (code 1234 pour toutes)", "Identités HIN de test", "Médecin — médecine générale", "Démo : associée d'origine au compte 751234567", "Carte bloquée par l'assureur"}, "Testkarten"},
		{"", "de-CH,de;q=0.9", "de", []string{"InfoPatient-Sandbox", "Testkarten (Code 1234 für alle)", "HIN-Testidentitäten", "Ärztin — Allgemeinmedizin", "Demo: von Anfang an mit dem Konto 751234567 verknüpft", "Vom Versicherer gesperrte Karte"}, "Cartes de test"},
		{"?lang=en", "de", "en", []string{"InfoPatient sandbox", "Test cards (code 1234 for all)", "HIN test identities", "Doctor — general practice", "Demo: linked to account 751234567 from the start", "Card blocked by the insurer"}, "Testkarten"},
	} {
		_, doc := indexPage(t, sb.URL()+tc.query, "Accept-Language", tc.accept)
		if lang, _ := doc.Find("html").Attr("lang"); lang != tc.lang {
			t.Errorf("%s: html lang %q", tc.lang, lang)
		}
		text := doc.Text()
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the index lacks %q", tc.lang, w)
			}
		}
		if strings.Contains(text, tc.notWant) {
			t.Errorf("%s: the index shows %q", tc.lang, tc.notWant)
		}
		links := doc.Find(`[data-testid="sandbox-languages"] a`)
		if links.Length() != 3 {
			t.Fatalf("%s: %d language links", tc.lang, links.Length())
		}
		current := doc.Find(`[data-testid="sandbox-languages"] a[aria-current="true"]`)
		if l, _ := current.Attr("hreflang"); l != tc.lang {
			t.Errorf("%s: current language %q", tc.lang, l)
		}
		if href, _ := doc.Find(`[data-testid="sandbox-languages"] a[hreflang="de"]`).Attr("href"); href != "/sandbox/?lang=de" {
			t.Errorf("%s: German link %q", tc.lang, href)
		}
		if href, _ := doc.Find(`[data-testid="sandbox-psc-sessions"] a`).Attr("href"); !strings.HasSuffix(href, "ui_locales="+tc.lang) {
			t.Errorf("%s: the sessions page is not asked in the page's language: %q", tc.lang, href)
		}
	}
}
