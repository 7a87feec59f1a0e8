package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

// loginFrom posts the login form from address ip (behind the trusted
// loopback proxy) with b's cookies and token.
func loginFrom(t *testing.T, p *apptest.Portal, b *apptest.Browser, ip, login, pw string) *apptest.Response {
	t.Helper()
	b.Get("/")
	tok, _ := b.Page.Find(`input[name="_csrf"]`).Attr("value")
	form := url.Values{"login": {login}, "password": {pw}, "_csrf": {tok}}
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	return b.Do(req)
}

var throttleEnv = map[string]string{"INFOPATIENT_TRUSTED_PROXIES": "127.0.0.1"}

// Successful sign-ins never count: 25 professionals behind one address
// (a hospital's NAT) all sign in, well past the address's allowance of 20.
func TestSuccessfulSignInsAreNotThrottled(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, throttleEnv)
	for i := range 25 {
		b := p.NewBrowser(t)
		if r := loginFrom(t, p, b, "198.51.100.7", virginie, demo.Password); r.Status != http.StatusSeeOther {
			t.Fatalf("correct sign-in %d from one address: %d", i+1, r.Status)
		}
	}
}

// Wrong passwords slow down their pair, they lock nobody: the attacker
// waits a delay that doubles, told the real time left; the owner signs in
// from another address, and from the attacker's address on a known device.
func TestFailuresSlowTheAttackerNotTheOwner(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_TRUSTED_PROXIES": "127.0.0.1", "INFOPATIENT_LOGIN_MAX_PER_ADDRESS": "8"})
	const attacker, office = "203.0.113.66", "198.51.100.7"
	owner := p.NewBrowser(t)
	if r := loginFrom(t, p, owner, attacker, virginie, demo.Password); r.Status != http.StatusSeeOther {
		t.Fatalf("the owner's first sign-in: %d", r.Status) // makes this browser a known device
	}
	owner.Follow(owner.Get("/"))
	owner.Post("/logout", nil)

	a := p.NewBrowser(t)
	for i := range 5 { // the free allowance of the pair
		if r := loginFrom(t, p, a, attacker, virginie, "wrong"); r.Status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, r.Status)
		}
	}
	r := loginFrom(t, p, a, attacker, virginie, "wrong")
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "1" {
		t.Fatalf("after 5 failures: %d, Retry-After %q; want 429 and 1 s", r.Status, r.Header.Get("Retry-After"))
	}
	// Waiting the delay is enough for one more try; the next delay doubles.
	p.Clock.Advance(time.Second)
	if r := loginFrom(t, p, a, attacker, virginie, "wrong"); r.Status != http.StatusUnauthorized {
		t.Fatalf("after the wait: %d", r.Status)
	}
	if r := loginFrom(t, p, a, attacker, virginie, "wrong"); r.Header.Get("Retry-After") != "2" {
		t.Fatalf("after 6 failures: %d, Retry-After %q, want 2", r.Status, r.Header.Get("Retry-After"))
	}
	p.Clock.Advance(2 * time.Second)
	loginFrom(t, p, a, attacker, virginie, "wrong") // 7
	p.Clock.Advance(4 * time.Second)
	loginFrom(t, p, a, "203.0.113.66", "691234561", "wrong") // 8: the address is past its allowance
	r = loginFrom(t, p, a, attacker, "701234568", "wrong")
	ra, _ := strconv.Atoi(r.Header.Get("Retry-After"))
	if r.Status != http.StatusTooManyRequests || ra < 1 || ra > 8 {
		t.Fatalf("the address after 8 failures: %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
	// The correct password is not refused forever: from another address
	// at once, and from the attacker's address on the owner's known device.
	if r := loginFrom(t, p, p.NewBrowser(t), office, virginie, demo.Password); r.Status != http.StatusSeeOther {
		t.Errorf("the owner from another address: %d", r.Status)
	}
	p.Clock.Advance(8 * time.Second) // the pair's own delay, not the address's
	if r := loginFrom(t, p, owner, attacker, virginie, demo.Password); r.Status != http.StatusSeeOther {
		t.Errorf("the owner on a known device behind the attacker's address: %d (Retry-After %q)", r.Status, r.Header.Get("Retry-After"))
	}
	// Failures leave the window one by one (sliding, not clock-aligned).
	p.Clock.Advance(16 * time.Minute)
	if r := loginFrom(t, p, p.NewBrowser(t), attacker, "701234568", "wrong"); r.Status != http.StatusUnauthorized {
		t.Errorf("after the window: %d", r.Status)
	}
}
