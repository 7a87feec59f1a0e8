package web_test

// What several of web's test files share: the sandbox's and the demo's
// identities, sign-in and lookup steps, and the assertions on their
// outcome. A helper used by one file only stays in that file.

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// Demo data (data/demo).
const (
	virginie = "751234567" // demo account VIRGINIE MEDECIN, RPPS 99700218896
	// A demo patient: Camille DUPONT, born 1984-02-11 in Paris; her
	// rights are the ADRi sandbox's (data/sandbox/adri-beneficiaries.json).
	camilleNIR   = "2 84 02 75 115 023"
	camilleBirth = "1984-02-11"
)

// Sandbox test cards (data/sandbox/psc-professionals.json) and the demo
// accounts they belong to.
const (
	virginieIDNat = "899700218896" // linked to 751234567
	paulIDNat     = "899700218904" // not linked
	isabelleIDNat = "899700218912" // not linked; account 931234565
	isabelle      = "931234565"
)

// The HIN sandbox's identity linked to a demo account.
const (
	claudia       = "756100001" // demo account CLAUDIA MUSTER, linked to HIN cmuster
	claudiaHeader = "CLAUDIA MUSTER HIN cmuster"
)

// Titles of the page a failed sign-in shows (French).
const (
	titleRefused     = "Connexion refusée"
	titleStale       = "Connexion expirée"
	titleCancelled   = "Connexion annulée"
	titleUnavailable = "Service d'authentification indisponible"
)

// Sandbox cards (data/sandbox/covercard-cards.json).
const (
	cardValid     = "80756000000000000001" // Zoé Müller-Dubois
	cardValidHMO  = "80756000000000000002" // Hans-Peter Brunner
	cardBlocked   = "80756000000000000003"
	cardVVGOnly   = "80756000000000000004"
	cardExpired   = "80756000000000000005"
	cardUnknown   = "80756000000000000006"
	cardMalformed = "80756000000000000007"
	cardSuspended = "80756000000000000008"
	cardUnlisted  = "80756000000000000099" // any other number: unknown
)

// pscAuthorize presses "SE CONNECTER par e-CPS" in b and answers the
// sandbox's card page with the card idNat (code 1234) and the button
// action ("sign-in" or "cancel"). It returns where the sandbox sends the
// browser back: the portal's callback URL, not visited yet.
func pscAuthorize(t testing.TB, b *apptest.Browser, idNat, action string) *url.URL {
	t.Helper()
	return pscAuthorizeFrom(t, b, "/auth/psc/login", idNat, action)
}

// pscAuthorizeFrom is pscAuthorize starting at a given sign-in URL.
func pscAuthorizeFrom(t testing.TB, b *apptest.Browser, start, idNat, action string) *url.URL {
	t.Helper()
	r := b.Get(start)
	if r.Status != http.StatusFound {
		t.Fatalf("e-CPS button: %d %s", r.Status, b.Text("error-title"))
	}
	cardPage := r.Location
	if r = b.Get(cardPage); r.Status != http.StatusOK || !b.Has("psc-form") {
		t.Fatalf("sandbox card page %q: %d", cardPage, r.Status)
	}
	pending, ok := b.Page.Find(`input[name="pending"]`).Attr("value")
	if !ok || pending == "" {
		t.Fatal("the card page carries no pending field")
	}
	r = b.PostRaw(cardPage, url.Values{"pending": {pending}, "professional": {idNat}, "code": {pscsim.CardCode}, "action": {action}})
	if r.Status != http.StatusFound {
		t.Fatalf("card page answer: %d", r.Status)
	}
	back, err := url.Parse(r.Location)
	if err != nil || back.Path != "/auth/psc/callback" {
		t.Fatalf("the sandbox sends the browser to %q", r.Location)
	}
	return back
}

// pscSignIn signs in with the card idNat and returns the callback's answer
// (a redirect: to the identification page, or to the linking page).
func pscSignIn(t *testing.T, b *apptest.Browser, idNat string) *apptest.Response {
	t.Helper()
	return b.Get(pscAuthorize(t, b, idNat, "sign-in").String())
}

// hinAuthorize presses the HIN button in b, picks the sandbox identity
// hinID and answers the consent page ("yes" or "no"). It returns where HIN
// sends the browser back: the portal's callback URL, not visited yet.
func hinAuthorize(t *testing.T, b *apptest.Browser, hinID, decision string) *url.URL {
	t.Helper()
	r := b.Get("/auth/hin/login")
	if r.Status != http.StatusFound {
		t.Fatalf("HIN button: %d %s", r.Status, b.Text("error-title"))
	}
	if r = b.Get(r.Location); r.Status != http.StatusOK || !b.Has("hin-identity-"+hinID) {
		t.Fatalf("HIN sign-in page: %d", r.Status)
	}
	r = submitHINForm(t, b, url.Values{"hin_id": {hinID}})
	if r.Status != http.StatusOK || !b.Has("hin-consent-yes") {
		t.Fatalf("HIN consent page: %d %s", r.Status, b.Text("hin-error"))
	}
	r = submitHINForm(t, b, url.Values{"decision": {decision}})
	back, err := url.Parse(r.Location)
	if r.Status != http.StatusSeeOther || err != nil || back.Path != "/auth/hin/callback" {
		t.Fatalf("HIN consent answer: %d → %q", r.Status, r.Location)
	}
	return back
}

// submitHINForm posts the form of the sandbox page last read, with its
// pending sign-in and the fields given (the button pressed).
func submitHINForm(t *testing.T, b *apptest.Browser, fields url.Values) *apptest.Response {
	t.Helper()
	form := b.Page.Find("form").First()
	action, _ := form.Attr("action")
	pending, _ := form.Find(`input[name="pending"]`).Attr("value")
	if action == "" || pending == "" {
		t.Fatal("the HIN page has no form")
	}
	fields.Set("pending", pending)
	return b.PostRaw(action, fields)
}

// hinSignIn signs in with the sandbox identity hinID and consents, then
// consents to HIN's directory, whose authorization the portal chains to
// the sign-in; it returns the portal's answer to the last callback (a
// redirect: to the identification page, or to the linking page).
func hinSignIn(t *testing.T, b *apptest.Browser, hinID string) *apptest.Response {
	t.Helper()
	r := b.Get(hinAuthorize(t, b, hinID, "yes").String())
	if !asksHINDirectory(r) {
		t.Fatalf("the HIN callback answers %d → %q, not the directory's authorization (%s)", r.Status, r.Location, b.Text("error-message"))
	}
	return b.Get(hinDirectoryConsent(t, b, r, "yes").String())
}

// asksHINDirectory says whether r sends the browser to HIN's directory's
// authorization (GetAuthCode/hin_sds).
func asksHINDirectory(r *apptest.Response) bool {
	return r.Status == http.StatusFound && strings.Contains(r.Location, "/GetAuthCode/hin_sds?")
}

// hinDirectoryConsent follows r, the portal's redirect to the directory's
// authorization, to the sandbox's consent page — straight there, the
// sandbox remembering the HIN sign-in — and answers it ("yes" or "no").
// It returns where HIN sends the browser back, not visited yet.
func hinDirectoryConsent(t *testing.T, b *apptest.Browser, r *apptest.Response, decision string) *url.URL {
	t.Helper()
	if !asksHINDirectory(r) {
		t.Fatalf("not the directory's authorization: %d → %q", r.Status, r.Location)
	}
	if r = b.Get(r.Location); r.Status != http.StatusOK || !b.Has("hin-consent-yes") {
		t.Fatalf("the directory's consent page: %d %s", r.Status, b.Text("hin-error"))
	}
	r = submitHINForm(t, b, url.Values{"decision": {decision}})
	back, err := url.Parse(r.Location)
	if r.Status != http.StatusSeeOther || err != nil || back.Path != "/auth/hin/callback" {
		t.Fatalf("the directory's consent answer: %d → %q", r.Status, r.Location)
	}
	return back
}

// signedOut asserts that b has no authenticated session.
func signedOut(t *testing.T, b *apptest.Browser, why string) {
	t.Helper()
	if r := b.Get("/identification"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/?") {
		t.Errorf("%s: the identification page answers %d → %q, want the login page", why, r.Status, r.Location)
	}
}

// signedInAs asserts that b's identification page shows header.
func signedInAs(t *testing.T, b *apptest.Browser, header string) {
	t.Helper()
	r := b.Get("/identification")
	if r.Status != http.StatusOK || b.Text("professional") != header {
		t.Errorf("identification page: %d, header %q, want %q", r.Status, b.Text("professional"), header)
	}
}

// refusedWith asserts the error page a failed sign-in shows: its status,
// title, and a retry button leading to authority's sign-in.
func refusedWith(t *testing.T, b *apptest.Browser, r *apptest.Response, status int, title, authority string) {
	t.Helper()
	if r.Status != status || b.Text("error-title") != title {
		t.Errorf("got %d %q (%s), want %d %q", r.Status, b.Text("error-title"), b.Text("error-message"), status, title)
	}
	if href, _ := b.Page.Find(`[data-testid="error-retry"]`).Attr("href"); href != "/auth/"+authority+"/login" {
		t.Errorf("retry button leads to %q", href)
	}
}

// lookUp types a card number on IDENTIFIEZ VOTRE PATIENT(E).
func lookUp(t *testing.T, b *apptest.Browser, number string) *apptest.Response {
	t.Helper()
	if r := b.Get("/identification"); r.Status != http.StatusOK {
		t.Fatalf("identification page: %d", r.Status)
	}
	return postLookup(t, b, number)
}

// postLookup submits number to POST /patient from the page last read and,
// when a lookup was made (303 to its page, /patient/{id}), follows to
// that page; a number refused before any lookup is answered directly.
func postLookup(t *testing.T, b *apptest.Browser, number string) *apptest.Response {
	t.Helper()
	form := url.Values{"identifier": {number}}
	// A French number is looked up in ADRi with the beneficiary's date
	// of birth: the demo patient's, for hers.
	if number == camilleNIR || number == strings.ReplaceAll(camilleNIR, " ", "") {
		form.Set("date_naissance", camilleBirth)
	}
	return followLookup(t, b, b.Post("/patient", form))
}

// followLookup follows a lookup's 303 to its page.
func followLookup(t *testing.T, b *apptest.Browser, r *apptest.Response) *apptest.Response {
	t.Helper()
	if r.Status != http.StatusSeeOther {
		return r
	}
	if !lookupPage.MatchString(r.Location) {
		t.Fatalf("a lookup answers 303 to %q, not to its page", r.Location)
	}
	return b.Get(r.Location)
}

// lookupPage is the path of a lookup's page.
var lookupPage = regexp.MustCompile(`^/patient/[0-9]+$`)

// lookUpRights types a NIR, a date of birth and a rank on IDENTIFIEZ
// VOTRE PATIENT(E), and follows the answer to the page that shows the
// outcome (an input refused is answered at once).
func lookUpRights(t *testing.T, b *apptest.Browser, number, birthDate, rank string) *apptest.Response {
	t.Helper()
	if r := b.Get("/identification"); r.Status != http.StatusOK {
		t.Fatalf("identification page: %d", r.Status)
	}
	r := b.Post("/patient", url.Values{"identifier": {number}, "date_naissance": {birthDate}, "rang_naissance": {rank}})
	if r.Status == http.StatusSeeOther {
		return followLookup(t, b, r)
	}
	return r
}

// accountID is the id of the account login.
func accountID(t *testing.T, p *apptest.Portal, login string) int64 {
	t.Helper()
	a, err := p.App.Store.AccountByLogin(t.Context(), login)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// hinTokenKey names the store row of an account's HIN tokens (the key
// internal/hin keeps them under).
func hinTokenKey(t *testing.T, p *apptest.Portal, login string) string {
	t.Helper()
	return "hin:user:" + strconv.FormatInt(accountID(t, p, login), 10)
}

// mustURL parses s or fails the test.
func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// grepLines keeps the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// noSecretsLogged fails when logs contain one of secrets — codes, states,
// tokens, client secrets — or when one of them is empty (nothing to look
// for).
func noSecretsLogged(t *testing.T, logs string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			t.Fatal("a secret to look for is empty")
		}
		if strings.Contains(logs, s) {
			t.Errorf("the logs contain a code, state, token or secret (%.8s…)", s)
		}
	}
}
