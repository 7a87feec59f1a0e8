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

// expireWhileTyping signs login in, opens the identification page, lets
// the session expire and submits number: the login page answers.
func expireWhileTyping(t *testing.T, p *apptest.Portal, b *apptest.Browser, login, number string) {
	t.Helper()
	b.SignIn(login, demo.Password)
	b.Get("/identification")
	p.Clock.Advance(31 * time.Minute)
	r := b.Post("/patient", url.Values{"identifier": {number}})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "expired=1") {
		t.Fatalf("lookup in an expired session: %d → %q", r.Status, r.Location)
	}
	b.Get(r.Location)
}

// A session that expired while a number was being typed keeps it across
// the sign-in again: the identification page shows it, once, and says
// why; nothing was looked up meanwhile.
func TestExpiredSessionKeepsTheTypedNumber(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	expireWhileTyping(t, p, b, virginie, camilleNIR)
	if !b.Has("login-notice") {
		t.Error("the login page does not say the session expired")
	}
	if strings.Contains(b.Page.Text(), camilleNIR) {
		t.Error("the login page shows the number to whoever is at the computer")
	}
	r := b.Follow(b.SignIn(virginie, demo.Password))
	if r.Status != http.StatusOK || b.Page.Find("#identifier").AttrOr("value", "") != camilleNIR || !strings.Contains(b.Text("identify-notice"), "conservé") {
		t.Fatalf("after the sign-in: %d, field %q, notice %q", r.Status, b.Page.Find("#identifier").AttrOr("value", ""), b.Text("identify-notice"))
	}
	if ls := lookups(t, p, virginie); len(ls) != 0 {
		t.Errorf("a lookup was made meanwhile: %+v", ls)
	}
	// Shown once: the next visit starts empty.
	if b.Get("/identification"); b.Page.Find("#identifier").AttrOr("value", "") != "" || b.Has("identify-notice") {
		t.Error("the number is shown again")
	}
}

// Another professional signing in at that computer does not get the
// number; nor does anyone after the draft's ten minutes.
func TestTypedNumberIsForItsProfessionalOnly(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)

	b := p.NewBrowser(t)
	expireWhileTyping(t, p, b, virginie, camilleNIR)
	b.Follow(b.SignIn(isabelle, demo.Password))
	if v := b.Page.Find("#identifier").AttrOr("value", ""); v != "" {
		t.Errorf("another professional sees %q", v)
	}

	late := p.NewBrowser(t)
	expireWhileTyping(t, p, late, virginie, camilleNIR)
	p.Clock.Advance(11 * time.Minute)
	late.Follow(late.SignIn(virginie, demo.Password))
	if v := late.Page.Find("#identifier").AttrOr("value", ""); v != "" {
		t.Errorf("the number waited longer than ten minutes: %q", v)
	}

	// Only a lookup's number is kept: a logout that expired keeps nothing.
	other := p.NewBrowser(t)
	other.SignIn(virginie, demo.Password)
	other.Get("/identification")
	p.Clock.Advance(31 * time.Minute)
	other.Post("/logout", nil)
	other.Follow(other.SignIn(virginie, demo.Password))
	if v := other.Page.Find("#identifier").AttrOr("value", ""); v != "" {
		t.Errorf("a number from nowhere: %q", v)
	}
}
