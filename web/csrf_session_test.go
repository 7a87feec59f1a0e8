package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

// postWith posts form to path with extra cookies and an optional query.
func postWith(t *testing.T, p *apptest.Portal, b *apptest.Browser, path string, form url.Values, cookies ...*http.Cookie) *apptest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, p.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return b.Do(req)
}

// A token planted as a cookie and repeated in the form (Echo's
// double-submit) is refused on POST /login and POST /patient; so is the
// right token sent in the query string, and the token of another session.
func TestCSRFTokenIsBoundToTheSession(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	const planted = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	plant := []*http.Cookie{{Name: "_csrf", Value: planted}, {Name: "infopatient_csrf", Value: planted}}

	anon := p.NewBrowser(t)
	r := postWith(t, p, anon, "/login", url.Values{"login": {virginie}, "password": {demo.Password}, "_csrf": {planted}}, plant...)
	if r.Status != http.StatusForbidden {
		t.Errorf("planted cookie on POST /login: %d, want 403", r.Status)
	}

	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	b.Follow(b.Get("/"))
	good, _ := b.Page.Find(`input[name="_csrf"]`).Attr("value")
	patient := url.Values{"identifier": {"2840275115023"}, "date_naissance": {"1984-02-11"}}

	form := url.Values{"identifier": {"2840275115023"}, "_csrf": {planted}}
	if r := postWith(t, p, b, "/patient", form, plant...); r.Status != http.StatusForbidden {
		t.Errorf("planted cookie on POST /patient: %d, want 403", r.Status)
	}
	if r := postWith(t, p, b, "/patient?_csrf="+url.QueryEscape(good), patient); r.Status != http.StatusForbidden {
		t.Errorf("token in the query string: %d, want 403", r.Status)
	}
	// Another browser's token, valid for its own session, is not this one's.
	other := p.NewBrowser(t)
	other.SignIn(virginie, demo.Password)
	other.Follow(other.Get("/"))
	foreign, _ := other.Page.Find(`input[name="_csrf"]`).Attr("value")
	if r := postWith(t, p, b, "/patient", url.Values{"identifier": {"2840275115023"}, "_csrf": {foreign}}); r.Status != http.StatusForbidden {
		t.Errorf("another session's token: %d, want 403", r.Status)
	}
	// The session's own token, in the body or the header, is accepted.
	if r := postWith(t, p, b, "/patient", url.Values{"identifier": {"2840275115023"}, "date_naissance": {"1984-02-11"}, "_csrf": {good}}); r.Status != http.StatusSeeOther {
		t.Errorf("the session's token in the form: %d, want 303", r.Status)
	}
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/patient", strings.NewReader(patient.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", good)
	if r := b.Do(req); r.Status != http.StatusSeeOther {
		t.Errorf("the session's token in the header: %d, want 303", r.Status)
	}
}

// The token rotates at sign-in: the anonymous page's token does not work
// once signed in.
func TestCSRFTokenRotatesAtSignIn(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Get("/")
	before, _ := b.Page.Find(`input[name="_csrf"]`).Attr("value")
	b.SignIn(virginie, demo.Password)
	b.Follow(b.Get("/"))
	after, _ := b.Page.Find(`input[name="_csrf"]`).Attr("value")
	if before == "" || after == "" || before == after {
		t.Fatalf("token before %q, after sign-in %q", before, after)
	}
	if r := postWith(t, p, b, "/patient", url.Values{"identifier": {"2840275115023"}, "_csrf": {before}}); r.Status != http.StatusForbidden {
		t.Errorf("the pre-sign-in token after sign-in: %d, want 403", r.Status)
	}
}

// Over https the nonce cookie is a __Host- cookie.
func TestCSRFCookieIsHostPrefixedOverHTTPS(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_BASE_URL": "https://portal.example"})
	req, _ := http.NewRequest(http.MethodGet, p.URL+"/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var names []string
	for _, c := range resp.Cookies() {
		names = append(names, c.Name)
		if strings.Contains(c.Name, "csrf") && (c.Name != "__Host-infopatient_csrf" || !c.Secure || c.Path != "/" || c.Domain != "") {
			t.Errorf("CSRF cookie %+v", c)
		}
	}
	if !strings.Contains(strings.Join(names, " "), "__Host-infopatient_csrf") {
		t.Errorf("cookies %v: no __Host- CSRF cookie", names)
	}
}

// A form served by a session that has since been idle too long is not a
// forgery: its POST is told the session expired (the login page), not 403.
func TestFormOfAnIdleSessionLeadsToTheExpiredNotice(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	b.Follow(b.Get("/identification"))
	p.Clock.Advance(31 * time.Minute)
	r := b.Post("/patient", url.Values{"identifier": {"2840275115023"}})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "expired=1") {
		t.Errorf("the form of an idle session: %d → %q, want the expired notice", r.Status, r.Location)
	}
}
