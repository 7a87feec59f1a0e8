package cluster

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/infopatient/infopatient/internal/apptest"
)

// Demo accounts and sandbox identities (README).
const (
	virginie      = "751234567"    // VIRGINIE MEDECIN, linked to the e-CPS card below
	virginieIDNat = "899700218896" // her Pro Santé Connect test card
	claudiaHINID  = "cmuster"      // Dr. Claudia Muster's HIN e-ID, linked to 756100001
	demoPassword  = "infopatient"
	camilleNIR    = "2 84 02 75 115 023"   // demo patient Camille DUPONT
	validCard     = "80756000000000000001" // Covercard answers: valid
	cardCode      = "1234"                 // every PSC test card's code
)

// pscCallback signs in at the simulated Pro Santé Connect with a test card,
// starting at start (an absolute /auth/psc/login URL), and returns the
// callback URL PSC sends the browser back to, not yet visited.
func pscCallback(t *testing.T, b *apptest.Browser, start, idNat string) string {
	t.Helper()
	r := b.Get(start)
	if r.Status != http.StatusFound {
		t.Fatalf("PSC sign-in start: status %d", r.Status)
	}
	authorize := r.Location
	r = b.Get(authorize)
	pending, ok := r.Doc.Find(`input[name="pending"]`).Attr("value")
	if r.Status != http.StatusOK || !ok {
		t.Fatalf("e-CPS card page: status %d", r.Status)
	}
	r = b.Post(authorize, url.Values{"pending": {pending}, "professional": {idNat}, "code": {cardCode}, "action": {"sign-in"}})
	if r.Status != http.StatusFound || !strings.Contains(r.Location, "/auth/psc/callback?") {
		t.Fatalf("e-CPS card submitted: status %d → %q", r.Status, r.Location)
	}
	return r.Location
}

// hinCallback signs in at the simulated HIN with an e-ID and consents,
// starting at start (an absolute /auth/hin/login URL), and returns the
// callback URL HIN sends the browser back to, not yet visited.
func hinCallback(t *testing.T, b *apptest.Browser, start, hinID string) string {
	t.Helper()
	r := b.Get(start)
	if r.Status != http.StatusFound {
		t.Fatalf("HIN sign-in start: status %d", r.Status)
	}
	page := r.Location
	r = b.Get(page)
	action, pending := formOf(t, r, page)
	r = b.Post(action, url.Values{"pending": {pending}, "hin_id": {hinID}})
	if r.Status != http.StatusOK {
		t.Fatalf("HIN e-ID chosen: status %d", r.Status)
	}
	action, pending = formOf(t, r, action)
	r = b.Post(action, url.Values{"pending": {pending}, "decision": {"yes"}})
	if r.Location == "" || !strings.Contains(r.Location, "/auth/hin/callback?") {
		t.Fatalf("HIN consent: status %d → %q", r.Status, r.Location)
	}
	return r.Location
}

// formOf returns the absolute action and the pending id of the page's form.
func formOf(t *testing.T, r *apptest.Response, pageURL string) (action, pending string) {
	t.Helper()
	if r.Doc == nil {
		t.Fatalf("%s: not a page (status %d)", pageURL, r.Status)
	}
	form := r.Doc.Find("form").First()
	pending, _ = form.Find(`input[name="pending"]`).Attr("value")
	act, _ := form.Attr("action")
	base, err := url.Parse(pageURL)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := url.Parse(act)
	if err != nil || pending == "" {
		t.Fatalf("%s: no form with a pending sign-in", pageURL)
	}
	return base.ResolveReference(ref).String(), pending
}

// signedInAt reports whether the browser's session opens the
// identification page of instance p, and whose name its header shows.
func signedInAt(t *testing.T, b *apptest.Browser, p *apptest.Portal) (bool, string) {
	t.Helper()
	r := b.Get(p.URL + "/identification")
	if r.Status != http.StatusOK {
		return false, ""
	}
	return b.Has("identify-form"), b.Text("professional-name")
}

// csrfToken reads the form token of the last page the browser read.
func csrfToken(t *testing.T, b *apptest.Browser) string {
	t.Helper()
	tok, ok := b.Page.Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok {
		t.Fatal("no CSRF token on the page")
	}
	return tok
}

// lookupResult is what the identification form answered.
type lookupResult struct {
	status  int
	outcome string // data-testid=card-outcome, for a Swiss card
	via     string // data-testid=card-via: whose token called Covercard
	err     error
}

// lookupCard posts a Swiss card number to instance base with client's
// cookies. Unlike apptest.Browser it may run on any goroutine.
func lookupCard(client *http.Client, base, csrf, card string) lookupResult {
	form := url.Values{"_csrf": {csrf}, "identifier": {card}}
	resp, err := client.PostForm(base+"/patient", form)
	if err != nil {
		return lookupResult{err: err}
	}
	if resp.StatusCode == http.StatusSeeOther {
		// The lookup is recorded; its page is a GET, through the same door
		// (on a balancer, maybe another instance).
		resp.Body.Close()
		if resp, err = client.Get(base + resp.Header.Get("Location")); err != nil {
			return lookupResult{err: err}
		}
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		return lookupResult{status: resp.StatusCode, err: err}
	}
	text := func(id string) string {
		return strings.Join(strings.Fields(doc.Find(`[data-testid="`+id+`"]`).First().Text()), " ")
	}
	_, hasSwiss := doc.Find(`[data-testid="swiss-patient"]`).Attr("data-testid")
	res := lookupResult{status: resp.StatusCode, outcome: text("card-outcome"), via: text("card-via")}
	if !hasSwiss {
		res.outcome = ""
	}
	return res
}
