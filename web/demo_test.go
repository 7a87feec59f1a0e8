package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

// In demo mode the login page and "Mot de passe oublié" tell the demo
// accounts, their password and where the sandbox is, in the page's
// language; outside demo mode they say nothing of it.
func TestDemoCredentialsOnTheSignInPages(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	for _, tc := range []struct{ lang, says, profession string }{
		{"fr", "mot de passe « " + demo.Password + " »", "Médecin"},
		{"de", "Passwort «" + demo.Password + "»", "Ärztin/Arzt"},
		{"en", "password “" + demo.Password + "”", "Physician"},
	} {
		for _, page := range []string{"/?lang=", "/mot-de-passe-oublie?lang="} {
			if r := b.Get(page + tc.lang); r.Status != http.StatusOK || !strings.Contains(b.Text("demo-credentials"), tc.says) {
				t.Errorf("%s%s: %d %q", page, tc.lang, r.Status, b.Text("demo-credentials"))
			}
			accounts := b.Page.Find(`[data-testid="demo-account"]`)
			if accounts.Length() != 5 || !strings.Contains(accounts.First().Text(), "751234567") || !strings.Contains(accounts.First().Text(), tc.profession) {
				t.Errorf("%s%s: %d accounts, first %q", page, tc.lang, accounts.Length(), accounts.First().Text())
			}
			if href := b.Page.Find(`[data-testid="demo-sandbox"]`).AttrOr("href", ""); href != "/sandbox/" {
				t.Errorf("%s%s: sandbox link %q", page, tc.lang, href)
			}
		}
	}
	if r := b.Get("/sandbox/"); r.Status != http.StatusOK {
		t.Errorf("the sandbox the page links to: %d", r.Status)
	}

	prod := apptest.Start(t, map[string]string{"INFOPATIENT_DEMO": "false"})
	pb := prod.NewBrowser(t)
	for _, page := range []string{"/", "/mot-de-passe-oublie"} {
		if r := pb.Get(page); r.Status != http.StatusOK || pb.Has("demo-credentials") || strings.Contains(pb.Page.Text(), demo.Password) {
			t.Errorf("%s outside demo mode: %d, demo credentials shown", page, r.Status)
		}
	}
}
