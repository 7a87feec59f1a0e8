package cluster

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/sandbox"
)

// A Pro Santé Connect sign-in started on one instance completes on the
// other: state, nonce and PKCE verifier are in the database.
func TestPSCSignInStartedOnOneInstanceCompletesOnTheOther(t *testing.T) {
	c := startCluster(t, options{})
	b := c.browser()

	callback := pscCallback(t, b, c.a.URL+"/auth/psc/login", virginieIDNat)
	r := b.Get(on(t, c.b, callback))
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("callback on the second instance: status %d → %q", r.Status, r.Location)
	}
	for _, p := range c.portals() {
		if ok, who := signedInAt(t, b, p); !ok || who != "VIRGINIE MEDECIN" {
			t.Errorf("%s after the sign-in: signed in %v as %q", p.URL, ok, who)
		}
	}

	// The state was taken once, for every instance: replaying the callback
	// on the instance that started the sign-in is refused.
	if r := b.Get(on(t, c.a, callback)); r.Status != http.StatusBadRequest {
		t.Errorf("replayed callback on the first instance: status %d, want 400", r.Status)
	}

	// What the sign-in said is in the database, read by any instance: Mes
	// informations shows the claims on the first, whose logout hints PSC
	// with the ID token the second sealed.
	if r := b.Get(c.a.URL + "/mes-informations"); r.Status != http.StatusOK ||
		!strings.Contains(b.Text("profile-psc-name"), "VIRGINIE MEDECIN") || b.Page.Find(`[data-testid="claim"]`).Length() == 0 {
		t.Errorf("Mes informations on the first instance: status %d, name %q, %d claims",
			r.Status, b.Text("profile-psc-name"), b.Page.Find(`[data-testid="claim"]`).Length())
	}
	r = b.Post(c.a.URL+"/logout", nil)
	if end, err := url.Parse(r.Location); err != nil || !strings.HasPrefix(end.Query().Get("id_token_hint"), "eyJ") {
		t.Errorf("logout on the first instance: status %d → %q", r.Status, r.Location)
	}
}

// A HIN sign-in started on one instance completes on the other.
func TestHINSignInStartedOnOneInstanceCompletesOnTheOther(t *testing.T) {
	c := startCluster(t, options{})
	b := c.browser()

	callback := hinCallback(t, b, c.b.URL+"/auth/hin/login", claudiaHINID)
	r := b.Get(on(t, c.a, callback))
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("callback on the other instance: status %d → %q", r.Status, r.Location)
	}
	if ok, who := signedInAt(t, b, c.b); !ok || who != "CLAUDIA MUSTER" {
		t.Errorf("instance B after the sign-in: signed in %v as %q", ok, who)
	}
}

// A session created on one instance works on the other, and a logout on
// the other ends it on both.
func TestSessionWorksOnEveryInstance(t *testing.T) {
	c := startCluster(t, options{})
	b := c.browser()

	b.Get(c.a.URL + "/")
	r := b.Post(c.a.URL+"/login", url.Values{"login": {virginie}, "password": {demoPassword}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign-in on A: status %d", r.Status)
	}
	if ok, who := signedInAt(t, b, c.b); !ok || who != "VIRGINIE MEDECIN" {
		t.Fatalf("session of A on B: signed in %v as %q", ok, who)
	}
	r = b.Post(c.b.URL+"/patient", url.Values{"identifier": {camilleNIR}, "date_naissance": {"1984-02-11"}})
	if r.Status == http.StatusSeeOther {
		r = b.Get(c.b.URL + r.Location)
	}
	if r.Status != http.StatusOK || b.Text("patient-name") != "MARTIN CAMILLE ANNE" {
		t.Fatalf("lookup on B with A's session: status %d, patient %q", r.Status, b.Text("patient-name"))
	}

	r = b.Post(c.b.URL+"/logout", nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("logout on B: status %d", r.Status)
	}
	for _, p := range c.portals() {
		if ok, _ := signedInAt(t, b, p); ok {
			t.Errorf("signed in on %s after the logout", p.URL)
		}
	}
}

// A back-channel logout received by one instance ends the session on
// every instance, and only that session.
func TestBackchannelLogoutReceivedByOneInstanceEndsTheSessionEverywhere(t *testing.T) {
	c := startCluster(t, options{})
	pro := c.browser()
	pro.Get(pscCallback(t, pro, c.lb.url()+"/auth/psc/login", virginieIDNat))
	bystander := c.browser()
	bystander.Get(c.b.URL + "/")
	if r := bystander.Post(c.b.URL+"/login", url.Values{"login": {virginie}, "password": {demoPassword}}); r.Status != http.StatusSeeOther {
		t.Fatalf("local sign-in: status %d", r.Status)
	}
	for _, p := range c.portals() {
		if ok, _ := signedInAt(t, pro, p); !ok {
			t.Fatalf("PSC session not open on %s", p.URL)
		}
	}

	var sid, sub string
	err := c.a.App.Store.DB().QueryRowContext(t.Context(),
		`SELECT sid, subject FROM provider_sessions WHERE provider = 'psc'`).Scan(&sid, &sub)
	if err != nil {
		t.Fatalf("the PSC session is not recorded: %v", err)
	}
	token, err := c.sandbox.PSC.LogoutToken(sandbox.PSCClientID, sid, sub)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.PostForm(c.a.URL+"/auth/psc/backchannel-logout", url.Values{"logout_token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("back-channel logout on A: status %d", resp.StatusCode)
	}

	for _, p := range c.portals() {
		if ok, _ := signedInAt(t, pro, p); ok {
			t.Errorf("the PSC session still opens %s", p.URL)
		}
		if ok, _ := signedInAt(t, bystander, p); !ok {
			t.Errorf("the local session of the same professional ended on %s too", p.URL)
		}
	}
}

// Sign-in attempts are counted in the database: the per-account limit
// holds for the sum of the attempts on every instance.
func TestLoginRateLimitIsSharedByTheInstances(t *testing.T) {
	const limit = 4
	c := startCluster(t, options{env: map[string]string{"INFOPATIENT_LOGIN_MAX_PER_ACCOUNT": "4"}})
	b := c.browser()
	b.Get(c.a.URL + "/")

	ports := c.portals()
	for i := range limit {
		p := ports[i%2]
		r := b.Post(p.URL+"/login", url.Values{"login": {virginie}, "password": {"wrong"}})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d on %s: status %d, want 401", i+1, p.URL, r.Status)
		}
	}
	// Each instance saw only half the attempts, yet the next one is refused
	// even with the right password.
	r := b.Post(c.a.URL+"/login", url.Values{"login": {virginie}, "password": {demoPassword}})
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("attempt %d: status %d, want 429 with Retry-After", limit+1, r.Status)
	}
	if r := b.Post(c.b.URL+"/login", url.Values{"login": {virginie}, "password": {demoPassword}}); r.Status != http.StatusTooManyRequests {
		t.Errorf("attempt %d on B: status %d, want 429", limit+2, r.Status)
	}
	// Another account is not affected.
	if r := b.Post(c.b.URL+"/login", url.Values{"login": {"756100001"}, "password": {demoPassword}}); r.Status != http.StatusSeeOther || strings.Contains(r.Body, "login-error") {
		t.Errorf("another account: status %d, want 303", r.Status)
	}
}
