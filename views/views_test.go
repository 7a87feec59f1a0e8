package views

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/infopatient/infopatient/internal/i18n"
)

// render renders c in lang, signed in as user (nil: anonymous), and parses it.
func render(t *testing.T, c templ.Component, lang string, user *Viewer) *goquery.Document {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := i18n.WithLocalizer(context.Background(), cat.For(lang))
	ctx = WithPage(ctx, Page{User: user, CSRF: "tok", Path: "/identification?x=1&return=%2Fhistorique"})
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func text(doc *goquery.Document, id string) string {
	return strings.Join(strings.Fields(doc.Find(`[data-testid="`+id+`"]`).Text()), " ")
}

func TestLoginPage(t *testing.T) {
	doc := render(t, LoginPage(LoginForm{Login: "751234567", Error: "login.failed", PSCLogin: "/auth/psc/login"}), "fr", nil)
	if got := doc.Find("h1").Text(); !strings.Contains(got, "PROFESSIONNELS DE SANTÉ") || !strings.Contains(got, "CONNECTEZ-VOUS !") {
		t.Errorf("title %q", got)
	}
	if text(doc, "login-psc") != "SE CONNECTER par e-CPS" || doc.Find(`[data-testid="login-psc"]`).AttrOr("href", "") != "/auth/psc/login" {
		t.Error("e-CPS button")
	}
	if !strings.Contains(text(doc, "login-hin-off"), "pas configurée") {
		t.Error("an unconfigured HIN button must say so")
	}
	if doc.Find(`#login`).AttrOr("value", "") != "751234567" || doc.Find(`#login`).AttrOr("aria-invalid", "") != "true" {
		t.Error("typed login lost or not marked")
	}
	if doc.Find(`form[data-testid="login-form"] input[name="_csrf"]`).AttrOr("value", "") != "tok" {
		t.Error("CSRF token missing")
	}
	if doc.Find(`[data-testid="professional"]`).Length() != 0 {
		t.Error("an anonymous page shows a professional")
	}
	for _, id := range []string{"login", "password"} {
		if doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("field %s has no label", id)
		}
	}
}

func TestHeaderShowsTheProfessionalAndLanguages(t *testing.T) {
	doc := render(t, IdentifyPage(IdentifyForm{}), "de", &Viewer{DisplayName: "VIRGINIE MEDECIN", Identifier: "RPPS 99700218896"})
	if text(doc, "professional") != "VIRGINIE MEDECIN RPPS 99700218896" {
		t.Errorf("header %q", text(doc, "professional"))
	}
	if doc.Find("html").AttrOr("lang", "") != "de" || doc.Find(`[data-testid="logout"]`).Length() != 1 {
		t.Error("lang attribute or logout button")
	}
	links := doc.Find(`[data-testid="languages"] a`)
	if links.Length() != 3 || links.Eq(2).AttrOr("href", "") != "/identification?lang=en&return=%2Fhistorique" || links.Eq(1).AttrOr("aria-current", "") != "true" {
		t.Errorf("language links %d %q", links.Length(), links.Eq(2).AttrOr("href", ""))
	}
}

func TestIdentifyPageTiesTheErrorToTheField(t *testing.T) {
	doc := render(t, IdentifyPage(IdentifyForm{Value: "123", Error: "identify.error.nir_length", Recognised: "nir", Swiss: true}), "fr", &Viewer{})
	field := doc.Find("#identifier")
	if field.AttrOr("aria-invalid", "") != "true" || !strings.Contains(field.AttrOr("aria-describedby", ""), "identifier-error") {
		t.Error("error not tied to the field")
	}
	if got := text(doc, "identify-error"); !strings.Contains(got, "13 caractères") || !strings.Contains(text(doc, "identify-recognised"), "Sécurité Sociale") {
		t.Errorf("error %q", got)
	}
	if !strings.Contains(doc.Find(`label[for="identifier"]`).Text(), "carte d'assuré suisse") {
		t.Error("with Covercard configured the label offers Swiss cards")
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// camilleRights is a rights answer as web builds it: open rights, an ALD
// in force, a mutuelle.
func camilleRights() FrenchRightsView {
	return FrenchRightsView{
		AssureNIR: "2 84 02 75 115 023 18", ReferenceDate: day(2026, 3, 1), Answered: day(2026, 3, 1), Open: true,
		Beneficiary: RightsBeneficiary{UsualName: "MARTIN", BirthName: "DUPONT", GivenName: "CAMILLE ANNE", BirthDate: day(1984, 2, 11),
			Age: 42, Rank: 1, Quality: "0", CertifiedNIR: "2 84 02 75 115 023 18"},
		Regime: "01", RegimeLabel: "Régime général", Caisse: "751", CaisseLabel: "CPAM de Paris", Centre: "0001",
		AMO:      []RightsPeriod{{Start: day(2015, 1, 1), End: day(2019, 12, 31)}, {Start: day(2020, 1, 1), Current: true}},
		Coverage: []RightsCoverage{{RightsPeriod: RightsPeriod{Start: day(2021, 1, 1), Current: true}, ALDCode: "08", Nature: "AM"}},
		ALDNow:   []string{"08"},
		Complementary: []RightsComplementary{{Kind: "AMC", Number: "75500017", Label: "Mutuelle Générale", Current: true,
			Periods: []RightsPeriod{{Start: day(2026, 1, 1), End: day(2026, 12, 31), Current: true}}}},
		DoctorDeclared: true, DoctorName: "Dr Virginie MEDECIN",
		RetrieveINS: TraitsPrefill{BirthName: "DUPONT", FirstNames: "CAMILLE ANNE", BirthDate: "1984-02-11"},
	}
}

func TestRightsPage(t *testing.T) {
	doc := render(t, RightsPage(camilleRights()), "en", &Viewer{})
	if text(doc, "patient-name") != "MARTIN CAMILLE ANNE" || text(doc, "patient-birth-date") != "11 Feb 1984" || text(doc, "rights-age") != "42 years" {
		t.Errorf("%q %q %q", text(doc, "patient-name"), text(doc, "patient-birth-date"), text(doc, "rights-age"))
	}
	if text(doc, "patient-rights") != "Rights open on 1 Mar 2026" {
		t.Errorf("rights badge %q", text(doc, "patient-rights"))
	}
	if text(doc, "patient-fund") != "CPAM de Paris (751)" || text(doc, "rights-regime") != "Régime général (01)" {
		t.Errorf("fund %q, régime %q", text(doc, "patient-fund"), text(doc, "rights-regime"))
	}
	// The service's French labels are marked as French on an English page.
	if doc.Find(`[data-testid="patient-fund"] [lang="fr"]`).Length() != 1 {
		t.Error("the caisse's label is not marked French")
	}
	// The period containing the reference date, and only it, stands out.
	periods := doc.Find(`[data-testid="rights-amo-period"]`)
	if periods.Length() != 2 || periods.Eq(0).AttrOr("data-current", "") != "" || periods.Eq(1).AttrOr("data-current", "") != "true" || !periods.Eq(1).HasClass("current") {
		t.Errorf("AMO periods not marked: %d", periods.Length())
	}
	if !strings.Contains(periods.Eq(0).Text(), "from 1 Jan 2015 to 31 Dec 2019") || !strings.Contains(periods.Eq(1).Text(), "since 1 Jan 2020") {
		t.Errorf("periods %q / %q", periods.Eq(0).Text(), periods.Eq(1).Text())
	}
	// ALD stands out: a badge, an alert naming the code, the code on its line.
	if text(doc, "rights-ald-badge") == "" || !strings.Contains(text(doc, "rights-ald"), "08") || !strings.Contains(text(doc, "rights-coverage-ald"), "08") {
		t.Errorf("ALD not shown: %q %q", text(doc, "rights-ald"), text(doc, "rights-coverage-ald"))
	}
	if !strings.Contains(text(doc, "rights-complementary"), "75500017") || !strings.Contains(text(doc, "rights-doctor"), "MEDECIN") {
		t.Errorf("complementary %q, doctor %q", text(doc, "rights-complementary"), text(doc, "rights-doctor"))
	}
	if !strings.Contains(text(doc, "rights-source"), "Source: ADRi (data as of 1 Mar 2026)") {
		t.Errorf("source %q", text(doc, "rights-source"))
	}
	// "Récupérer l'INS" posts the traits the answer knows: none in a URL.
	form := doc.Find(`[data-testid="rights-retrieve-ins"]`).Closest("form")
	if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != "/identification/traits" {
		t.Errorf("Récupérer l'INS form: %q %q", form.AttrOr("method", ""), form.AttrOr("action", ""))
	}
	for name, want := range map[string]string{"step": "edit", "typed_birth_name": "DUPONT", "typed_first_names": "CAMILLE ANNE", "birth_date": "1984-02-11"} {
		if got := form.Find(`input[name="`+name+`"]`).AttrOr("value", ""); got != want {
			t.Errorf("Récupérer l'INS posts %s=%q, want %q", name, got, want)
		}
	}
}

// Closed rights say so, in red, with what to do; without an ALD there is
// no ALD badge.
func TestRightsPageClosed(t *testing.T) {
	v := camilleRights()
	v.Open, v.ALDNow, v.Coverage, v.Complementary = false, nil, nil, nil
	v.AMO = []RightsPeriod{{Start: day(2009, 1, 1), End: day(2012, 12, 31)}}
	doc := render(t, RightsPage(v), "fr", &Viewer{})
	if text(doc, "patient-rights") != "Droits fermés à la date du 01/03/2026" || !doc.Find(`[data-testid="patient-rights"]`).HasClass("error") {
		t.Errorf("badge %q", text(doc, "patient-rights"))
	}
	if text(doc, "rights-closed") == "" || doc.Find(`[data-testid="rights-ald-badge"], [data-testid="rights-ald"]`).Length() != 0 {
		t.Error("closed rights: no explanation, or an ALD shown")
	}
	if doc.Find(`[data-current="true"]`).Length() != 0 {
		t.Error("a period is marked current though none contains the reference date")
	}
	if text(doc, "rights-coverage-none") != "Aucune exonération." || text(doc, "rights-complementary-none") != "Aucune complémentaire." {
		t.Error("empty blocks not said")
	}
}

// The identification form has the date of birth and rank beside the NIR;
// an error on one of them sits under it, not under the number.
func TestIdentifyPageRightsFields(t *testing.T) {
	doc := render(t, IdentifyPage(IdentifyForm{Value: "2 84 02 75 115 023", BirthDate: "2099-01-01", Rank: "2",
		Recognised: "nir", Error: "rights.error.birth_date_future", ErrorField: FieldBirthDate}), "de", &Viewer{})
	if doc.Find("#date_naissance").AttrOr("value", "") != "2099-01-01" || doc.Find("#rang_naissance").AttrOr("value", "") != "2" {
		t.Error("typed values lost")
	}
	if doc.Find("#date_naissance").AttrOr("aria-invalid", "") != "true" || doc.Find("#identifier").AttrOr("aria-invalid", "") != "" {
		t.Error("the wrong field is marked invalid")
	}
	if !strings.Contains(doc.Find("#date_naissance-error").Text(), "Zukunft") || doc.Find("#identifier-error").Length() != 0 {
		t.Errorf("error under %q", doc.Find(".field-error").Parent().Find("label").Text())
	}
	if doc.Find(`label[for="rang_naissance"]`).Text() != "Geburtsrang" {
		t.Error("rank label")
	}
}

func TestSwissPatientPage(t *testing.T) {
	v := SwissPatientView{Outcome: "valid", CardNumber: "80756 00000 00000 00001", Via: "hin", Person: &SwissPerson{
		FamilyName: "Müller-Dubois", GivenName: "Zoé", Sex: "female", InsurerName: "Caisse-maladie du Léman SA", InsurerBAG: "1560",
		KVG: true, KVGModelKey: "family_doctor", KVGModel: "Médecin de famille", Accident: "no", Restriction: "none",
		VVG: []SwissVVG{{Name: "Assura Complémentaire"}}}}
	doc := render(t, SwissPatientPage(v), "fr", &Viewer{})
	if text(doc, "patient-name") != "Müller-Dubois Zoé" || text(doc, "insurer-bag") != "1560" || !strings.Contains(text(doc, "kvg"), "médecin de famille") {
		t.Errorf("%q %q %q", text(doc, "patient-name"), text(doc, "insurer-bag"), text(doc, "kvg"))
	}
	blocked := render(t, SwissPatientPage(SwissPatientView{Outcome: "blocked", Code: "67", Via: "service"}), "de", &Viewer{})
	if msg := text(blocked, "card-message"); !strings.Contains(msg, "67") || !strings.Contains(msg, "Versicherer") {
		t.Errorf("blocked message %q", msg)
	}
	if blocked.Find(`[data-testid="patient-name"]`).Length() != 0 {
		t.Error("a blocked card shows a person")
	}
	if doc.Find(`[data-testid="insurer-gln"], [data-testid="vvg-expiry"]`).Length() != 0 {
		t.Error("a GLN or a supplementary insurer's validity shown though Covercard sent none")
	}
}

// The Swiss patient page is laid out as the French one: the name first,
// naming the section, then the badges; a card without a person starts
// with its badges.
func TestSwissPatientPageStartsWithTheName(t *testing.T) {
	for _, tc := range []struct {
		name string
		page templ.Component
		want string
	}{
		{"French", RightsPage(camilleRights()), "MARTIN CAMILLE ANNE"},
		{"Swiss", SwissPatientPage(SwissPatientView{Outcome: "expired", Via: "service", Person: &SwissPerson{FamilyName: "Favre", GivenName: "Marie-Hélène"}}), "Favre Marie-Hélène"},
	} {
		doc := render(t, tc.page, "fr", &Viewer{})
		section := doc.Find("main section.card").First()
		first := section.Children().First()
		if !first.HasClass("patient-name") || strings.TrimSpace(first.Text()) != tc.want {
			t.Errorf("%s page: the section starts with %q (%s), want the name", tc.name, strings.TrimSpace(first.Text()), first.AttrOr("class", ""))
		}
		if section.AttrOr("aria-labelledby", "") != first.AttrOr("id", "-") {
			t.Errorf("%s page: the section is labelled by %q, not by the name", tc.name, section.AttrOr("aria-labelledby", ""))
		}
		if badges := first.Next(); badges.Find(`[data-testid="patient-kind"]`).Length() != 1 {
			t.Errorf("%s page: the badges do not follow the name", tc.name)
		}
	}
	blocked := render(t, SwissPatientPage(SwissPatientView{Outcome: "blocked", Code: "67", Via: "service"}), "fr", &Viewer{})
	if blocked.Find("main section.card").Children().First().Find(`[data-testid="card-outcome"]`).Length() != 1 {
		t.Error("a blocked card's page does not start with its badges")
	}
}

// A valid card whose benefits are suspended is no green light: badge and
// status box are amber and say both things.
func TestSwissPatientPageOfSuspendedBenefits(t *testing.T) {
	v := SwissPatientView{Outcome: "valid", Via: "service", Person: &SwissPerson{
		FamilyName: "Keller", GivenName: "Jonas", Sex: "male", Restriction: "suspended", Accident: "no"}}
	doc := render(t, SwissPatientPage(v), "fr", &Viewer{})
	badge, box := doc.Find(`[data-testid="card-outcome"]`), doc.Find(`[data-testid="card-message"]`)
	if !badge.HasClass("warning") || badge.HasClass("success") || text(doc, "card-outcome") != "Carte valide, prestations suspendues" {
		t.Errorf("badge %q class %q", text(doc, "card-outcome"), badge.AttrOr("class", ""))
	}
	if !box.HasClass("warning") || box.HasClass("success") || !strings.Contains(text(doc, "card-message"), "suspendu les prestations") {
		t.Errorf("status box %q class %q", text(doc, "card-message"), box.AttrOr("class", ""))
	}
	v.Person.Restriction = "none"
	ok := render(t, SwissPatientPage(v), "fr", &Viewer{})
	if !ok.Find(`[data-testid="card-outcome"]`).HasClass("success") || text(ok, "card-outcome") != "Carte valide" {
		t.Errorf("valid card's badge %q", text(ok, "card-outcome"))
	}
}

// The insurer's GLN (electronic billing) and each supplementary insurer's
// validity, when Covercard sends them, in the page's language.
func TestSwissPatientPageBillingDetails(t *testing.T) {
	v := SwissPatientView{Outcome: "valid", Via: "hin", Person: &SwissPerson{
		FamilyName: "Müller-Dubois", GivenName: "Zoé", Sex: "female", InsurerGLN: "7601003000115", Restriction: "none", Accident: "no",
		VVG: []SwissVVG{{Name: "Léman Complémentaire SA", Expiry: time.Date(2031, 12, 31, 0, 0, 0, 0, time.UTC)}}}}
	de := render(t, SwissPatientPage(v), "de", &Viewer{})
	if got := text(de, "insurer-gln"); got != "7601003000115" {
		t.Errorf("GLN %q", got)
	}
	if got := text(de, "vvg-expiry"); got != "gültig bis 31.12.2031" {
		t.Errorf("supplementary insurer's validity %q", got)
	}
}

func TestErrorPageHasNoTrace(t *testing.T) {
	doc := render(t, ErrorPage(ErrorView{Status: 502, Title: "auth.unavailable.title", Message: "auth.unavailable.body.psc", Retry: "/auth/psc/login"}), "fr", nil)
	if text(doc, "error-title") != "Service d'authentification indisponible" || doc.Find(`[data-testid="error-retry"]`).AttrOr("href", "") != "/auth/psc/login" {
		t.Errorf("%q", text(doc, "error-title"))
	}
	if !strings.Contains(doc.Text(), "502") {
		t.Error("status not shown")
	}
	if !doc.Find(`[data-testid="error-message"]`).HasClass("error") {
		t.Error("an error's message is not marked as one")
	}
}

func TestHINCodePageLeadsBackToTheLoginPage(t *testing.T) {
	doc := render(t, HINManualPage(HINManualForm{CodeURL: "https://hin.example/code"}), "fr", nil)
	if back := doc.Find(`[data-testid="hin-manual-back"]`); back.AttrOr("href", "") != "/" || strings.TrimSpace(back.Text()) != "Retour à la connexion" {
		t.Errorf("back link %q → %q", back.Text(), back.AttrOr("href", ""))
	}
}

func TestHistoryPage(t *testing.T) {
	at := time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)
	doc := render(t, HistoryPage(HistoryView{First: 1, Lookups: []LookupRow{{At: at, Kind: "card", Identifier: "80756000000000000003", Outcome: "blocked"}}}, time.UTC), "fr", &Viewer{})
	if doc.Find(`[data-testid="history-row"]`).Length() != 1 || text(doc, "history-outcome") != "Carte bloquée" || !strings.Contains(doc.Text(), "22/11/2026 à 09:30") {
		t.Errorf("history %q", doc.Find("table").Text())
	}
	// Numbers grouped as the other pages show them.
	grouped := render(t, HistoryPage(HistoryView{First: 1, Lookups: []LookupRow{
		{At: at, Kind: "nir", Identifier: "2840275115023", Outcome: "found"},
		{At: at, Kind: "card", Identifier: "80756000000000000001", Outcome: "valid"},
	}}, time.UTC), "fr", &Viewer{})
	numbers := grouped.Find(`[data-testid="history-identifier"]`)
	if numbers.Eq(0).Text() != "2 84 02 75 115 023" || numbers.Eq(1).Text() != "80756 00000 00000 00001" {
		t.Errorf("history numbers %q, %q", numbers.Eq(0).Text(), numbers.Eq(1).Text())
	}
	empty := render(t, HistoryPage(HistoryView{}, time.UTC), "en", &Viewer{})
	if !strings.Contains(text(empty, "history-empty"), "not looked up") {
		t.Error("empty history")
	}
}

// Historique shows the name the lookup showed, the outcome as the page
// told it, a way to look the number up again, and its pages.
func TestHistoryPageNamesReopensAndPages(t *testing.T) {
	at := time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)
	v := HistoryView{First: 51, Newer: "/historique", Older: "/historique?page=3", Lookups: []LookupRow{
		{ID: 7, At: at, Kind: "card", Identifier: "80756000000000000008", Outcome: "suspended", PatientName: "Keller Jonas", Reopened: true},
		{ID: 6, At: at, Kind: "identity-qualify", Identifier: "patient-identity:1", Outcome: "refused"},
	}}
	for lang, want := range map[string][]string{
		"fr": {"Prestations suspendues", "Rouvrir", "Recherches 51 à 52", "Plus anciennes"},
		"de": {"Leistungen sistiert", "Erneut abfragen", "Suchen 51 bis 52", "Ältere"},
		"en": {"Benefits suspended", "Look up again", "Lookups 51 to 52", "Older"},
	} {
		doc := render(t, HistoryPage(v, time.UTC), lang, &Viewer{})
		row := doc.Find(`[data-testid="history-row"]`).First()
		if got := strings.TrimSpace(row.Find(`[data-testid="history-name"]`).Text()); got != "Keller Jonas" {
			t.Errorf("%s: name %q", lang, got)
		}
		if got := strings.TrimSpace(row.Find(`[data-testid="history-outcome"]`).Text()); got != want[0] {
			t.Errorf("%s: outcome %q, want %q", lang, got, want[0])
		}
		form := row.Find("form")
		if form.AttrOr("action", "") != "/patient/7/reopen" || form.AttrOr("method", "") != "post" || form.Find(`input[name="_csrf"]`).Length() != 1 {
			t.Errorf("%s: reopen form %q", lang, form.AttrOr("action", ""))
		}
		if got := strings.TrimSpace(row.Find(`[data-testid="history-reopen"]`).Text()); got != want[1] {
			t.Errorf("%s: reopen button %q", lang, got)
		}
		if !row.Find(`[data-testid="history-reopened"]`).Is("span") {
			t.Errorf("%s: a reopened lookup is not marked", lang)
		}
		if doc.Find(`[data-testid="history-reopen"]`).Length() != 1 {
			t.Errorf("%s: an audit row that is no patient lookup can be reopened", lang)
		}
		if got := text(doc, "history-range"); !strings.Contains(got, want[2]) {
			t.Errorf("%s: range %q", lang, got)
		}
		if doc.Find(`[data-testid="history-newer"]`).AttrOr("href", "") != "/historique" || !strings.Contains(text(doc, "history-older"), want[3]) ||
			doc.Find(`[data-testid="history-older"]`).AttrOr("href", "") != "/historique?page=3" {
			t.Errorf("%s: pager %q", lang, text(doc, "history-pager"))
		}
	}
	// One page only: no pager.
	v.Newer, v.Older = "", ""
	if doc := render(t, HistoryPage(v, time.UTC), "fr", &Viewer{}); doc.Find(`[data-testid="history-pager"]`).Length() != 0 {
		t.Error("a pager on the only page")
	}
}

func TestProfessionsInThePageLanguage(t *testing.T) {
	v := ProfileView{
		Account:               AccountView{Login: "931234565", GivenName: "Isabelle", FamilyName: "Infirmiere", Profession: "Infirmière"},
		AccountProfessionCode: "60",
		Authority:             "psc",
		Professional: &ProfessionalView{GivenName: "ISABELLE", FamilyName: "INFIRMIERE", IDNat: "899700218912",
			Profession: "Médecin", ProfessionCode: "10", Specialty: "Médecine générale", SpecialtyCode: "SM54"},
	}
	de := render(t, ProfilePage(v), "de", &Viewer{DisplayName: "ISABELLE INFIRMIERE"})
	if got := text(de, "profile-account-profession"); got != "Pflegefachperson" {
		t.Errorf("German account profession %q", got)
	}
	if got := text(de, "profile-profession"); got != "Ärztin/Arzt" {
		t.Errorf("German PSC profession %q", got)
	}
	spec := de.Find(`[data-testid="profile-specialty"]`)
	if got := spec.Find(`span[lang="fr"]`).Text(); got != "Médecine générale" {
		t.Errorf("German page: the French specialty is not marked French: %q", got)
	}
	if !strings.Contains(spec.Find(`[data-testid="french-name"]`).Text(), "französischen Nomenklatur") {
		t.Errorf("German page: the French specialty is not said to be French: %q", spec.Text())
	}

	en := render(t, ProfilePage(v), "en", nil)
	if got := text(en, "profile-account-profession"); got != "Nurse" {
		t.Errorf("English account profession %q", got)
	}
	if got := text(en, "profile-profession"); got != "Physician" {
		t.Errorf("English PSC profession %q", got)
	}

	// French pages keep the account's own words; a profession the
	// catalogue does not name keeps its French name, marked as such.
	fr := render(t, ProfilePage(v), "fr", nil)
	if got := text(fr, "profile-account-profession"); got != "Infirmière" {
		t.Errorf("French account profession %q", got)
	}
	if fr.Find(`[data-testid="french-name"]`).Length() != 0 || fr.Find(`dd [lang="fr"]`).Length() != 0 {
		t.Error("a French page marks French names")
	}
	v.Account.Profession, v.AccountProfessionCode = "Préparateur en pharmacie", ""
	v.Professional.ProfessionCode, v.Professional.Profession = "99", "Profession du code 99"
	en = render(t, ProfilePage(v), "en", nil)
	for _, id := range []string{"profile-account-profession", "profile-profession"} {
		dd := en.Find(`[data-testid="` + id + `"]`)
		if dd.Find(`span[lang="fr"]`).Length() != 1 || dd.Find(`[data-testid="french-name"]`).Length() != 1 {
			t.Errorf("%s: an untranslated profession is not marked French: %q", id, strings.Join(strings.Fields(dd.Text()), " "))
		}
	}
	// A code without a label is no French text.
	v.Professional.Specialty = "SM99"
	v.Professional.SpecialtyCode = "SM99"
	en = render(t, ProfilePage(v), "en", nil)
	if got := text(en, "profile-specialty"); got != "SM99" {
		t.Errorf("bare specialty code shows %q", got)
	}
}

// A structured claim is folded under a short summary, its JSON indented;
// a plain value is shown as it came.
func TestProfileClaimsFoldStructuredValues(t *testing.T) {
	v := ProfileView{Authority: "psc", Claims: []Claim{
		{Source: "userinfo", Name: "SubjectRefPro", Value: `{"codeCivilite":"MME","exercices":[{"a":1},{"a":2}]}`},
		{Source: "userinfo", Name: "SubjectRole", Value: `["10^1.2.250.1.213.1.1.5.5"]`},
		{Source: "userinfo", Name: "otherIds", Value: `[{"x":1},{"x":2},{"x":3}]`},
		{Source: "id_token", Name: "acr", Value: "eidas1"},
		{Source: "id_token", Name: "odd", Value: "{not json"},
	}}
	doc := render(t, ProfilePage(v), "fr", &Viewer{})
	folded := doc.Find(`[data-testid="claim-structured"]`)
	if folded.Length() != 3 {
		t.Fatalf("%d folded claims, want 3", folded.Length())
	}
	if _, open := folded.First().Attr("open"); open {
		t.Error("a structured claim is shown unfolded")
	}
	for i, want := range []string{"objet : codeCivilite, exercices (2)", "liste, 1 élément", "liste, 3 éléments"} {
		if got := strings.TrimSpace(folded.Eq(i).Find("summary").Text()); got != want {
			t.Errorf("summary %d %q, want %q", i, got, want)
		}
	}
	if pre := folded.First().Find("pre").Text(); !strings.Contains(pre, "{\n  \"codeCivilite\": \"MME\",\n  \"exercices\": [\n    {") {
		t.Errorf("SubjectRefPro not indented: %q", pre)
	}
	rows := doc.Find(`[data-testid="claim"]`)
	if got := strings.TrimSpace(rows.Eq(3).Find("td").Last().Text()); got != "eidas1" || rows.Eq(4).Find("details").Length() != 0 {
		t.Errorf("plain values: %q, and a malformed one folded: %d", got, rows.Eq(4).Find("details").Length())
	}
	de := render(t, ProfilePage(v), "de", &Viewer{})
	if got := strings.TrimSpace(de.Find(`[data-testid="claim-structured"] summary`).Eq(2).Text()); got != "Liste, 3 Einträge" {
		t.Errorf("German summary %q", got)
	}
}

// exp, iat and auth_time are shown with their date and time beside the
// epoch number, in the page's language and the portal's zone; other
// numbers and odd values are not.
func TestProfileClaimTimes(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data")
	}
	v := ProfileView{Authority: "psc", Loc: paris, Claims: []Claim{
		{Source: "id_token", Name: "exp", Value: "1796547600"}, // 2026-12-06 09:00 UTC
		{Source: "id_token", Name: "iat", Value: "1796547600"},
		{Source: "id_token", Name: "auth_time", Value: "1796547600"},
		{Source: "id_token", Name: "SubjectNameID", Value: "1796547600"},
		{Source: "id_token", Name: "exp", Value: "soon"},
		{Source: "id_token", Name: "iat", Value: "12"},
	}}
	for lang, want := range map[string]string{
		"fr": "soit le 06/12/2026 à 10:00",
		"de": "d. h. 06.12.2026, 10:00",
		"en": "that is 6 Dec 2026, 10:00",
	} {
		doc := render(t, ProfilePage(v), lang, &Viewer{})
		rows := doc.Find(`[data-testid="claim"]`)
		for i := 0; i < 3; i++ {
			if got := strings.TrimSpace(rows.Eq(i).Find(`[data-testid="claim-time"]`).Text()); got != want {
				t.Errorf("%s: row %d %q, want %q", lang, i, got, want)
			}
			if code := rows.Eq(i).Find("code").Last().Text(); code != "1796547600" {
				t.Errorf("%s: the epoch number is no longer shown: %q", lang, code)
			}
		}
		if n := doc.Find(`[data-testid="claim-time"]`).Length(); n != 3 {
			t.Errorf("%s: %d times shown, want 3 (not for other claims, nor odd values)", lang, n)
		}
	}
}

// The linking page speaks to a professional: no command-line wording,
// which belongs to the administrator's docs (docs/deploy.md).
func TestLinkPageSaysNothingOfTheCommandLine(t *testing.T) {
	for _, lang := range []string{"fr", "de", "en"} {
		for _, authority := range []string{"psc", "hin"} {
			page := render(t, LinkPage(LinkForm{Authority: authority}), lang, nil).Text()
			for _, word := range []string{"infopatient account", "ligne de commande", "command line", "Kommandozeile"} {
				if strings.Contains(page, word) {
					t.Errorf("%s %s linking page says %q", lang, authority, word)
				}
			}
		}
	}
}

// The local login is labelled for what it is in each language (not a
// patient's insurance number), and the identification prompt names first
// the number a page's reader most likely holds.
func TestLoginLabelAndPromptOrderByLanguage(t *testing.T) {
	for lang, want := range map[string]string{"fr": "N° d'Assurance Maladie", "de": "Ihre Benutzernummer", "en": "Your user number"} {
		label := strings.TrimSpace(render(t, LoginPage(LoginForm{}), lang, nil).Find(`label[for="login"]`).Text())
		if label != want {
			t.Errorf("%s login label %q, want %q", lang, label, want)
		}
		if lang != "fr" && (strings.Contains(label, "Assurance Maladie") || strings.Contains(label, "versicherung") || strings.Contains(label, "insurance")) {
			t.Errorf("%s login label %q reads as a patient's number", lang, label)
		}
	}
	for lang, first := range map[string]string{"fr": "Sécurité Sociale", "de": "Schweizer Versichertenkarte", "en": "French social security"} {
		doc := render(t, IdentifyPage(IdentifyForm{Swiss: true}), lang, &Viewer{})
		label := doc.Find(`label[for="identifier"]`).Text()
		other := map[string]string{"fr": "carte d'assuré suisse", "de": "Sozialversicherungsnummer", "en": "Swiss insurance card"}[lang]
		if i, j := strings.Index(label, first), strings.Index(label, other); i < 0 || j < 0 || i > j {
			t.Errorf("%s prompt %q names %q first?", lang, label, first)
		}
	}
}

// The HIN directory's card of Mes informations, in each language: the
// profile with its read time, the level shown as sent with its hint, why
// the last read failed, the button only when the directory is on, and a
// profile never read.
func TestProfileHINDirectory(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data")
	}
	read := &HINProfileView{Name: "Hans Weber", GLN: "7601001000032", Level: "verified",
		ReadAt: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC), Problem: "hin_profile.problem.refused", CanRead: true}
	for lang, want := range map[string]struct{ title, at, button, problem string }{
		"fr": {"Profil de l'annuaire HIN", "06/12/2026", "Lire mon profil HIN", "vous en avez refusé l'accès"},
		"de": {"Profil im HIN-Verzeichnis", "06.12.2026", "Mein HIN-Profil lesen", "Sie haben den Zugriff bei HIN abgelehnt"},
		"en": {"HIN directory profile", "6 Dec 2026", "Read my HIN profile", "you declined access to it"},
	} {
		doc := render(t, ProfilePage(ProfileView{Authority: "hin", HINID: "hweber", HINProfile: read, Loc: paris}), lang, &Viewer{})
		if got := text(doc, "profile-hin"); !strings.Contains(got, want.title) {
			t.Errorf("%s: card %q", lang, got)
		}
		if text(doc, "profile-hin-name") != "Hans Weber" || text(doc, "profile-hin-gln") != "7601001000032" || text(doc, "profile-hin-level") != "verified" {
			t.Errorf("%s: %q %q %q", lang, text(doc, "profile-hin-name"), text(doc, "profile-hin-gln"), text(doc, "profile-hin-level"))
		}
		if got := text(doc, "profile-hin-read-at"); !strings.Contains(got, want.at) || !strings.Contains(got, "10:00") {
			t.Errorf("%s: read at %q", lang, got)
		}
		if got := text(doc, "profile-hin-read"); got != want.button {
			t.Errorf("%s: button %q", lang, got)
		}
		if form := doc.Find(`[data-testid="profile-hin-read-form"]`); form.AttrOr("action", "") != "/auth/hin/directory" || form.AttrOr("method", "") != "post" ||
			form.Find(`input[name="`+CSRFField+`"]`).AttrOr("value", "") != "tok" {
			t.Errorf("%s: the button's form", lang)
		}
		if got := text(doc, "profile-hin-problem"); !strings.Contains(got, want.problem) {
			t.Errorf("%s: problem %q", lang, got)
		}
	}
	// Never read, the directory off: no facts, no button; a field the
	// directory left empty says so.
	doc := render(t, ProfilePage(ProfileView{Authority: "hin", HINID: "lrossi", HINProfile: &HINProfileView{}}), "fr", &Viewer{})
	if !doc.Find(`[data-testid="profile-hin-unread"]`).Is("p") || doc.Find(`[data-testid="profile-hin-read"]`).Length() != 0 ||
		doc.Find(`[data-testid="profile-hin-gln"]`).Length() != 0 {
		t.Error("a profile never read")
	}
	doc = render(t, ProfilePage(ProfileView{Authority: "hin", HINID: "lrossi", HINProfile: &HINProfileView{Name: "Lucia Rossi", ReadAt: time.Unix(1, 0)}}), "fr", &Viewer{})
	if text(doc, "profile-hin-gln") != "Aucune" {
		t.Errorf("no GLN: %q", text(doc, "profile-hin-gln"))
	}
	// Another authority's sign-in: no HIN card.
	if doc := render(t, ProfilePage(ProfileView{Authority: "local"}), "fr", &Viewer{}); doc.Find(`[data-testid="profile-hin"]`).Length() != 0 {
		t.Error("a HIN card after a local sign-in")
	}
}
