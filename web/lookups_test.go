package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/store"
)

// lookups is the audit trail of login's account, newest first.
func lookups(t *testing.T, p *apptest.Portal, login string) []store.Lookup {
	t.Helper()
	ls, err := p.App.Store.RecentLookups(t.Context(), accountID(t, p, login), 500)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// A lookup answers 303 to its own page; reloading that page, switching
// its language or coming back by GET /patient writes no new audit row —
// for a French NIR and a Swiss card alike.
func TestLookupPostRedirectGet(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	for _, tc := range []struct {
		name, login, number, identifier, name2 string
		signIn                                 func(b *apptest.Browser)
	}{
		{"French", virginie, camilleNIR, "2840275115023", "MARTIN CAMILLE ANNE", func(b *apptest.Browser) { b.SignIn(virginie, demo.Password) }},
		{"Swiss", claudia, cardValid, cardValid, "Müller-Dubois Zoé", func(b *apptest.Browser) { b.Follow(hinSignIn(t, b, "cmuster")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := p.NewBrowser(t)
			tc.signIn(b)
			b.Get("/identification")
			form := url.Values{"identifier": {tc.number}}
			if tc.number == camilleNIR {
				form.Set("date_naissance", camilleBirth) // ADRi's input beside the NIR
			}
			r := b.Post("/patient", form)
			if r.Status != http.StatusSeeOther || !lookupPage.MatchString(r.Location) {
				t.Fatalf("POST /patient: %d → %q, want 303 to the lookup's page", r.Status, r.Location)
			}
			page := r.Location
			for _, target := range []string{page, page, page + "?lang=de", page + "?lang=en", "/patient"} {
				r := b.Follow(b.Get(target))
				if r.Status != http.StatusOK || !strings.Contains(b.Text("patient-name"), tc.name2) {
					t.Errorf("GET %s: %d %q", target, r.Status, b.Text("patient-name"))
				}
				if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("GET %s: Cache-Control %q", target, cc)
				}
			}
			ls := lookups(t, p, tc.login)
			if len(ls) != 1 || !strings.HasPrefix(ls[0].Identifier, tc.identifier) || ls[0].PatientName != tc.name2 {
				t.Fatalf("audit trail after one lookup shown five times: %+v", ls)
			}
			if want := fmt.Sprintf("/patient/%d", ls[0].ID); page != want {
				t.Errorf("the lookup's page is %q, want %q", page, want)
			}

			// Another professional cannot read it; nor is any other id a page.
			other := p.NewBrowser(t)
			other.SignIn(isabelle, demo.Password)
			for _, target := range []string{page, "/patient/0", "/patient/abc", "/patient/99999", "/patient/-1"} {
				if r := other.Get(target); r.Status != http.StatusNotFound || other.Has("patient-name") {
					t.Errorf("another account's GET %s: %d", target, r.Status)
				}
			}
			// Signed out, the page asks for a sign-in first.
			anon := p.NewBrowser(t)
			if r := anon.Get(page); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/?") {
				t.Errorf("anonymous GET %s: %d → %q", page, r.Status, r.Location)
			}
		})
	}
}

// A Swiss card's page, reloaded, asks Covercard again (the data is not
// kept) but records nothing; a failed lookup reloaded tells the failure
// as recorded without asking again.
func TestSwissLookupReloaded(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(hinSignIn(t, b, "cmuster"))
	b.Get("/identification")
	page := b.Post("/patient", url.Values{"identifier": {cardMalformed}}).Location
	for i := 0; i < 2; i++ {
		if r := b.Get(page); r.Status != http.StatusBadGateway || !strings.Contains(b.Text("identify-error"), "illisible") ||
			b.Page.Find("#identifier").AttrOr("value", "") != "80756 00000 00000 00007" {
			t.Errorf("malformed answer, display %d: %d %q", i, r.Status, b.Text("identify-error"))
		}
	}
	if ls := lookups(t, p, claudia); len(ls) != 1 || ls[0].Outcome != "malformed" {
		t.Errorf("audit trail: %+v", ls)
	}
}

// A card whose benefits are suspended is recorded with what the page
// said, and Historique says it, not "Carte valide"; the name shown is
// recorded too.
func TestSuspendedCardRecordedAsShown(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(hinSignIn(t, b, "cmuster"))
	if r := lookUp(t, b, cardSuspended); r.Status != http.StatusOK || b.Text("patient-name") != "Keller Jonas" {
		t.Fatalf("suspended card: %d %q", r.Status, b.Text("patient-name"))
	}
	ls := lookups(t, p, claudia)
	if len(ls) != 1 || ls[0].Outcome != "valid" || ls[0].Shown != "suspended" || ls[0].PatientName != "Keller Jonas" {
		t.Fatalf("audit trail: %+v", ls)
	}
	b.Get("/historique")
	if got := b.Text("history-outcome"); got != "Prestations suspendues" {
		t.Errorf("Historique says %q", got)
	}
	if got := b.Text("history-name"); got != "Keller Jonas" {
		t.Errorf("Historique names %q", got)
	}
}

// An AVS/AHV number is recognised, in every language: the card's number
// is asked for, and nothing is recorded (it is no NIR lookup).
func TestAHVNumberAsksForTheCard(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(hinSignIn(t, b, "cmuster"))
	for _, tc := range []struct{ lang, number, recognised, says string }{
		{"fr", "756.1234.5678.97", "N° AVS", "20 chiffres de la carte"},
		{"de", "7561234567897", "AHV-Nummer", "20 Ziffern der Karte"},
		{"en", "756 1234 5678 97", "AHV/AVS number", "card's 20 digits"},
	} {
		b.Get("/identification?lang=" + tc.lang)
		r := b.Post("/patient", url.Values{"identifier": {tc.number}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(b.Text("identify-recognised"), tc.recognised) || !strings.Contains(b.Text("identify-error"), tc.says) {
			t.Errorf("%s: %d %q", tc.lang, r.Status, b.Text("identify-error"))
		}
		if v := b.Page.Find("#identifier").AttrOr("value", ""); v != tc.number {
			t.Errorf("%s: the form keeps %q", tc.lang, v)
		}
	}
	if ls := lookups(t, p, claudia); len(ls) != 0 {
		t.Errorf("an AHV number was recorded: %+v", ls)
	}
	// A wrong check digit is no AHV number: a NIR (a provisional number
	// may begin with 756), which asks for the date of birth.
	b.Get("/identification?lang=fr")
	if r := postLookup(t, b, "756.1234.5678.98"); r.Status != http.StatusUnprocessableEntity || b.Text("identify-recognised") == "N° AVS :" {
		t.Errorf("a number with a wrong check digit: %d %q", r.Status, b.Text("identify-error"))
	}
}

// Reopening a lookup from Historique is a new lookup, recorded with the
// one it repeats, shown on its own page; another account's cannot be.
func TestReopenFromHistory(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	lookUp(t, b, camilleNIR)
	first := lookups(t, p, virginie)[0]
	p.Clock.Advance(time.Minute)

	b.Get("/historique")
	action := b.Page.Find(`[data-testid="history-row"] form`).First().AttrOr("action", "")
	if action != fmt.Sprintf("/patient/%d/reopen", first.ID) {
		t.Fatalf("reopen form posts to %q", action)
	}
	r := b.Post(action, nil)
	if r.Status != http.StatusSeeOther || !lookupPage.MatchString(r.Location) {
		t.Fatalf("reopen: %d → %q", r.Status, r.Location)
	}
	if r = b.Get(r.Location); r.Status != http.StatusOK || b.Text("patient-name") != "MARTIN CAMILLE ANNE" {
		t.Errorf("reopened page: %d %q", r.Status, b.Text("patient-name"))
	}
	ls := lookups(t, p, virginie)
	// The same beneficiary (NIR, date of birth, rank), asked again: a new call.
	if len(ls) != 2 || ls[0].ReopenedFrom != first.ID || !strings.HasPrefix(ls[0].Identifier, "2840275115023 1984-02-11 1 ") || ls[0].Identifier == first.Identifier || !ls[0].At.After(first.At) {
		t.Fatalf("audit trail after a reopening: %+v", ls)
	}
	b.Get("/historique")
	if n := b.Page.Find(`[data-testid="history-reopened"]`).Length(); n != 1 {
		t.Errorf("%d rows marked reopened, want 1", n)
	}

	other := p.NewBrowser(t)
	other.SignIn(isabelle, demo.Password)
	// The demo's qualified identity (PAT-TROIS) is recorded as hers.
	before := lookups(t, p, isabelle)
	other.Get("/historique")
	if r := other.Post(action, nil); r.Status != http.StatusNotFound {
		t.Errorf("another account reopens a lookup: %d", r.Status)
	}
	if r := other.PostRaw(action, nil); r.Status != http.StatusForbidden {
		t.Errorf("a reopening without the CSRF token: %d", r.Status)
	}
	if ls := lookups(t, p, isabelle); len(ls) != len(before) {
		t.Errorf("recorded for the other account: %+v", ls[:len(ls)-len(before)])
	}
}

// Historique pages through every lookup, fifty at a time.
func TestHistoryPages(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	id := accountID(t, p, virginie)
	start := p.Clock.Now()
	for i := 0; i < 120; i++ {
		if _, err := p.App.Store.AddLookup(t.Context(), store.Lookup{AccountID: id, At: start.Add(-time.Duration(i) * time.Minute), Kind: "nir", Identifier: "2840275115023", Outcome: "found", PatientName: fmt.Sprint("P", i)}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	target := "/historique"
	for pages := 0; target != ""; pages++ {
		if pages > 3 {
			t.Fatal("the pager does not end")
		}
		if r := b.Get(target); r.Status != http.StatusOK {
			t.Fatalf("%s: %d", target, r.Status)
		}
		b.Page.Find(`[data-testid="history-name"]`).Each(func(_ int, s *goquery.Selection) { names = append(names, strings.TrimSpace(s.Text())) })
		target = b.Page.Find(`[data-testid="history-older"]`).AttrOr("href", "")
	}
	if len(names) != 120 || names[0] != "P0" || names[50] != "P50" || names[119] != "P119" {
		t.Errorf("%d lookups through the pages: %v…", len(names), names[:min(3, len(names))])
	}
	if r := b.Get("/historique?page=3"); r.Status != http.StatusOK || b.Text("history-range") == "" || !b.Has("history-newer") || b.Has("history-older") {
		t.Errorf("last page: %d %q", r.Status, b.Text("history-range"))
	}
	for _, bad := range []string{"0", "-2", "x", "999"} {
		if r := b.Get("/historique?page=" + bad); r.Status != http.StatusOK {
			t.Errorf("page %s: %d", bad, r.Status)
		}
	}
}

// A lookup's page shows again only what this sign-in looked up: after a
// new sign-in its bookmark leads to Historique, where it can be reopened
// (a new, recorded lookup), and shows nothing.
func TestLookupPageOfAnEarlierSignIn(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	b.Get("/identification")
	page := b.Post("/patient", url.Values{"identifier": {camilleNIR}, "date_naissance": {camilleBirth}}).Location
	if r := b.Get(page); r.Status != http.StatusOK {
		t.Fatalf("the lookup's page: %d", r.Status)
	}
	b.Get("/identification")
	b.Post("/logout", nil)
	p.Clock.Advance(time.Hour)
	b.SignIn(virginie, demo.Password)
	if r := b.Get(page); r.Status != http.StatusSeeOther || r.Location != "/historique" || b.Has("patient-name") {
		t.Errorf("an earlier sign-in's lookup page: %d → %q", r.Status, r.Location)
	}
	if ls := lookups(t, p, virginie); len(ls) != 1 {
		t.Errorf("%d lookups, want 1", len(ls))
	}
}
