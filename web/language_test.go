package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

// langLink is where the page's language switch leads for lang.
func langLink(t *testing.T, b *apptest.Browser, lang string) string {
	t.Helper()
	href, ok := b.Page.Find(`[data-testid="languages"] a[hreflang="` + lang + `"]`).Attr("href")
	if !ok {
		t.Fatalf("the page has no link to %s", lang)
	}
	return href
}

func TestLanguageSwitchOfTheLoginPageAfterARefusal(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Get("/?return=%2Fhistorique")
	r := b.Post("/login", url.Values{"login": {virginie}, "password": {"wrong"}, "return": {"/historique"}})
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", r.Status)
	}
	href := langLink(t, b, "de")
	if href != "/?lang=de&return=%2Fhistorique" {
		t.Errorf("the refused login page's German link is %q", href)
	}
	r = b.Follow(b.Get(href))
	if r.Status != http.StatusOK || b.Page.Find("html").AttrOr("lang", "") != "de" || !b.Has("login-form") {
		t.Fatalf("German link: %d, lang %q", r.Status, b.Page.Find("html").AttrOr("lang", ""))
	}
	if got := b.Page.Find(`input[name="return"]`).AttrOr("value", ""); got != "/historique" {
		t.Errorf("the German login page returns to %q, want /historique", got)
	}
	// And it leads there once signed in.
	r = b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}, "return": {"/historique"}})
	if r.Status != http.StatusSeeOther || r.Location != "/historique" {
		t.Errorf("sign-in after switching: %d → %q", r.Status, r.Location)
	}
}

func TestGetLoginLeadsToTheLoginPage(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	for _, c := range []struct{ target, want string }{
		{"/login", "/"},
		{"/login?lang=de", "/"},
		{"/login?return=%2Fhistorique", "/?return=%2Fhistorique"},
		{"/login?lang=en&return=%2Fmes-informations", "/?return=%2Fmes-informations"},
		{"/login?return=%2F%2Fevil.example", "/"},
		{"/login?return=https%3A%2F%2Fevil.example%2F", "/"},
		{"/login?return=%2F%5Cevil.example", "/"},
	} {
		r := b.Get(c.target)
		if r.Status != http.StatusSeeOther || r.Location != c.want {
			t.Errorf("GET %s → %d %q, want 303 %q", c.target, r.Status, r.Location, c.want)
		}
	}
	// ?lang= on the way is remembered.
	b.Follow(b.Get("/login?lang=en"))
	if got := b.Page.Find("html").AttrOr("lang", ""); got != "en" {
		t.Errorf("after GET /login?lang=en the login page is in %q", got)
	}
}

func TestPatientPageSwitchesLanguageWithTheSamePatient(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)

	// Nothing looked up yet: GET /patient is the identification page.
	if r := b.Get("/patient?lang=de"); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Errorf("GET /patient before any lookup: %d %q", r.Status, r.Location)
	}

	if r := lookUpRights(t, b, camilleNIR, camilleBirth, ""); r.Status != http.StatusOK {
		t.Fatalf("lookup: %d", r.Status)
	}
	href := langLink(t, b, "de")
	if !lookupPage.MatchString(strings.TrimSuffix(href, "?lang=de")) || !strings.HasSuffix(href, "?lang=de") {
		t.Errorf("patient page's German link is %q", href)
	}
	r := b.Get(href)
	if r.Status != http.StatusOK {
		t.Fatalf("German patient page: %d %q", r.Status, r.Location)
	}
	if got := b.Page.Find("html").AttrOr("lang", ""); got != "de" {
		t.Errorf("patient page in %q", got)
	}
	if got := b.Text("patient-name"); got != "MARTIN CAMILLE ANNE" {
		t.Errorf("German patient page shows %q", got)
	}
	if got := b.Text("patient-birth-date"); got != "11.02.1984" {
		t.Errorf("German birth date %q", got)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("patient page Cache-Control %q", cc)
	}
	// The consultation is in the audit trail once, and ADRi was called
	// once: a language switch or a reload displays it again, it is no new
	// lookup.
	calls := p.App.Sandbox.ADRi.Requests()
	b.Get("/patient?lang=en")
	b.Get("/patient")
	lookups, err := p.App.Store.RecentLookups(t.Context(), accountID(t, p, virginie), 10)
	if err != nil || len(lookups) != 1 || !strings.HasPrefix(lookups[0].Identifier, "2840275115023 ") || lookups[0].Outcome != "found" {
		t.Errorf("audit trail after one lookup shown in three pages: %+v %v", lookups, err)
	}
	if n := p.App.Sandbox.ADRi.Requests(); n != calls {
		t.Errorf("showing the page again called ADRi %d more times", n-calls)
	}

	// A lookup that shows no patient: the form again, whose language
	// links lead to the identification page, and the patient is forgotten.
	if r := lookUpRights(t, b, camilleNIR+" 19", camilleBirth, ""); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong key: %d", r.Status)
	}
	if href := langLink(t, b, "en"); href != "/identification?lang=en" {
		t.Errorf("the identification error page's English link is %q", href)
	}
	if r := b.Get("/patient"); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Errorf("GET /patient after a failed lookup: %d %q", r.Status, r.Location)
	}

	// Logout forgets it; so does another professional's sign-in in the
	// same browser.
	lookUpRights(t, b, camilleNIR, camilleBirth, "")
	b.Get("/identification")
	b.Post("/logout", nil)
	b.SignIn(virginie, demo.Password)
	if r := b.Get("/patient"); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Errorf("GET /patient after logout and sign-in: %d %q", r.Status, r.Location)
	}
	lookUpRights(t, b, camilleNIR, camilleBirth, "")
	b.Get("/")
	b.Post("/login", url.Values{"login": {"931234565"}, "password": {demo.Password}})
	if r := b.Get("/patient"); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Errorf("GET /patient after another professional signed in: %d %q (%s)", r.Status, r.Location, b.Text("patient-name"))
	}
}

func TestSwissPatientPageSwitchesLanguageWithTheSameCard(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(hinSignIn(t, b, "cmuster"))
	if r := lookUp(t, b, "80756 00000 00000 00001"); r.Status != http.StatusOK {
		t.Fatalf("card lookup: %d", r.Status)
	}
	r := b.Get(langLink(t, b, "en"))
	if r.Status != http.StatusOK || !strings.Contains(b.Text("patient-name"), "Müller-Dubois") {
		t.Fatalf("English Swiss patient page: %d %q", r.Status, b.Text("patient-name"))
	}
	if got := b.Text("card-outcome"); got != "Valid card" {
		t.Errorf("English card outcome %q", got)
	}
	if got := b.Text("card-number"); got != "80756 00000 00000 00001" {
		t.Errorf("card number %q", got)
	}
	lookups, err := p.App.Store.RecentLookups(t.Context(), accountID(t, p, claudia), 10)
	// Covercard is asked again to show the card in English, but the
	// consultation is recorded once.
	if err != nil || len(lookups) != 1 || lookups[0].Kind != "card" || lookups[0].Identifier != "80756000000000000001" {
		t.Errorf("audit trail after one card lookup shown twice: %+v %v", lookups, err)
	}
}
