package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
)

// Anonymous GET /auth/psc/login and /auth/hin/login create no session: each
// costs a pending row that expires with its state (minutes), and an address
// starting more sign-ins than allowed in a minute gets 429 with the time
// left.
func TestStartingSignInsCostsNoSessionAndIsLimited(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_SIGNIN_STARTS_PER_ADDRESS": "20"})
	db := p.App.Store.DB()
	started := p.Clock.Now()
	limited := 0
	for i := range 30 {
		path := "/auth/psc/login"
		if i%2 == 1 {
			path = "/auth/hin/login"
		}
		r := p.NewBrowser(t).Get(path) // a fresh client each time, as a flood sends
		switch {
		case i < 20 && r.Status != http.StatusFound:
			t.Fatalf("start %d: %d", i, r.Status)
		case i >= 20 && r.Status == http.StatusTooManyRequests:
			limited++
			if ra := r.Header.Get("Retry-After"); ra == "" || ra == "0" {
				t.Errorf("429 without Retry-After (%q)", ra)
			}
		}
	}
	if limited != 10 {
		t.Errorf("%d of the 10 starts past the limit answered 429", limited)
	}
	var sessions, pending, lasting int
	_ = db.QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&sessions)
	_ = db.QueryRow(`SELECT COUNT(*) FROM pending_logins`).Scan(&pending)
	_ = db.QueryRow(`SELECT COUNT(*) FROM pending_logins WHERE expires_at > $1`, started.Add(10*time.Minute+time.Second).Unix()).Scan(&lasting)
	if sessions != 0 {
		t.Errorf("starting sign-ins created %d sessions", sessions)
	}
	if pending != 20 || lasting != 0 {
		t.Errorf("%d pending sign-ins, %d lasting beyond the state timeout", pending, lasting)
	}
}

// The sign-in cookie binds the state to the browser: a callback from
// another browser is refused.
func TestSignInCookieBindsTheStateToTheBrowser(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	callback := hinAuthorize(t, b, "cmuster", "yes")
	ck := b.Cookie("infopatient_signin")
	if ck == nil {
		t.Fatal("no sign-in cookie")
	}
	other := p.NewBrowser(t)
	r := other.Get(callback.String())
	refusedWith(t, other, r, http.StatusBadRequest, other.Text("error-title"), "hin")
	if r.Status != http.StatusBadRequest {
		t.Errorf("a callback from another browser: %d", r.Status)
	}
}
