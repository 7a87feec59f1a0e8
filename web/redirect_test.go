package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// catcher records every request the redirect's target receives.
type catcher struct {
	mu       sync.Mutex
	requests []string // "Authorization header | body"
}

func startRedirect(t *testing.T) (redirector string, c *catcher) {
	t.Helper()
	c = &catcher{}
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.requests = append(c.requests, r.Header.Get("Authorization")+" | "+string(body))
		c.mu.Unlock()
		http.Error(w, "stolen", http.StatusOK)
	}))
	t.Cleanup(target.Close)
	r := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(r.Close)
	return r.URL + "/covercard/servlet", c
}

func (c *catcher) heard() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.requests...)
}

// portalAgainst starts a portal whose HIN and Covercard are the first
// portal's sandbox, but for the overrides; its public URL is the first
// portal's, which the sandbox knows (cookies ignore the port).
func portalAgainst(t *testing.T, sb *sandbox.Sandbox, publicURL string, overrides map[string]string) *apptest.Portal {
	env := map[string]string{
		"INFOPATIENT_BASE_URL":          publicURL,
		"INFOPATIENT_HIN_AUTHORIZE_URL": sb.HINAuthorizeURL(), "INFOPATIENT_HIN_TOKEN_URL": sb.HINTokenURL(),
		"INFOPATIENT_HIN_CLIENT_ID": sandbox.HINClientID, "INFOPATIENT_HIN_CLIENT_SECRET": sandbox.HINClientSecret,
		"INFOPATIENT_COVERCARD_URL": sb.CovercardURL(),
	}
	for k, v := range overrides {
		env[k] = v
	}
	return apptest.Start(t, env)
}

// hinSignInAt signs b in on portal p with HIN, through the sandbox of
// portal a (whose pages post to relative URLs: a browser of a's, sharing
// b's cookies, fills them), and returns the callback's answer.
func hinSignInAt(t *testing.T, a, p *apptest.Portal, b *apptest.Browser) *apptest.Response {
	t.Helper()
	r := b.Get("/auth/hin/login")
	if r.Status != http.StatusFound {
		t.Fatalf("HIN button: %d %s", r.Status, b.Text("error-title"))
	}
	atSandbox := a.NewBrowser(t)
	atSandbox.Client = b.Client
	atSandbox.Get(r.Location)
	submitHINForm(t, atSandbox, url.Values{"hin_id": {"cmuster"}})
	r = submitHINForm(t, atSandbox, url.Values{"decision": {"yes"}})
	back, err := url.Parse(r.Location)
	if err != nil || back.Path != "/auth/hin/callback" {
		t.Fatalf("HIN consent answer: %d → %q", r.Status, r.Location)
	}
	u, _ := url.Parse(p.URL)
	back.Host = u.Host
	return b.Get(back.String())
}

// A Covercard answering 307 to another port never receives the
// professional's HIN bearer token: the lookup says Covercard is
// unavailable.
func TestCovercardRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, nil)
	redirector, caught := startRedirect(t)
	p := portalAgainst(t, a.App.Sandbox, a.URL, map[string]string{"INFOPATIENT_COVERCARD_URL": redirector})
	b := p.NewBrowser(t)
	if r := hinSignInAt(t, a, p, b); r.Status != http.StatusSeeOther {
		t.Fatalf("HIN sign-in: %d %s", r.Status, b.Text("error-title"))
	}
	r := lookUp(t, b, cardValid)
	if r.Status != http.StatusBadGateway || !strings.Contains(b.Text("identify-error"), "ne répond pas") {
		t.Errorf("lookup answered %d %q, want 502 and Covercard unavailable", r.Status, b.Text("identify-error"))
	}
	if got := caught.heard(); len(got) != 0 {
		t.Errorf("the redirect's target received %q", got)
	}
}

// A HIN token endpoint answering 307 never makes the portal re-post the
// code and client_secret elsewhere: the sign-in says HIN is unavailable.
func TestHINTokenRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, nil)
	redirector, caught := startRedirect(t)
	p := portalAgainst(t, a.App.Sandbox, a.URL, map[string]string{"INFOPATIENT_HIN_TOKEN_URL": redirector})
	b := p.NewBrowser(t)
	r := hinSignInAt(t, a, p, b)
	refusedWith(t, b, r, http.StatusBadGateway, titleUnavailable, "hin")
	for _, req := range caught.heard() {
		if strings.Contains(req, sandbox.HINClientSecret) {
			t.Errorf("the redirect's target received the client secret: %q", req)
		}
	}
	if got := caught.heard(); len(got) != 0 {
		t.Errorf("the redirect's target was called: %q", got)
	}
}
