package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/sandbox/covercardsim"
	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
)

// swissCase is one lookup and what the professional must read.
type swissCase struct {
	name, card string
	status     int
	outcome    string            // audit outcome
	history    string            // what Historique says of it
	form       string            // the number kept in the form ("": a patient page)
	texts      map[string]string // data-testid → text it contains
}

var swissCases = []swissCase{
	{name: "valid", card: cardValid, status: http.StatusOK, outcome: "valid", history: "Carte valide", texts: map[string]string{
		"card-outcome":       "Carte valide",
		"card-message":       "Covercard confirme la validité",
		"patient-name":       "Müller-Dubois Zoé",
		"card-number":        "80756 00000 00000 00001",
		"patient-birth-date": "23/04/1987",
		"patient-ahv":        "756.1234.5678.97",
		"insurer-name":       "Caisse-maladie du Léman SA",
		"insurer-bag":        "1560",
		"insured-number":     "LEM-558-201",
		"card-expiry":        "31/12/2031",
		"kvg":                "Modèle médecin de famille (VD)",
		"vvg":                "Léman Complémentaire SA",
		"vvg-expiry":         "valable jusqu'au 31/12/2031",
		"insurer-gln":        "7601003000115",
		"restriction":        "Aucune",
	}},
	{name: "valid HMO", card: "80756 00000 00000 00002", status: http.StatusOK, outcome: "valid", history: "Carte valide", texts: map[string]string{
		"patient-name":   "Brunner Hans-Peter",
		"insurer-name":   "Krankenkasse Limmat AG",
		"insurer-bag":    "1570",
		"insured-number": "LIM-2045-77",
		"card-expiry":    "30/06/2030",
		"kvg":            "Modèle HMO (ZH)",
	}},
	// Blocked and unknown cards keep the number in the form, the error
	// under it, as an unknown NIR does.
	{name: "blocked", card: cardBlocked, status: http.StatusOK, outcome: "blocked", history: "Carte bloquée", form: "80756 00000 00000 00003", texts: map[string]string{
		"identify-error": "N° de carte d'assuré suisse : Carte bloquée (code 67) : contactez l'assureur",
	}},
	{name: "VVG only", card: cardVVGOnly, status: http.StatusOK, outcome: "vvg_only", history: "Complémentaire seule", texts: map[string]string{
		"card-outcome": "Complémentaire (LCA) seule",
		"card-message": "ne couvre que l'assurance complémentaire",
		"patient-name": "Bernasconi Luca",
		"kvg":          "Aucune",
		"vvg":          "Ticino Complementare SA",
	}},
	{name: "expired", card: cardExpired, status: http.StatusOK, outcome: "expired", history: "Carte expirée", texts: map[string]string{
		"card-outcome": "Carte expirée",
		"card-message": "Cette carte a expiré",
		"card-expiry":  "30/06/2025",
	}},
	{name: "unknown", card: cardUnknown, status: http.StatusNotFound, outcome: "unknown", history: "Carte inconnue", form: "80756 00000 00000 00006", texts: map[string]string{
		"identify-error": "Covercard ne connaît pas cette carte. Vérifiez le numéro.",
	}},
	{name: "unlisted number", card: cardUnlisted, status: http.StatusNotFound, outcome: "unknown", history: "Carte inconnue", form: "80756 00000 00000 00099", texts: map[string]string{
		"identify-error": "Covercard ne connaît pas cette carte",
	}},
	{name: "suspended benefits", card: cardSuspended, status: http.StatusOK, outcome: "valid", history: "Prestations suspendues", texts: map[string]string{
		"patient-name": "Keller Jonas",
		"restriction":  "Prestations suspendues",
		"card-warning": "contactez-le avant de soigner",
	}},
	{name: "malformed XML", card: cardMalformed, status: http.StatusBadGateway, outcome: "malformed", history: "Réponse illisible", form: "80756 00000 00000 00007", texts: map[string]string{
		"identify-error": "Covercard a envoyé une réponse illisible",
	}},
}

func checkSwissCase(t *testing.T, b *apptest.Browser, r *apptest.Response, tc swissCase) {
	t.Helper()
	if r.Status != tc.status {
		t.Errorf("status %d, want %d (%s)", r.Status, tc.status, b.Text("identify-error"))
	}
	for id, want := range tc.texts {
		if got := b.Text(id); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", id, got, want)
		}
	}
	if tc.form != "" {
		if v, _ := b.Page.Find("#identifier").Attr("value"); v != tc.form || b.Has("patient-name") {
			t.Errorf("the form keeps %q (want %q); a patient shown: %v", v, tc.form, b.Has("patient-name"))
		}
		if inv, _ := b.Page.Find("#identifier").Attr("aria-invalid"); inv != "true" {
			t.Error("the field is not marked invalid")
		}
	}
}

func TestCovercardEverySandboxCard(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(hinSignIn(t, b, "cmuster"))
	for _, tc := range swissCases {
		t.Run(tc.name, func(t *testing.T) {
			r := lookUp(t, b, tc.card)
			checkSwissCase(t, b, r, tc)
			if tc.form == "" && !strings.Contains(b.Text("card-via"), "votre identité HIN") {
				t.Errorf("card-via %q", b.Text("card-via"))
			}
			if _, warned := tc.texts["card-warning"]; !warned && b.Has("card-warning") {
				t.Errorf("unexpected warning %q", b.Text("card-warning"))
			}
		})
	}
	t.Run("Covercard down", func(t *testing.T) {
		p.App.Sandbox.Covercard.Misbehave(covercardsim.FaultServerError, 1)
		r := lookUp(t, b, cardValid)
		if r.Status != http.StatusBadGateway || !strings.Contains(b.Text("identify-error"), "ne répond pas") {
			t.Errorf("Covercard down: %d %q", r.Status, b.Text("identify-error"))
		}
		if b.Has("patient-name") {
			t.Error("a patient is shown though Covercard failed")
		}
	})

	// Every lookup is in the audit trail, most recent first, with its outcome.
	want := []struct{ card, outcome string }{{cardValid, "service_error"}}
	for i := len(swissCases) - 1; i >= 0; i-- {
		want = append(want, struct{ card, outcome string }{strings.ReplaceAll(swissCases[i].card, " ", ""), swissCases[i].outcome})
	}
	lookups, err := p.App.Store.RecentLookups(t.Context(), accountID(t, p, claudia), 50)
	if err != nil || len(lookups) != len(want) {
		t.Fatalf("audit trail: %d lookups, want %d (%v)", len(lookups), len(want), err)
	}
	for i, l := range lookups {
		if l.Kind != "card" || l.Identifier != want[i].card || l.Outcome != want[i].outcome {
			t.Errorf("lookup %d: %s %s %s, want card %s %s", i, l.Kind, l.Identifier, l.Outcome, want[i].card, want[i].outcome)
		}
	}

	// Historique lists them the same way.
	b.Get("/historique")
	rows := b.Page.Find(`[data-testid="history-row"]`)
	if rows.Length() != len(want) {
		t.Fatalf("Historique lists %d lookups, want %d", rows.Length(), len(want))
	}
	historyWant := []string{"Service indisponible"}
	for i := len(swissCases) - 1; i >= 0; i-- {
		historyWant = append(historyWant, swissCases[i].history)
	}
	for i, wantText := range historyWant {
		row := rows.Eq(i)
		if got := strings.TrimSpace(row.Find(`[data-testid="history-outcome"]`).Text()); got != wantText {
			t.Errorf("history row %d outcome %q, want %q", i, got, wantText)
		}
		if got := strings.ReplaceAll(row.Find("code").Text(), " ", ""); got != want[i].card {
			t.Errorf("history row %d card %q, want %s", i, got, want[i].card)
		}
		if !strings.Contains(row.Text(), "Carte d'assuré suisse") {
			t.Errorf("history row %d kind: %q", i, row.Text())
		}
	}
}

func TestCovercardWithThePracticeAccess(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	hin := p.App.Sandbox.HIN
	for _, who := range []struct {
		name   string
		signIn func(b *apptest.Browser)
	}{
		{"local sign-in", func(b *apptest.Browser) { b.SignIn(virginie, demo.Password) }},
		{"Pro Santé Connect sign-in", func(b *apptest.Browser) { b.Follow(pscSignIn(t, b, virginieIDNat)) }},
	} {
		t.Run(who.name, func(t *testing.T) {
			b := p.NewBrowser(t)
			who.signIn(b)
			r := lookUp(t, b, cardValid)
			if r.Status != http.StatusOK || b.Text("patient-name") != "Müller-Dubois Zoé" {
				t.Fatalf("lookup: %d %q %q", r.Status, b.Text("patient-name"), b.Text("identify-error"))
			}
			if !strings.Contains(b.Text("card-via"), "accès Covercard du cabinet") {
				t.Errorf("card-via %q", b.Text("card-via"))
			}
		})
	}
	// One client-credentials token served both: it is cached.
	if n := hin.Stats().ClientCredentials; n != 1 {
		t.Errorf("client-credentials requests: %d, want 1", n)
	}
}

func TestIdentificationSaysWhatItRecognised(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	if !strings.Contains(b.Page.Find(`label[for="identifier"]`).Text(), "carte") {
		t.Errorf("the field's label does not mention Swiss cards: %q", b.Page.Find(`label[for="identifier"]`).Text())
	}
	for _, tc := range []struct {
		input, recognised, message string
		status                     int
	}{
		{"80756 00000 00000 0000", "N° de carte d'assuré suisse :", "il doit compter 20 chiffres", http.StatusUnprocessableEntity},
		{"2 84 02 75 115 023 99", "N° de Sécurité Sociale :", "clé ne correspond pas", http.StatusUnprocessableEntity},
		{"1 50 05 75 999 999", "N° de Sécurité Sociale :", "aucun bénéficiaire", http.StatusNotFound},
		{"", "", "Entrez un n° de Sécurité Sociale ou un n° de carte d'assuré suisse.", http.StatusUnprocessableEntity},
	} {
		r := lookUpRights(t, b, tc.input, "1950-05-01", "")
		if r.Status != tc.status || !strings.Contains(b.Text("identify-recognised"), tc.recognised) || !strings.Contains(b.Text("identify-error"), tc.message) {
			t.Errorf("%q: %d, recognised %q, message %q", tc.input, r.Status, b.Text("identify-recognised"), b.Text("identify-error"))
		}
	}
	// Found: the patient page says which kind of patient it is.
	lookUp(t, b, cardValid)
	if !strings.Contains(b.Text("patient-kind"), "suisse") {
		t.Errorf("Swiss patient kind %q", b.Text("patient-kind"))
	}
	lookUpRights(t, b, camilleNIR, camilleBirth, "1")
	if b.Text("patient-kind") == "" || strings.Contains(b.Text("patient-kind"), "suisse") {
		t.Errorf("French patient kind %q", b.Text("patient-kind"))
	}
	// Malformed numbers reach neither Covercard nor the audit trail; the
	// well-formed ones are all recorded.
	lookups, _ := p.App.Store.RecentLookups(t.Context(), accountID(t, p, virginie), 50)
	var got []string
	for _, l := range lookups {
		id, _, _ := strings.Cut(l.Identifier, " uuid:") // the call's message id varies
		got = append(got, l.Kind+" "+id+" "+l.Outcome)
	}
	want := []string{"adri 2840275115023 1984-02-11 1 found", "card " + cardValid + " valid", "adri 1500575999999 1950-05-01 1 not_found"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("audit trail %q, want %q", got, want)
	}
}

func TestCovercardRefreshesAnExpiredUserToken(t *testing.T) {
	t.Parallel()
	// A long idle timeout: the clock jumps past the HIN token's hour.
	p := apptest.Start(t, map[string]string{"INFOPATIENT_SESSION_IDLE_TIMEOUT": "3h"})
	hin := p.App.Sandbox.HIN
	b := p.NewBrowser(t)
	b.Follow(hinSignIn(t, b, "cmuster"))
	if r := lookUp(t, b, cardValid); r.Status != http.StatusOK {
		t.Fatalf("first lookup: %d", r.Status)
	}
	if n := hin.Stats().RefreshToken; n != 0 {
		t.Fatalf("refreshed a fresh token: %d", n)
	}
	before, _ := p.App.Store.GetToken(t.Context(), hinTokenKey(t, p, claudia))

	p.Clock.Advance(2 * time.Hour)
	r := lookUp(t, b, cardValid)
	if r.Status != http.StatusOK || b.Text("patient-name") != "Müller-Dubois Zoé" || !strings.Contains(b.Text("card-via"), "identité HIN") {
		t.Fatalf("lookup with an expired token: %d %q %q", r.Status, b.Text("patient-name"), b.Text("identify-error"))
	}
	if n := hin.Stats().RefreshToken; n != 1 {
		t.Errorf("refresh requests: %d, want 1", n)
	}
	after, _ := p.App.Store.GetToken(t.Context(), hinTokenKey(t, p, claudia))
	if string(after) == string(before) {
		t.Error("the refreshed tokens were not stored")
	}
	// The fresh token serves the next lookups without another refresh.
	lookUp(t, b, cardValidHMO)
	if n := hin.Stats().RefreshToken; n != 1 {
		t.Errorf("refresh requests after a second lookup: %d", n)
	}
}

func TestCovercardAsksToSignInAgainWhenHINRefusesTheRefresh(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_SESSION_IDLE_TIMEOUT": "3h"})
	hin := p.App.Sandbox.HIN
	b := p.NewBrowser(t)
	b.Follow(hinSignIn(t, b, "cmuster"))
	p.Clock.Advance(2 * time.Hour)
	hin.Misbehave(hinsim.FaultInvalidGrant, 1)

	r := lookUp(t, b, cardValid)
	if r.Status != http.StatusUnauthorized || !strings.Contains(b.Text("identify-error"), "reconnectez-vous avec HIN") {
		t.Fatalf("refused refresh: %d %q", r.Status, b.Text("identify-error"))
	}
	if href, _ := b.Page.Find(`[data-testid="identify-reauth"]`).Attr("href"); href != "/auth/hin/login?return=%2Fidentification" {
		t.Errorf("sign-in-again link %q", href)
	}
	if b.Has("patient-name") {
		t.Error("a patient is shown without a token")
	}
	if _, err := p.App.Store.GetToken(t.Context(), hinTokenKey(t, p, claudia)); err == nil {
		t.Error("the refused tokens were kept")
	}
	lookups, _ := p.App.Store.RecentLookups(t.Context(), accountID(t, p, claudia), 1)
	if len(lookups) != 1 || lookups[0].Outcome != "reauth" {
		t.Errorf("audit %+v", lookups)
	}
	// The tokens are forgotten: no second refresh is tried.
	refreshes := hin.Stats().RefreshToken
	if r := lookUp(t, b, cardValid); r.Status != http.StatusUnauthorized {
		t.Errorf("second lookup: %d", r.Status)
	}
	if hin.Stats().RefreshToken != refreshes {
		t.Error("a forgotten refresh token was tried again")
	}
	// Signing in with HIN again brings the lookups back.
	b.Follow(hinSignIn(t, b, "cmuster"))
	if r := lookUp(t, b, cardValid); r.Status != http.StatusOK {
		t.Errorf("after signing in again: %d %q", r.Status, b.Text("identify-error"))
	}
}

func TestCovercardRefusingThePracticeAccessIsNotTheProfessionalsBusiness(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	if r := lookUp(t, b, cardValid); r.Status != http.StatusOK {
		t.Fatalf("first lookup: %d", r.Status)
	}
	// Covercard refuses the practice's token, and the fresh one too (HIN
	// allows a new one after its 0.3/s interval).
	p.Clock.Advance(4 * time.Second)
	p.App.Sandbox.Covercard.Misbehave(covercardsim.FaultUnauthorized, 2)
	r := lookUp(t, b, cardValid)
	if r.Status != http.StatusBadGateway || !strings.Contains(b.Text("identify-error"), "accès Covercard du cabinet est refusé") {
		t.Errorf("practice access refused: %d %q", r.Status, b.Text("identify-error"))
	}
	if b.Has("identify-reauth") {
		t.Error("a professional signed in with a password is asked to sign in with HIN")
	}
	if n := p.App.Sandbox.HIN.Stats().ClientCredentials; n != 2 {
		t.Errorf("client-credentials requests: %d, want 2 (one renewal after the 401)", n)
	}
	lookups, _ := p.App.Store.RecentLookups(t.Context(), accountID(t, p, virginie), 1)
	if len(lookups) != 1 || lookups[0].Outcome != "forbidden" {
		t.Errorf("audit %+v", lookups)
	}
}

// lookUpConcurrently posts n card lookups at once from b's session and
// returns the statuses that were not 200.
func lookUpConcurrently(t *testing.T, p *apptest.Portal, b *apptest.Browser, n int, card string) []int {
	t.Helper()
	if r := b.Get("/identification"); r.Status != http.StatusOK {
		t.Fatalf("identification page: %d", r.Status)
	}
	csrf, _ := b.Page.Find(`input[name="_csrf"]`).Attr("value")
	// Connections dialled for the burst but never used hold the server's
	// shutdown for 5 s (net/http waits for new connections to speak): the
	// test's and the portal's own (it calls the sandbox through the
	// default transport) are closed before the server stops.
	transport := &http.Transport{}
	defer transport.CloseIdleConnections()
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	client := &http.Client{Jar: b.Client.Jar, Transport: transport, Timeout: 20 * time.Second}
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.PostForm(p.URL+"/patient", url.Values{"identifier": {card}, "_csrf": {csrf}})
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	var failed []int
	for s := range statuses {
		if s != http.StatusOK {
			failed = append(failed, s)
		}
	}
	return failed
}

func TestConcurrentLookupsWithAnExpiredTokenRefreshOnce(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_SESSION_IDLE_TIMEOUT": "3h"})
	b := p.NewBrowser(t)
	b.Follow(hinSignIn(t, b, "cmuster"))
	p.Clock.Advance(2 * time.Hour)
	if failed := lookUpConcurrently(t, p, b, 50, cardValid); len(failed) > 0 {
		t.Errorf("%d of 50 lookups failed: %v", len(failed), failed)
	}
	if n := p.App.Sandbox.HIN.Stats().RefreshToken; n != 1 {
		t.Errorf("refresh requests: %d, want 1", n)
	}
}

func TestConcurrentLookupsFetchThePracticeTokenOnce(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	if failed := lookUpConcurrently(t, p, b, 200, cardValid); len(failed) > 0 {
		t.Errorf("%d of 200 lookups failed: %v", len(failed), failed)
	}
	if n := p.App.Sandbox.HIN.Stats().ClientCredentials; n != 1 {
		t.Errorf("client-credentials requests: %d, want 1", n)
	}
	lookups, _ := p.App.Store.RecentLookups(t.Context(), accountID(t, p, virginie), 500)
	if len(lookups) != 200 {
		t.Errorf("audit trail holds %d lookups, want 200", len(lookups))
	}
}

// The identification hint's examples are patients the demo knows: typed
// as shown, each opens a patient page, in every language.
func TestIdentificationHintExamplesAreDemoPatients(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	examples := regexp.MustCompile(`80756(?: \d{5}){3}|[12](?: \d{2}){3} \d{3} \d{3}`)
	for _, lang := range []string{"fr", "de", "en"} {
		b.Get("/identification?lang=" + lang)
		hint := b.Page.Find("#identifier-hint").Text()
		found := examples.FindAllString(hint, -1)
		if len(found) != 2 {
			t.Errorf("%s hint %q: examples %q, want a NIR and a card", lang, hint, found)
		}
		for _, number := range found {
			// A NIR is looked up with the beneficiary's date of birth.
			birth := map[string]string{camilleNIR: camilleBirth}[number]
			if r := lookUpRights(t, b, number, birth, ""); r.Status != http.StatusOK || !b.Has("patient-name") {
				t.Errorf("%s hint's example %q: %d, no patient (%s)", lang, number, r.Status, b.Text("identify-error"))
			}
		}
	}
}
