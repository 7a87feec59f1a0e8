package sandbox_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/sandbox"
)

// demoData is a demo portal's accounts and patients, as the portal hands
// them to the sandbox.
var demoData = sandbox.Demo{
	Password: "infopatient",
	Accounts: []sandbox.DemoAccount{
		{Login: "751234567", Name: "Virginie Medecin", Profession: "Médecin", PSC: "899700218896"},
		{Login: "756100001", Name: "Claudia Muster", Profession: "Médecin", HIN: "cmuster"},
		{Login: "756100002", Name: "Hans Weber", Profession: "Médecin", GLN: "7601001000032"},
		{Login: "931234565", Name: "Isabelle Infirmiere", Profession: "Infirmière"},
	},
	Patients: []sandbox.DemoPatient{
		{NIR: "2840275115023", Name: "Camille DUPONT", BirthDate: "1984-02-11"},
		{NIR: "176122A004018", Name: "Ange-Marie SANTONI", ALD: true},
		{NIR: "1881044109201", Name: "Yann LE GALL", RightsUntil: "2025-06-30"},
	},
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// The index lists, first, how to sign in to the demo portal — each
// account's login, who it is and what its e-CPS or HIN sign-in does, the
// shared password — and the NIRs to look up, grouped as on a carte
// Vitale, in the page's language.
func TestIndexListsDemoAccountsAndNIRs(t *testing.T) {
	sb, _ := serve(t, sandbox.Config{Demo: demoData})
	for _, tc := range []struct {
		lang     string
		password string
		accounts []string
		nirs     []string
	}{
		{"fr", "Mot de passe de tous les comptes : infopatient", []string{
			"751234567 Virginie Medecin Médecin Associé à l'e-CPS idNat 899700218896 : la connexion e-CPS y mène directement",
			"756100001 Claudia Muster Médecin Associé à l'identité HIN cmuster",
			"756100002 Hans Weber Médecin GLN 7601001000032 : la première connexion HIN de l'identité dont le profil",
			"931234565 Isabelle Infirmiere Infirmière Aucune identité associée",
		}, []string{"2 84 02 75 115 023 Camille DUPONT", "1 76 12 2A 004 018 Ange-Marie SANTONI · ALD", "1 88 10 44 109 201 Yann LE GALL · fin des droits : 30/06/2025"}},
		{"de", "Passwort aller Konten: infopatient", []string{
			"751234567 Virginie Medecin Médecin Mit der e-CPS idNat 899700218896 verknüpft",
			"756100001 Claudia Muster Médecin Mit der HIN-Identität cmuster verknüpft",
			"756100002 Hans Weber Médecin GLN 7601001000032: die erste HIN-Anmeldung",
			"931234565 Isabelle Infirmiere Infirmière Keine Identität verknüpft",
		}, []string{"2 84 02 75 115 023 Camille DUPONT", "ALD (Langzeiterkrankung)", "Ende der Ansprüche: 30.06.2025"}},
		{"en", "Password of every account: infopatient", []string{
			"751234567 Virginie Medecin Médecin Linked to the e-CPS idNat 899700218896",
			"756100001 Claudia Muster Médecin Linked to the HIN identity cmuster",
			"756100002 Hans Weber Médecin GLN 7601001000032: the first HIN sign-in",
			"931234565 Isabelle Infirmiere Infirmière No identity linked",
		}, []string{"2 84 02 75 115 023 Camille DUPONT", "ALD (long-term condition)", "rights end: 30 Jun 2025"}},
	} {
		resp, doc := indexPage(t, sb.URL()+"?lang="+tc.lang)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tc.lang, resp.StatusCode)
		}
		demo := doc.Find(`[data-testid="sandbox-demo"]`)
		if demo.Length() != 1 {
			t.Fatalf("%s: no demo section", tc.lang)
		}
		// First on the page, before the simulators.
		if first, _ := doc.Find("main section").First().Attr("data-testid"); first != "sandbox-demo" {
			t.Errorf("%s: the first section is %q", tc.lang, first)
		}
		if got := squash(demo.Find(`[data-testid="sandbox-demo-password"]`).Text()); got != tc.password {
			t.Errorf("%s: password line %q", tc.lang, got)
		}
		accounts := demo.Find(`[data-testid="sandbox-demo-account"]`)
		if accounts.Length() != len(tc.accounts) {
			t.Fatalf("%s: %d accounts", tc.lang, accounts.Length())
		}
		for i, want := range tc.accounts {
			if got := squash(accounts.Eq(i).Text()); !strings.HasPrefix(got, want) {
				t.Errorf("%s: account %d shows %q, want %q…", tc.lang, i, got, want)
			}
		}
		// The profession is the data's French: marked as such.
		if l, _ := accounts.First().Find(`[lang]`).Attr("lang"); l != "fr" {
			t.Errorf("%s: profession not marked French", tc.lang)
		}
		nirs := squash(demo.Find(`[data-testid="sandbox-demo-nirs"]`).Text())
		for _, want := range tc.nirs {
			if !strings.Contains(nirs, want) {
				t.Errorf("%s: NIRs %q lack %q", tc.lang, nirs, want)
			}
		}
		if n := demo.Find(`[data-testid="sandbox-demo-nir"]`).Length(); n != len(demoData.Patients) {
			t.Errorf("%s: %d NIRs", tc.lang, n)
		}
	}
}

// A sandbox beside a portal of its own knows no demo account: no section.
func TestIndexWithoutDemoData(t *testing.T) {
	sb, _ := serve(t, sandbox.Config{})
	_, doc := indexPage(t, sb.URL())
	if doc.Find(`[data-testid="sandbox-demo"]`).Length() != 0 {
		t.Error("a demo section without demo data")
	}
}

// Words as the portal says them: the French index names Swiss
// supplementary insurance LCA, as the portal does (VVG is German); the
// German and English ones name the portal's page in their language.
func TestIndexWordsMatchThePortal(t *testing.T) {
	sb, _ := serve(t, sandbox.Config{})
	for _, tc := range []struct{ lang, want, notWant string }{
		{"fr", "Assurance complémentaire (LCA) seule", "(VVG)"},
		{"de", "einzugeben auf der Seite „Identifizieren Sie Ihre Patientin / Ihren Patienten“", "IDENTIFIEZ"},
		{"en", "to type on the Identify your patient page", "IDENTIFIEZ"},
	} {
		_, doc := indexPage(t, sb.URL()+"?lang="+tc.lang)
		text := doc.Find("main").Text()
		if !strings.Contains(text, tc.want) || strings.Contains(text, tc.notWant) {
			t.Errorf("%s: want %q and not %q", tc.lang, tc.want, tc.notWant)
		}
	}
}

// The index has the simulators' masthead and links the shared stylesheet
// it serves itself; its page title is its one h1.
func TestIndexMastheadAndStylesheet(t *testing.T) {
	sb, srv := serve(t, sandbox.Config{})
	_, doc := indexPage(t, sb.URL()+"?lang=de")
	if got := doc.Find(`header.masthead [data-testid="sandbox-brand"]`).Text(); got != "Sandbox" {
		t.Errorf("brand tag %q", got)
	}
	if doc.Find("body.sim-index").Length() != 1 || doc.Find("h1").Length() != 1 {
		t.Error("no sim-index body or not one h1")
	}
	href, _ := doc.Find(`link[rel=stylesheet]`).Attr("href")
	if !strings.HasPrefix(href, "/sandbox/resources/sandbox.css?v=") {
		t.Fatalf("stylesheet %q", href)
	}
	resp, err := http.Get(srv.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("stylesheet: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// A demo patient, listed first with the demo accounts, is not listed
// again among ADRi's beneficiaries; without demo data, ADRi lists it.
func TestIndexListsEachDemoPatientOnce(t *testing.T) {
	camille := "NIR assuré 2840275115023"
	for _, tc := range []struct {
		demo       sandbox.Demo
		inADRi     bool
		adriListed string
	}{
		{demoData, false, "demo data"},
		{sandbox.Demo{}, true, "no demo data"},
	} {
		sb, _ := serve(t, sandbox.Config{Demo: tc.demo})
		_, doc := indexPage(t, sb.URL()+"?lang=fr")
		adri := squash(doc.Find(`[data-testid="sandbox-adri-beneficiaries"]`).Text())
		if adri == "" {
			t.Fatalf("%s: ADRi lists no beneficiary", tc.adriListed)
		}
		if got := strings.Contains(adri, camille); got != tc.inADRi {
			t.Errorf("%s: Camille DUPONT among ADRi's beneficiaries: %v, want %v", tc.adriListed, got, tc.inADRi)
		}
	}
}
