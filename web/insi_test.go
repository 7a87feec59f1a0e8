package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/sandbox/insisim"
	"github.com/infopatient/infopatient/internal/store"
)

// traits is what a professional types in « Par traits d'identité ».
type traits struct{ name, first, sex, date, place string }

func (tr traits) form() url.Values {
	return url.Values{"step": {"check"}, "birth_name": {tr.name}, "first_names": {tr.first}, "sex": {tr.sex},
		"birth_date": {tr.date}, "birth_place": {tr.place}}
}

// checkTraits posts the form and expects the confirmation page.
func checkTraits(t *testing.T, b *apptest.Browser, tr traits) *apptest.Response {
	t.Helper()
	r := b.Post("/identification/traits", tr.form())
	if r.Status != http.StatusOK || !b.Has("traits-confirm") {
		t.Fatalf("traits %+v: %d, no confirmation (%s)", tr, r.Status, b.Text("traits-error"))
	}
	return r
}

// confirm submits the confirmation form as shown: its hidden fields and
// the checked birthplace, with step=search.
func confirm(t *testing.T, b *apptest.Browser) *apptest.Response {
	t.Helper()
	form := url.Values{}
	b.Page.Find(`[data-testid="traits-confirm-form"] input`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		if _, checked := s.Attr("checked"); typ == "radio" && !checked {
			return
		}
		v, _ := s.Attr("value")
		form.Set(name, v)
	})
	form.Set("step", "search")
	return b.Post("/identification/traits", form)
}

// search checks and confirms tr; a 00 lands on the identity page.
func search(t *testing.T, b *apptest.Browser, tr traits) *apptest.Response {
	t.Helper()
	checkTraits(t, b, tr)
	r := confirm(t, b)
	if r.Status == http.StatusSeeOther {
		return b.Follow(r)
	}
	return r
}

func insiPortal(t *testing.T, env map[string]string) (*apptest.Portal, *apptest.Browser) {
	t.Helper()
	p := apptest.Start(t, env)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	return p, b
}

// insiRows are the account's audit rows of INSi calls, oldest first.
func insiRows(t *testing.T, p *apptest.Portal, login string) []store.Lookup {
	t.Helper()
	all, err := p.App.Store.RecentLookups(t.Context(), accountID(t, p, login), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Lookup
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Kind == "insi-traits" {
			out = append(out, all[i])
		}
	}
	return out
}

func codes(rows []store.Lookup) string {
	var c []string
	for _, r := range rows {
		c = append(c, r.Outcome)
	}
	return strings.Join(c, " ")
}

// 00: the identity is kept as récupérée and shown with the RNIV banner,
// the birth traits in the reference's order, the INS not shareable.
func TestINSiFoundIsRetrievedNotQualified(t *testing.T) {
	p, b := insiPortal(t, nil)
	r := search(t, b, traits{"adrun", "zoé", "F", "1975-12-31", "63220"})
	if r.Status != http.StatusOK || !b.Has("identity") {
		t.Fatalf("ADRUN ZOE: %d %s", r.Status, b.Text("traits-message"))
	}
	for id, want := range map[string]string{
		"identity-status": "Identité récupérée", "trait-birth_name": "ADRUN", "trait-first_given_name": "ZOE",
		"trait-given_names": "ZOE", "trait-sex": "Féminin", "trait-birth_date": "31/12/1975",
		"trait-birth_place": "63220 Mazoires", "ins-matricule": "2 75 12 63 220 749 74", "ins-type": "NIR",
		"ins-oid": "1.2.250.1.213.1.4.8", "ins-sharing": "Non partageable tant que l'identité n'est pas qualifiée",
		"identity-notice": "INS récupéré auprès d'INSi.",
	} {
		if got := strings.Join(strings.Fields(b.Text(id)), " "); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if !strings.Contains(b.Text("identity-warning"), "non qualifiée") || !strings.Contains(b.Text("identity-source"), "CR 00") {
		t.Errorf("warning %q, source %q", b.Text("identity-warning"), b.Text("identity-source"))
	}
	// Used names are never filled from the birth names.
	if b.Has("trait-used_name") || b.Has("trait-used_given_name") || b.Has("ins-shareable") {
		t.Error("used names or sharing shown for a récupérée identity")
	}
	// The traits come first, in the reference's order.
	var order []string
	b.Page.Find(`[data-testid="identity-traits"] dd`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-testid")
		order = append(order, id)
	})
	if got := strings.Join(order, ","); got != "trait-birth_name,trait-first_given_name,trait-given_names,trait-sex,trait-birth_date,trait-birth_place" {
		t.Errorf("traits order %s", got)
	}
	rows := insiRows(t, p, virginie)
	if codes(rows) != "00" || !strings.HasPrefix(rows[0].Identifier, "uuid:") {
		t.Errorf("audit %+v", rows)
	}
	// Never the traits in the logs.
	if logs := p.Logs.String(); strings.Contains(logs, "ADRUN") || strings.Contains(logs, "2751263220749") {
		t.Error("the traits or the matricule reached the logs")
	}
}

// The typed traits are shown normalised, never altered silently.
func TestTraitsAreNormalisedForConfirmation(t *testing.T) {
	_, b := insiPortal(t, nil)
	checkTraits(t, b, traits{"  d’artagnan de l’hérault ", "pierre-alain", "M", "17/06/2001", ""})
	if got := b.Text("confirm-birth_name"); got != "D'ARTAGNAN DE L'HERAULT" {
		t.Errorf("normalised birth name %q", got)
	}
	if !b.Has("traits-normalised") || !strings.Contains(b.Text("confirm-birth_name-typed"), "d’artagnan de l’hérault") {
		t.Error("the change is not shown next to what was typed")
	}
	if got := b.Text("confirm-birth_date"); got != "2001-06-17" {
		t.Errorf("date %q", got)
	}
	// "Modifier" gives the form back as typed.
	form := url.Values{"step": {"edit"}}
	b.Page.Find(`[data-testid="traits-confirm-form"] input[type=hidden]`).Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		v, _ := s.Attr("value")
		form.Set(n, v)
	})
	if r := b.Post("/identification/traits", form); r.Status != http.StatusOK {
		t.Fatalf("edit: %d", r.Status)
	}
	if v, _ := b.Page.Find("#traits-birth_name").Attr("value"); v != "  d’artagnan de l’hérault " && v != "d’artagnan de l’hérault" {
		t.Errorf("edit shows %q", v)
	}
}

// A character INSi refuses is named, in the user's language, and nothing
// is sent to INSi.
func TestRefusedCharactersAreNamedWithoutACall(t *testing.T) {
	p, b := insiPortal(t, nil)
	for _, tt := range []struct {
		tr       traits
		lang     string
		contains string
	}{
		{traits{"ADRUN3", "ZOE", "F", "1975-12-31", ""}, "fr", "« 3 »"},
		{traits{"ADRUN", "ZOŁ", "F", "1975-12-31", ""}, "de", "„Ł“"},
		{traits{"ADRUN", "ZOE", "F", "31/12/2099", ""}, "en", "Date of birth"},
		{traits{"ADRUN", "ZOE", "X", "1975-12-31", ""}, "fr", "Sexe"},
		{traits{"ADRUN-", "ZOE", "F", "1975-12-31", ""}, "fr", "entre deux lettres"},
	} {
		b.Get("/identification?lang=" + tt.lang)
		r := b.Post("/identification/traits", tt.tr.form())
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(b.Text("traits-error"), tt.contains) {
			t.Errorf("%+v (%s): %d %q", tt.tr, tt.lang, r.Status, b.Text("traits-error"))
		}
	}
	// A confirmation tampered with is checked again, strictly.
	r := b.Post("/identification/traits", url.Values{"step": {"search"}, "birth_name": {"Adrun"}, "first_names": {"ZOE"},
		"sex": {"F"}, "birth_date": {"1975-12-31"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Errorf("lower case sent to search: %d", r.Status)
	}
	if rows := insiRows(t, p, virginie); len(rows) != 0 {
		t.Errorf("INSi was called: %+v", rows)
	}
}

// 01 for the first name, 00 for the next: both calls audited.
func TestFirstNameStrategyStopsAtTheFirst00(t *testing.T) {
	p, b := insiPortal(t, nil)
	r := search(t, b, traits{"TCHITCHI", "OLA CATARINA", "F", "1936-06-21", ""})
	if r.Status != http.StatusOK || b.Text("trait-given_names") != "CATARINA BELLA" {
		t.Fatalf("TCHITCHI: %d %q", r.Status, b.Text("traits-message"))
	}
	if got := codes(insiRows(t, p, virginie)); got != "01 00" {
		t.Errorf("audit %q, want 01 00", got)
	}
}

// 01 for every first name and for the list: the form is kept.
func TestNotFoundKeepsTheForm(t *testing.T) {
	p, b := insiPortal(t, nil)
	r := search(t, b, traits{"HOUILLES", "PIERRE PAUL JACQUES", "M", "1993-01-27", ""})
	if r.Status != http.StatusNotFound || !strings.Contains(b.Text("traits-message"), "Aucune identité trouvée") {
		t.Fatalf("HOUILLES: %d %q", r.Status, b.Text("traits-message"))
	}
	if v, _ := b.Page.Find("#traits-birth_name").Attr("value"); v != "HOUILLES" {
		t.Errorf("form not kept: %q", v)
	}
	if got := codes(insiRows(t, p, virginie)); got != "01 01 01 01" {
		t.Errorf("audit %q", got)
	}
}

// 02: more first names are asked for; with them, 00. Without another
// first name, the birthplace narrows it (picked by the commune's name).
func TestSeveralThenNarrowed(t *testing.T) {
	_, b := insiPortal(t, nil)
	r := search(t, b, traits{"DE VINCI", "LEONARDO", "M", "2014-02-01", ""})
	if r.Status != http.StatusOK || !strings.Contains(b.Text("traits-error"), "autres prénoms") {
		t.Fatalf("DE VINCI: %d %q", r.Status, b.Text("traits-error"))
	}
	r = search(t, b, traits{"DE VINCI", "LEONARDO PIERO", "M", "2014-02-01", ""})
	if r.Status != http.StatusOK || b.Text("ins-matricule") != "1 14 02 75 056 123 27" {
		t.Fatalf("with PIERO: %d %q %q", r.Status, b.Text("ins-matricule"), b.Text("traits-error"))
	}
	checkTraits(t, b, traits{"DE VINCI", "LEONARDO", "M", "2014-02-01", "paris"})
	if !b.Has("commune-75056") {
		t.Fatalf("no Paris among the communes: %s", b.Text("confirm-communes"))
	}
	r = confirm(t, b)
	if r.Status == http.StatusSeeOther {
		r = b.Follow(r)
	}
	if r.Status != http.StatusOK || b.Text("ins-matricule") != "1 14 02 75 056 123 27" || !strings.Contains(b.Text("trait-birth_place"), "75056") {
		t.Fatalf("with Paris: %d %q", r.Status, b.Text("traits-error"))
	}
}

// An NIA is shown as such; INSHISTO is listed as returned.
func TestNIAAndHistory(t *testing.T) {
	_, b := insiPortal(t, nil)
	search(t, b, traits{"PROVISOIRE", "MATRICULE", "M", "2009-07-01", ""})
	if got := b.Text("ins-type"); got != "NIA (numéro d'attente)" {
		t.Errorf("NIA type %q", got)
	}
	search(t, b, traits{"ECETINSI", "PIERRE-ALAIN", "M", "2009-07-14", ""})
	rows := b.Page.Find(`[data-testid="ins-history-row"]`)
	if rows.Length() != 2 || !strings.Contains(rows.First().Text(), "2 09 07 63 220 834 39") || !strings.Contains(rows.Eq(1).Text(), "2 09 06 63 220 123 55") {
		t.Errorf("history %q", rows.Text())
	}
}

// A matricule whose key does not verify is refused: nothing kept.
func TestBadKeyIsRefused(t *testing.T) {
	p, b := insiPortal(t, nil)
	r := search(t, b, traits{"HERMANN", "GATIEN", "M", "1981-03-24", ""})
	if r.Status != http.StatusBadGateway || !strings.Contains(b.Text("traits-message"), "clé du matricule") {
		t.Fatalf("HERMANN: %d %q", r.Status, b.Text("traits-message"))
	}
	if _, err := p.App.Store.PatientIdentityByINS(t.Context(), "1810363220456", "1.2.250.1.213.1.4.8"); err == nil {
		t.Error("an identity with a bad key was kept")
	}
	if got := codes(insiRows(t, p, virginie)); got != "bad_key" {
		t.Errorf("audit %q", got)
	}
}

// INSi unavailable (its fault) is 503; an answer that is not INSi's 502;
// a software INSi does not know 502; each audited.
func TestINSiFaults(t *testing.T) {
	p, b := insiPortal(t, nil)
	zoe := traits{"ADRUN", "ZOE", "F", "1975-12-31", ""}
	for _, tt := range []struct {
		fault  insisim.Fault
		status int
		text   string
	}{
		{insisim.FaultUnavailable, http.StatusServiceUnavailable, "indisponible"},
		{insisim.FaultMalformed, http.StatusBadGateway, "illisible"},
		{insisim.FaultUnknownIDAM, http.StatusBadGateway, "IDAM"},
		{insisim.FaultWrongCN, http.StatusBadGateway, "non habilités"},
	} {
		p.App.Sandbox.INSi.Misbehave(tt.fault, 1)
		r := search(t, b, zoe)
		if r.Status != tt.status || !strings.Contains(b.Text("traits-message"), tt.text) {
			t.Errorf("%s: %d %q", tt.fault, r.Status, b.Text("traits-message"))
		}
		if v, _ := b.Page.Find("#traits-birth_name").Attr("value"); v != "ADRUN" {
			t.Errorf("%s: form not kept", tt.fault)
		}
	}
	if got := codes(insiRows(t, p, virginie)); got != "unavailable malformed unknown_software access_level" {
		t.Errorf("audit %q", got)
	}
	if strings.Contains(p.Logs.String(), "ADRUN") {
		t.Error("traits logged")
	}
}

func TestINSiTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the timeout")
	}
	p, b := insiPortal(t, map[string]string{"INFOPATIENT_HTTP_TIMEOUT": "1s"})
	p.App.Sandbox.INSi.Misbehave(insisim.FaultSlow, 1)
	r := search(t, b, traits{"ADRUN", "ZOE", "F", "1975-12-31", ""})
	if r.Status != http.StatusGatewayTimeout || !strings.Contains(b.Text("traits-message"), "à temps") {
		t.Fatalf("timeout: %d %q", r.Status, b.Text("traits-message"))
	}
	if got := codes(insiRows(t, p, virginie)); got != "timeout" {
		t.Errorf("audit %q", got)
	}
}

// identityID is the identity page's number in the browser's URL.
func identityID(t *testing.T, r *apptest.Response, b *apptest.Browser) string {
	t.Helper()
	action, ok := b.Page.Find(`[data-testid="used-names-form"]`).Attr("action")
	if !ok {
		t.Fatal("no identity page")
	}
	return strings.TrimSuffix(strings.TrimPrefix(action, "/identite/"), "/noms-utilises")
}

// Qualification: the document, who and when are kept, the status
// becomes qualifiée and the INS shareable; every attempt is audited.
func TestQualification(t *testing.T) {
	p, b := insiPortal(t, nil)
	r := search(t, b, traits{"ADRUN", "ZOE", "F", "1975-12-31", ""})
	id := identityID(t, r, b)
	page := "/identite/" + id
	// Refused: no document, not confirmed, not high-trust.
	for _, tt := range []struct {
		form   url.Values
		status int
		text   string
	}{
		{url.Values{"traits_match": {"yes"}}, http.StatusUnprocessableEntity, "Choisissez"},
		{url.Values{"document": {"CN"}}, http.StatusUnprocessableEntity, "Confirmez"},
		{url.Values{"document": {"PC"}, "traits_match": {"yes"}}, http.StatusUnprocessableEntity, "haut niveau de confiance"},
	} {
		if r := b.Post(page+"/qualification", tt.form); r.Status != tt.status || !strings.Contains(b.Text("identity-error"), tt.text) {
			t.Errorf("%v: %d %q", tt.form, r.Status, b.Text("identity-error"))
		}
	}
	r = b.Post(page+"/qualification", url.Values{"document": {"CN"}, "traits_match": {"yes"}})
	if r.Status != http.StatusSeeOther || r.Location != page {
		t.Fatalf("qualify: %d %q", r.Status, r.Location)
	}
	b.Follow(r)
	if b.Text("identity-status") != "Identité qualifiée" || !b.Has("ins-shareable") || b.Has("identity-warning") || b.Has("qualify") {
		t.Errorf("after qualification: %q", b.Text("identity-banner"))
	}
	if q := b.Text("identity-qualification"); !strings.Contains(q, "Carte nationale d'identité") || !strings.Contains(q, "Virginie Medecin") {
		t.Errorf("qualification line %q", q)
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	kept, _ := p.App.Store.PatientIdentityByID(t.Context(), n)
	if kept.Qualification == nil || kept.Qualification.Document != "CN" || kept.Qualification.AccountID != accountID(t, p, virginie) ||
		!kept.Qualification.At.Equal(p.Clock.Now().Truncate(1e9)) && kept.Qualification.At.IsZero() {
		t.Errorf("qualification kept: %+v", kept.Qualification)
	}
	all, _ := p.App.Store.RecentLookups(t.Context(), accountID(t, p, virginie), 10)
	var quals []string
	for _, l := range all {
		if l.Kind == store.AuditQualify {
			quals = append(quals, l.Outcome)
		}
	}
	// The low-trust document is refused by the store, and audited.
	if strings.Join(quals, "|") != "QUAL CN|refused: document not high-trust" {
		t.Errorf("qualification audit %q", quals)
	}
	// Historique names the calls and the qualification.
	b.Get("/historique")
	if h := b.Page.Find(`[data-testid="history"]`).Text(); !strings.Contains(h, "Recherche INS par traits (INSi)") || !strings.Contains(h, "Identité qualifiée") || !strings.Contains(h, "CR 00") {
		t.Errorf("history %q", h)
	}
	if href, _ := b.Page.Find(`[data-testid="history-link"]`).First().Attr("href"); href != page {
		t.Errorf("the qualification's row links to %q, want %q", href, page)
	}
}

// A douteuse or fictive identity is provisoire, never qualified, never
// updated by INSi.
func TestDouteuseAndFictiveAreNeverQualified(t *testing.T) {
	p, b := insiPortal(t, nil)
	zoe := traits{"ADRUN", "ZOE", "F", "1975-12-31", ""}
	r := search(t, b, zoe)
	page := "/identite/" + identityID(t, r, b)
	for _, mark := range []string{"douteuse", "fictive"} {
		r = b.Post(page+"/attributs", url.Values{mark: {"yes"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("mark %s: %d", mark, r.Status)
		}
		b.Follow(r)
		if b.Text("identity-status") != "Identité provisoire" || !b.Has("identity-attr-"+mark) || !b.Has("identity-blocked") || b.Has("qualify") {
			t.Errorf("%s: %q", mark, b.Text("identity-banner"))
		}
		if r := b.Post(page+"/qualification", url.Values{"document": {"PA"}, "traits_match": {"yes"}}); r.Status != http.StatusConflict || !strings.Contains(b.Text("identity-error"), "douteuse ou fictive") {
			t.Errorf("%s qualified: %d", mark, r.Status)
		}
		if r := search(t, b, zoe); r.Status != http.StatusConflict || !strings.Contains(b.Text("traits-message"), "douteuse ou fictive") {
			t.Errorf("%s updated by INSi: %d %q", mark, r.Status, b.Text("traits-message"))
		}
		b.Post(page+"/attributs", url.Values{})
	}
	if r := b.Post(page+"/attributs", url.Values{"fictive": {"yes"}, "homonyme": {"yes"}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("fictive + homonyme: %d", r.Status)
	}
	all, _ := p.App.Store.RecentLookups(t.Context(), accountID(t, p, virginie), 50)
	refused := 0
	for _, l := range all {
		if l.Kind == store.AuditQualify && strings.Contains(l.Outcome, "douteuse or fictive") {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("%d refused qualifications audited", refused)
	}
}

// Used names are typed, shown apart, never derived from birth names.
func TestUsedNames(t *testing.T) {
	_, b := insiPortal(t, nil)
	r := search(t, b, traits{"ADRUN", "ZOE", "F", "1975-12-31", ""})
	page := "/identite/" + identityID(t, r, b)
	r = b.Post(page+"/noms-utilises", url.Values{"used_name": {"Martin"}, "used_given_name": {"Zoé"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("used names: %d", r.Status)
	}
	b.Follow(r)
	if b.Text("trait-used_name") != "Martin" || b.Text("trait-used_given_name") != "Zoé" || b.Text("trait-birth_name") != "ADRUN" {
		t.Errorf("used %q %q birth %q", b.Text("trait-used_name"), b.Text("trait-used_given_name"), b.Text("trait-birth_name"))
	}
	if r := b.Post(page+"/noms-utilises", url.Values{"used_name": {strings.Repeat("x", 101)}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("too long: %d", r.Status)
	}
}

// The demo keeps PAT-TROIS already qualified: the qualified layout
// without a call to INSi.
func TestDemoPATTROISIsQualified(t *testing.T) {
	p, b := insiPortal(t, nil)
	pt, err := p.App.Store.PatientIdentityByINS(t.Context(), "2790351215189", "1.2.250.1.213.1.4.10")
	if err != nil {
		t.Fatal(err)
	}
	if r := b.Get("/identite/" + strconv.FormatInt(pt.ID, 10)); r.Status != http.StatusOK {
		t.Fatalf("PAT-TROIS: %d", r.Status)
	}
	if b.Text("identity-status") != "Identité qualifiée" || b.Text("ins-matricule") != "2 79 03 51 215 189 89" || b.Text("ins-type") != "NIR de test" || !b.Has("ins-shareable") {
		t.Errorf("PAT-TROIS: %q %q %q", b.Text("identity-status"), b.Text("ins-matricule"), b.Text("ins-type"))
	}
	for _, bad := range []string{"/identite/0", "/identite/x", "/identite/99999"} {
		if r := b.Get(bad); r.Status != http.StatusNotFound {
			t.Errorf("%s: %d", bad, r.Status)
		}
	}
}

// The identification page offers the search by traits; signed out, its
// routes send to the sign-in.
func TestTraitsFormOnTheIdentificationPage(t *testing.T) {
	p, b := insiPortal(t, nil)
	b.Get("/identification?lang=en")
	if !b.Has("traits-form") || !strings.Contains(b.Text("traits"), "By identity traits") {
		t.Error("no traits form")
	}
	anon := p.NewBrowser(t)
	anon.Get("/")
	if r := anon.Post("/identification/traits", traits{"ADRUN", "ZOE", "F", "1975-12-31", ""}.form()); r.Status != http.StatusSeeOther && r.Status != http.StatusFound {
		t.Errorf("signed out: %d", r.Status)
	}
	if r := anon.Get("/identite/1"); r.Status != http.StatusSeeOther && r.Status != http.StatusFound {
		t.Errorf("identity page signed out: %d", r.Status)
	}
}
