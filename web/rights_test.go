package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/crypto/bcrypt"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/password"
	"github.com/infopatient/infopatient/internal/sandbox/rightssim"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/vigilance"
)

// French patients' rights come from the ADRi sandbox
// (data/sandbox/adri-beneficiaries.json), through the real server.

func rightsPortal(t *testing.T, env map[string]string) (*apptest.Portal, *apptest.Browser) {
	t.Helper()
	p := apptest.Start(t, env)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	return p, b
}

// adriLookups are the account's ADRi calls in the audit trail, newest
// first.
func adriLookups(t *testing.T, p *apptest.Portal) []store.Lookup {
	t.Helper()
	ls, err := p.App.Store.RecentLookups(t.Context(), accountID(t, p, virginie), 50)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Lookup
	for _, l := range ls {
		if l.Kind == "adri" {
			out = append(out, l)
		}
	}
	return out
}

func TestRightsFoundOpen(t *testing.T) {
	t.Parallel()
	p, b := rightsPortal(t, nil)
	r := lookUpRights(t, b, camilleNIR, camilleBirth, "1")
	if r.Status != http.StatusOK || !b.Has("rights") {
		t.Fatalf("%d %q", r.Status, b.Text("identify-error"))
	}
	if got := b.Text("patient-rights"); !strings.HasPrefix(got, "Droits ouverts à la date du ") || !b.Page.Find(`[data-testid="patient-rights"]`).HasClass("success") {
		t.Errorf("rights badge %q", got)
	}
	for id, want := range map[string]string{
		"patient-fund":         "CPAM de Paris (751)",
		"rights-regime":        "Régime général (01)",
		"rights-centre":        "0001",
		"rights-quality":       "assuré(e) (0)",
		"rights-rank":          "1",
		"rights-certified-nir": "2 84 02 75 115 023 18",
		"rights-doctor":        "Dr Virginie MEDECIN",
		"patient-birth-date":   "11/02/1984",
	} {
		if got := b.Text(id); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if !strings.HasSuffix(b.Text("rights-age"), " ans") || !strings.HasPrefix(b.Text("rights-source"), "Source : ADRi (données à la date du ") {
		t.Errorf("age %q, source %q", b.Text("rights-age"), b.Text("rights-source"))
	}
	if n := b.Page.Find(`[data-testid="rights-amo-period"][data-current="true"]`).Length(); n != 1 {
		t.Errorf("%d AMO periods marked current, want 1", n)
	}
	if !strings.Contains(b.Text("rights-complementary"), "Mutuelle Générale") {
		t.Errorf("complementary %q", b.Text("rights-complementary"))
	}
	if b.Has("rights-ald") {
		t.Error("an ALD is shown for a patient without one")
	}
	// "Récupérer l'INS": the traits search, prefilled with the birth name,
	// first names and date the answer gives (posted: no trait in a URL).
	page := b.Page
	form := url.Values{}
	page.Find(`[data-testid="rights-retrieve-ins"]`).Closest("form").Find(`input[type="hidden"]`).Each(func(_ int, in *goquery.Selection) {
		form.Set(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	if r := b.Post("/identification/traits", form); r.Status != http.StatusOK {
		t.Fatalf("Récupérer l'INS: %d", r.Status)
	}
	for id, want := range map[string]string{"birth_name": "DUPONT", "first_names": "CAMILLE ANNE", "birth_date": "1984-02-11"} {
		if got := b.Page.Find("#traits-"+id).AttrOr("value", ""); got != want {
			t.Errorf("Récupérer l'INS: the traits form has %s=%q, want %q", id, got, want)
		}
	}
	b.Page = page
	// The call is audited: operation, outcome, the beneficiary and the message id.
	ls := adriLookups(t, p)
	if len(ls) != 1 || ls[0].Outcome != "found" || !strings.HasPrefix(ls[0].Identifier, "2840275115023 1984-02-11 1 uuid:") {
		t.Fatalf("audit trail %+v", ls)
	}
	// Historique names the call.
	b.Get("/historique")
	if got := b.Text("history-identifier"); got != "2 84 02 75 115 023 · 1984-02-11 · 1" {
		t.Errorf("Historique shows %q", got)
	}
	if !strings.Contains(b.Page.Find(`[data-testid="history-row"] .kind`).Text(), "ADRi") {
		t.Errorf("Historique kind %q", b.Page.Find(`[data-testid="history-row"] .kind`).Text())
	}
}

// Dates of birth are typed as professionals write them.
func TestRightsDateFormats(t *testing.T) {
	t.Parallel()
	_, b := rightsPortal(t, nil)
	for _, typed := range []string{"11/02/1984", "11.02.1984", "11021984", "1984-02-11"} {
		if r := lookUpRights(t, b, camilleNIR, typed, ""); r.Status != http.StatusOK || b.Text("patient-name") != "MARTIN CAMILLE ANNE" {
			t.Errorf("%q: %d %q", typed, r.Status, b.Text("identify-error"))
		}
	}
}

// Reload and language switch show the page again: no new ADRi call, no
// new audit row; the rights are not kept in clear in the session store.
func TestRightsPostRedirectGet(t *testing.T) {
	t.Parallel()
	p, b := rightsPortal(t, nil)
	b.Get("/identification")
	r := b.Post("/patient", url.Values{"identifier": {camilleNIR}, "date_naissance": {camilleBirth}})
	if r.Status != http.StatusSeeOther || !lookupPage.MatchString(r.Location) {
		t.Fatalf("POST /patient: %d → %q", r.Status, r.Location)
	}
	calls := p.App.Sandbox.ADRi.Requests()
	for _, target := range []string{r.Location, "/patient", r.Location + "?lang=de", "/patient?lang=en"} {
		if r := b.Follow(b.Get(target)); r.Status != http.StatusOK || !b.Has("rights") {
			t.Fatalf("GET %s: %d", target, r.Status)
		}
	}
	if got := b.Text("patient-rights"); !strings.HasPrefix(got, "Rights open on ") {
		t.Errorf("English page: %q", got)
	}
	if n := p.App.Sandbox.ADRi.Requests() - calls; n != 0 {
		t.Errorf("showing the page again called ADRi %d times", n)
	}
	if ls := adriLookups(t, p); len(ls) != 1 {
		t.Errorf("%d audit rows for one call", len(ls))
	}
	rows, err := p.App.Store.DB().QueryContext(t.Context(), `SELECT data FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"MARTIN", "Vaugirard", "CPAM", "2840275115023"} {
			if strings.Contains(string(data), secret) {
				t.Errorf("the session store holds %q in clear", secret)
			}
		}
	}
}

// One answer per beneficiary of the sandbox: closed rights, a child on
// the parent's NIR, twins by rank, ALD, C2S, AME.
func TestRightsCases(t *testing.T) {
	t.Parallel()
	_, b := rightsPortal(t, nil)
	for _, tc := range []struct {
		name, nir, birth, rank string
		check                  func(t *testing.T)
	}{
		{"closed since 2012 (ADRDEUX)", "1 70 06 47 123 045", "2001-06-17", "1", func(t *testing.T) {
			if got := b.Text("patient-rights"); !strings.HasPrefix(got, "Droits fermés à la date du ") || !b.Has("rights-closed") {
				t.Errorf("badge %q", got)
			}
			if b.Text("patient-name") != "ADRDEUX GUNTHER" || b.Page.Find(`[data-current="true"]`).Length() != 0 {
				t.Errorf("%q, or a period marked current", b.Text("patient-name"))
			}
			if !strings.Contains(b.Text("rights-amo"), "du 01/01/2009 au 31/12/2012") {
				t.Errorf("AMO %q", b.Text("rights-amo"))
			}
			if !strings.Contains(b.Text("rights-complementary"), "terminée") {
				t.Errorf("an ended mutuelle is not said so: %q", b.Text("rights-complementary"))
			}
		}},
		{"a child on the parent's NIR", "2 78 07 63 220 512", "2009-07-14", "", func(t *testing.T) {
			if b.Text("patient-name") != "ECETINSI PIERRE-ALAIN" || b.Text("rights-quality") != "enfant (6)" {
				t.Errorf("%q %q", b.Text("patient-name"), b.Text("rights-quality"))
			}
			if b.Text("patient-nir") != "2 78 07 63 220 512 "+keyOf(t, "2780763220512") || b.Text("rights-certified-nir") != "1 09 07 63 220 834 89" {
				t.Errorf("assuré %q, certified %q", b.Text("patient-nir"), b.Text("rights-certified-nir"))
			}
		}},
		{"twin of rank 2", "1 75 08 63 220 719", "2010-08-07", "2", func(t *testing.T) {
			if b.Text("patient-name") != "NESSI RAFFAELLO" || b.Text("rights-rank") != "2" {
				t.Errorf("%q rank %q", b.Text("patient-name"), b.Text("rights-rank"))
			}
		}},
		{"twin of rank 1", "1 75 08 63 220 719", "2010-08-07", "1", func(t *testing.T) {
			if b.Text("patient-name") != "NESSI MICHELANGELO" {
				t.Errorf("%q", b.Text("patient-name"))
			}
		}},
		{"ALD", "1 60 01 2B 020 777", "1960-01-01", "1", func(t *testing.T) {
			if !strings.Contains(b.Text("rights-ald"), "08") || !b.Has("rights-ald-badge") || !strings.Contains(b.Text("rights-coverage-ald"), "ALD, code 08") {
				t.Errorf("ALD: %q %q", b.Text("rights-ald"), b.Text("rights-coverage-ald"))
			}
			if !strings.Contains(b.Text("rights-coverage"), "situation 0100") || b.Page.Find(`[data-testid="rights-coverage-period"][data-current="true"]`).Length() != 1 {
				t.Errorf("coverage %q", b.Text("rights-coverage"))
			}
		}},
		{"C2S", "2 97 02 2A 020 778", "1997-02-26", "1", func(t *testing.T) {
			item := b.Page.Find(`[data-testid="rights-complementary-item"][data-kind="C2S"]`)
			if item.Length() != 1 || !strings.Contains(item.Text(), "Complémentaire santé solidaire") || item.AttrOr("data-current", "") != "true" {
				t.Errorf("C2S %q", b.Text("rights-complementary"))
			}
		}},
		{"AME without AMO", "1 80 03 2B 020 401", "1980-03-02", "1", func(t *testing.T) {
			item := b.Page.Find(`[data-testid="rights-complementary-item"][data-kind="AME"]`)
			if item.Length() != 1 || !strings.Contains(item.Text(), "Aide médicale de l'État") {
				t.Errorf("AME %q", b.Text("rights-complementary"))
			}
			if !strings.HasPrefix(b.Text("patient-rights"), "Droits fermés") {
				t.Errorf("badge %q", b.Text("patient-rights"))
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := lookUpRights(t, b, tc.nir, tc.birth, tc.rank); r.Status != http.StatusOK || !b.Has("rights") {
				t.Fatalf("%d %q", r.Status, b.Text("identify-error"))
			}
			tc.check(t)
		})
	}
}

// An unknown beneficiary, and a child looked up under its own NIR: the
// form again with the values typed and the error under the number; the
// call is audited once, a reload adds nothing.
func TestRightsUnknownBeneficiary(t *testing.T) {
	t.Parallel()
	p, b := rightsPortal(t, nil)
	for _, tc := range []struct{ nir, birth, rank string }{
		{camilleNIR, "1984-02-12", "1"}, // another date of birth
		{camilleNIR, camilleBirth, "2"}, // no twin
		{"1 09 07 63 220 834", "2009-07-14", "1"},
	} {
		r := lookUpRights(t, b, tc.nir, tc.birth, tc.rank)
		if r.Status != http.StatusNotFound || !strings.Contains(b.Text("identify-error"), "aucun bénéficiaire") {
			t.Errorf("%v: %d %q", tc, r.Status, b.Text("identify-error"))
		}
		if b.Page.Find("#identifier").AttrOr("value", "") != tc.nir || b.Page.Find("#date_naissance").AttrOr("value", "") != tc.birth ||
			b.Page.Find("#rang_naissance").AttrOr("value", "") != tc.rank {
			t.Errorf("%v: the form lost the values typed", tc)
		}
		if b.Page.Find("#identifier").AttrOr("aria-invalid", "") != "true" {
			t.Errorf("%v: the number is not marked", tc)
		}
	}
	calls := p.App.Sandbox.ADRi.Requests()
	if r := b.Follow(b.Get("/patient?lang=en")); r.Status != http.StatusNotFound || !strings.Contains(b.Text("identify-error"), "no beneficiary") {
		t.Errorf("the failure in English: %d %q", r.Status, b.Text("identify-error"))
	}
	ls := adriLookups(t, p)
	if len(ls) != 3 || ls[0].Outcome != "not_found" || p.App.Sandbox.ADRi.Requests() != calls {
		t.Errorf("audit %+v, calls %d → %d", ls, calls, p.App.Sandbox.ADRi.Requests())
	}
}

// Inputs refused before any call: nothing is sent nor recorded, the
// error sits under its field.
func TestRightsInvalidInput(t *testing.T) {
	t.Parallel()
	p, b := rightsPortal(t, nil)
	calls := p.App.Sandbox.ADRi.Requests()
	for _, tc := range []struct {
		birth, rank, field, want string
	}{
		{"", "", "date_naissance", "saisissez la date de naissance"},
		{"31/02/1984", "", "date_naissance", "date valide"},
		{"1984-02-30", "", "date_naissance", "date valide"},
		{"11/2/84", "", "date_naissance", "date valide"},
		{"2999-01-01", "", "date_naissance", "futur"},
		{camilleBirth, "0", "rang_naissance", "de 1 à 9"},
		{camilleBirth, "10", "rang_naissance", "de 1 à 9"},
		{camilleBirth, "x", "rang_naissance", "de 1 à 9"},
	} {
		r := lookUpRights(t, b, camilleNIR, tc.birth, tc.rank)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(b.Page.Find("#"+tc.field+"-error").Text(), tc.want) {
			t.Errorf("%q/%q: %d, under %s %q", tc.birth, tc.rank, r.Status, tc.field, b.Page.Find("#"+tc.field+"-error").Text())
		}
		if b.Page.Find("#"+tc.field).AttrOr("aria-invalid", "") != "true" || b.Page.Find("#identifier").AttrOr("aria-invalid", "") != "" {
			t.Errorf("%q/%q: the wrong field is marked", tc.birth, tc.rank)
		}
		if b.Page.Find("#date_naissance").AttrOr("value", "") != tc.birth || b.Page.Find("#identifier").AttrOr("value", "") != camilleNIR {
			t.Errorf("%q/%q: the values typed were lost", tc.birth, tc.rank)
		}
	}
	if n := p.App.Sandbox.ADRi.Requests(); n != calls || len(adriLookups(t, p)) != 0 {
		t.Errorf("refused inputs reached ADRi (%d) or the audit trail", n-calls)
	}
}

// The service failing: the portal's service-failure pattern (the form
// with the message, a 5xx status), audited with its outcome; no stack,
// no NIR in the logs.
func TestRightsServiceFailures(t *testing.T) {
	t.Parallel()
	p, b := rightsPortal(t, map[string]string{"INFOPATIENT_HTTP_TIMEOUT": "1s"})
	for _, tc := range []struct {
		fault   rightssim.Fault
		status  int
		want    string
		outcome string
	}{
		{rightssim.FaultUnavailable, http.StatusBadGateway, "ne répond pas", "service_error"},
		{rightssim.FaultMalformed, http.StatusBadGateway, "illisible", "malformed"},
		{rightssim.FaultSlow, http.StatusGatewayTimeout, "pas répondu à temps", "service_error"},
	} {
		p.App.Sandbox.ADRi.Misbehave(tc.fault, 1)
		r := lookUpRights(t, b, camilleNIR, camilleBirth, "1")
		if r.Status != tc.status || !strings.Contains(b.Text("identify-error"), tc.want) || b.Has("rights") {
			t.Errorf("%s: %d %q", tc.fault, r.Status, b.Text("identify-error"))
		}
		if b.Page.Find("#date_naissance").AttrOr("value", "") != camilleBirth {
			t.Errorf("%s: the form lost the date of birth", tc.fault)
		}
		if ls := adriLookups(t, p); len(ls) == 0 || ls[0].Outcome != tc.outcome || !strings.Contains(ls[0].Identifier, " uuid:") {
			t.Errorf("%s: audit %+v", tc.fault, ls)
		}
	}
	// And it recovers.
	if r := lookUpRights(t, b, camilleNIR, camilleBirth, "1"); r.Status != http.StatusOK {
		t.Errorf("after the failures: %d", r.Status)
	}
	logs := p.Logs.String()
	if !strings.Contains(logs, "adri call failed") || strings.Contains(logs, "goroutine ") {
		t.Error("failures not logged, or a stack logged")
	}
	noSecretsLogged(t, logs, []string{"2840275115023", "284027511502318", "1984-02-11", "MARTIN"})
}

// ADRi refusing the software (an IDAM it does not know): a configuration
// matter, said so, audited as refused.
func TestRightsRefusedSoftware(t *testing.T) {
	t.Parallel()
	p, b := rightsPortal(t, map[string]string{"INFOPATIENT_ADRI_IDAM": "UNKNOWN-IDAM"})
	r := lookUpRights(t, b, camilleNIR, camilleBirth, "1")
	if r.Status != http.StatusBadGateway || !strings.Contains(b.Text("identify-error"), "administrateur") {
		t.Errorf("%d %q", r.Status, b.Text("identify-error"))
	}
	if ls := adriLookups(t, p); len(ls) != 1 || ls[0].Outcome != "refused" {
		t.Errorf("audit %+v", ls)
	}
}

// Without ADRi (not configured, not in demo mode) a NIR gets a clear
// message and nothing is recorded.
func TestRightsOff(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_DEMO": "false"})
	hash, err := (&password.Hasher{Cost: bcrypt.MinCost}).Hash("secret-1234")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.App.Store.CreateAccount(t.Context(), store.Account{Login: virginie, GivenName: "Virginie", FamilyName: "Medecin",
		Profession: "Médecin", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	b := p.NewBrowser(t)
	if r := b.SignIn(virginie, "secret-1234"); r.Status != http.StatusOK {
		t.Fatalf("sign-in: %d", r.Status)
	}
	r := lookUpRights(t, b, camilleNIR, camilleBirth, "1")
	if r.Status != http.StatusServiceUnavailable || !strings.Contains(b.Text("identify-error"), "pas configurée") {
		t.Errorf("%d %q", r.Status, b.Text("identify-error"))
	}
	if ls := adriLookups(t, p); len(ls) != 0 {
		t.Errorf("audit %+v", ls)
	}
}

// In psc mode (INFOPATIENT_ADRI_AUTH=psc) ADRi is asked on behalf of the
// professional signed in with Pro Santé Connect: a local sign-in has no
// idNat to send, and is told so before any call.
func TestRightsPSCMode(t *testing.T) {
	t.Parallel()
	p, b := rightsPortal(t, map[string]string{"INFOPATIENT_ADRI_AUTH": "psc"})
	calls := p.App.Sandbox.ADRi.Requests()
	r := lookUpRights(t, b, camilleNIR, camilleBirth, "1")
	if r.Status != http.StatusForbidden || !strings.Contains(b.Text("identify-error"), "Pro Santé Connect") {
		t.Errorf("local sign-in: %d %q", r.Status, b.Text("identify-error"))
	}
	if p.App.Sandbox.ADRi.Requests() != calls || len(adriLookups(t, p)) != 0 {
		t.Error("a local sign-in reached ADRi in psc mode")
	}
	ps := p.NewBrowser(t)
	pscSignIn(t, ps, virginieIDNat)
	if r := lookUpRights(t, ps, camilleNIR, camilleBirth, "1"); r.Status != http.StatusOK || !ps.Has("rights") {
		t.Errorf("PSC sign-in: %d %q", r.Status, ps.Text("identify-error"))
	}
}

// "Consulter les droits" on an identity whose INS is a NIR asks ADRi for
// that number with the date of birth: a rights lookup, recorded, whose
// page shows the beneficiary (posted: no trait in a URL).
func TestIdentityConsultsItsRights(t *testing.T) {
	t.Parallel()
	p, b := rightsPortal(t, nil)
	camilleIdentity(t, p, true)
	id, err := p.App.Store.PatientIdentityByINS(t.Context(), "2840275115023", vigilance.OIDNIR)
	if err != nil {
		t.Fatal(err)
	}
	if r := b.Get(fmt.Sprintf("/identite/%d", id.ID)); r.Status != http.StatusOK {
		t.Fatalf("identity page: %d", r.Status)
	}
	form := url.Values{}
	b.Page.Find(`[data-testid="identity-rights"]`).Closest("form").Find(`input[type="hidden"]`).Each(func(_ int, in *goquery.Selection) {
		form.Set(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	if form.Get("date_naissance") != "1984-02-11" || form.Get("identifier") == "" {
		t.Fatalf("Consulter les droits posts %v", form)
	}
	r := b.Post("/patient", form)
	if r.Status != http.StatusSeeOther || !lookupPage.MatchString(r.Location) {
		t.Fatalf("Consulter les droits: %d → %q", r.Status, r.Location)
	}
	if r = b.Get(r.Location); r.Status != http.StatusOK || b.Text("patient-name") != "MARTIN CAMILLE ANNE" {
		t.Errorf("rights page: %d %q", r.Status, b.Text("patient-name"))
	}
	if ls := adriLookups(t, p); len(ls) != 1 || !strings.HasPrefix(ls[0].Identifier, "2840275115023 1984-02-11 1 ") {
		t.Errorf("audit trail %+v", ls)
	}
}
