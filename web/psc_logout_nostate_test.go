package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// PSC may send the browser back from its logout without the state
// (psc.CheckLogoutReturn): taken for the logout this browser started
// minutes ago, refused when late or when no logout is pending.
func TestPSCLogoutReturnWithoutState(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	logoutWithoutState := func(b *apptest.Browser) string {
		t.Helper()
		b.Follow(pscSignIn(t, b, virginieIDNat))
		p.App.Sandbox.PSC.Misbehave(sandbox.PSCClientID, pscsim.LogoutWithoutState, false)
		r := b.Post("/logout", nil)
		r = b.Get(r.Location)
		back := mustURL(t, r.Location)
		if r.Status != http.StatusFound || back.Path != "/auth/psc/logout-callback" || back.Query().Has("state") {
			t.Fatalf("end session: %d → %q", r.Status, r.Location)
		}
		return r.Location
	}

	b := p.NewBrowser(t)
	back := logoutWithoutState(b)
	if r := b.Get(back); r.Status != http.StatusSeeOther || r.Location != "/?bye=1" {
		t.Errorf("return without state, just after: %d → %q", r.Status, r.Location)
	}
	// Once only: nothing is pending any more.
	if r := b.Get(back); r.Status != http.StatusBadRequest {
		t.Errorf("second return without state: %d", r.Status)
	}
	// Another browser that started no logout.
	if r := p.NewBrowser(t).Get(back); r.Status != http.StatusBadRequest {
		t.Errorf("a browser without a pending logout: %d", r.Status)
	}
	// Too late.
	c := p.NewBrowser(t)
	back = logoutWithoutState(c)
	p.Clock.Advance(11 * time.Minute)
	if r := c.Get(back); r.Status != http.StatusBadRequest {
		t.Errorf("a return without state 11 minutes later: %d → %q", r.Status, r.Location)
	}
}
