package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

// postFrom submits form to path as a browser does from a page the given
// Sec-Fetch-Site describes ("" for a browser that sends none).
func postFrom(t *testing.T, p *apptest.Portal, b *apptest.Browser, site, path string, form url.Values) *apptest.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, p.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if site != "" {
		req.Header.Set("Sec-Fetch-Site", site)
	}
	return b.Do(req)
}

// Every POST is checked against the token of its CSRF cookie, whatever
// Sec-Fetch-Site says; a cross-site one is refused even with the token.
func TestCSRFTokenIsCheckedWhateverSecFetchSiteSays(t *testing.T) {
	p := apptest.Start(t, nil)
	for _, tc := range []struct {
		site      string
		withToken bool
		want      int
	}{
		{"cross-site", true, http.StatusForbidden},
		{"cross-site", false, http.StatusForbidden},
		{"same-site", true, http.StatusSeeOther},
		{"same-site", false, http.StatusForbidden},
		{"same-origin", true, http.StatusSeeOther},
		{"same-origin", false, http.StatusForbidden},
		{"none", false, http.StatusForbidden},
		{"", true, http.StatusSeeOther},
		{"", false, http.StatusForbidden},
	} {
		b := p.NewBrowser(t)
		// The login page, read as a browser does: same-origin (or none).
		req, _ := http.NewRequest(http.MethodGet, p.URL+"/", nil)
		if tc.site != "" {
			req.Header.Set("Sec-Fetch-Site", "none")
		}
		b.Do(req)
		form := url.Values{"login": {virginie}, "password": {demo.Password}}
		if tc.withToken {
			tok, _ := b.Page.Find(`input[name="_csrf"]`).Attr("value")
			form.Set("_csrf", tok)
		}
		r := postFrom(t, p, b, tc.site, "/login", form)
		if r.Status != tc.want {
			t.Errorf("Sec-Fetch-Site %q, token %v: %d, want %d", tc.site, tc.withToken, r.Status, tc.want)
		}
		if tc.want == http.StatusForbidden && !strings.Contains(b.Text("error-title"), "Formulaire expiré") {
			t.Errorf("Sec-Fetch-Site %q, token %v: page %q", tc.site, tc.withToken, b.Text("error-title"))
		}
		if signedIn := b.Cookie("infopatient_session") != nil; signedIn != (tc.want == http.StatusSeeOther) {
			t.Errorf("Sec-Fetch-Site %q, token %v: signed in %v", tc.site, tc.withToken, signedIn)
		}
	}
}

// Forms carry a token of their browser's own, also for a browser that
// sends Sec-Fetch-Site, never a constant nor a cookie's value.
func TestFormsCarryTheirBrowsersToken(t *testing.T) {
	p := apptest.Start(t, nil)
	var seen []string
	for _, site := range []string{"", "none", "same-origin", "cross-site"} {
		b := p.NewBrowser(t)
		req, _ := http.NewRequest(http.MethodGet, p.URL+"/", nil)
		if site != "" {
			req.Header.Set("Sec-Fetch-Site", site)
		}
		b.Do(req)
		tok, _ := b.Page.Find(`input[name="_csrf"]`).Attr("value")
		ck := b.Cookie("infopatient_csrf")
		if tok == "" || ck == nil || ck.Value == tok {
			t.Errorf("Sec-Fetch-Site %q: form token %q, cookie %v", site, tok, ck)
		}
		for _, other := range seen {
			if tok == other {
				t.Errorf("Sec-Fetch-Site %q: two browsers got the same token %q", site, tok)
			}
		}
		seen = append(seen, tok)
	}
}

// A signed-in professional is not signed out by a cross-site form, even
// one that replays the token (e.g. leaked through a shared page).
func TestCrossSiteLogoutIsRefused(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	tok, _ := b.Page.Find(`input[name="_csrf"]`).Attr("value")
	if r := postFrom(t, p, b, "cross-site", "/logout", url.Values{"_csrf": {tok}}); r.Status != http.StatusForbidden {
		t.Errorf("cross-site logout: %d", r.Status)
	}
	signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
	if r := postFrom(t, p, b, "same-origin", "/logout", url.Values{"_csrf": {tok}}); r.Status != http.StatusSeeOther {
		t.Errorf("same-origin logout with its token: %d", r.Status)
	}
	signedOut(t, b, "after logout")
}
