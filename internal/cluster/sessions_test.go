package cluster

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// A sign-out on one instance cannot be undone by a request of the same
// session in flight on the other: instance A has loaded the session and
// waits for the rest of a POST /patient body while the professional signs
// out on B; once A answers, the cookie is still refused on both.
func TestLogoutOnOneInstanceWinsOverARequestInFlightOnTheOther(t *testing.T) {
	c := startCluster(t, options{})
	pro := c.browser()
	pro.Get(c.a.URL + "/")
	if r := pro.Post(c.a.URL+"/login", url.Values{"login": {virginie}, "password": {demoPassword}}); r.Status != http.StatusSeeOther {
		t.Fatalf("sign-in on A: status %d", r.Status)
	}
	pro.Get(c.a.URL + "/identification")
	cookie := pro.Cookie("infopatient_session").Value

	finish := pro.StartSlowPost(c.a.URL+"/patient", url.Values{"identifier": {camilleNIR}, "date_naissance": {"1984-02-11"}}, 5)
	if r := pro.Post(c.b.URL+"/logout", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("logout on B: status %d", r.Status)
	}
	finish()
	for _, p := range c.portals() {
		holder := p.WithCookie(t, "infopatient_session", cookie)
		if ok, _ := signedInAt(t, holder, p); ok {
			t.Errorf("the signed-out cookie opens %s again", p.URL)
		}
	}
}

// A back-channel logout token acts once for the whole cluster: replayed
// to the other instance, it is refused and ends nothing — not the
// session the professional opened since.
func TestBackchannelLogoutTokenReplayedToTheOtherInstance(t *testing.T) {
	c := startCluster(t, options{})
	pro := c.browser()
	pro.Get(pscCallback(t, pro, c.lb.url()+"/auth/psc/login", virginieIDNat))
	var sid, sub string
	if err := c.a.App.Store.DB().QueryRowContext(t.Context(),
		`SELECT sid, subject FROM provider_sessions WHERE provider = 'psc'`).Scan(&sid, &sub); err != nil {
		t.Fatalf("the PSC session is not recorded: %v", err)
	}
	token, err := c.sandbox.PSC.LogoutToken(sandbox.PSCClientID, "", sub)
	if err != nil {
		t.Fatal(err)
	}
	post := func(p *apptest.Portal) int {
		t.Helper()
		resp, err := http.PostForm(p.URL+"/auth/psc/backchannel-logout", url.Values{"logout_token": {token}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if status := post(c.a); status != http.StatusOK {
		t.Fatalf("token on A: %d", status)
	}
	// A later sign-in (iat has a one-second grain), then the replay on B.
	for _, p := range c.portals() {
		p.Clock.Advance(2 * time.Second)
	}
	again := c.browser()
	again.Get(pscCallback(t, again, c.lb.url()+"/auth/psc/login", virginieIDNat))
	if status := post(c.b); status != http.StatusBadRequest {
		t.Errorf("the same token on B: %d, want 400", status)
	}
	for _, p := range c.portals() {
		if ok, _ := signedInAt(t, again, p); !ok {
			t.Errorf("the replayed token ended the new session on %s", p.URL)
		}
		if ok, _ := signedInAt(t, pro, p); ok {
			t.Errorf("the ended session opens %s", p.URL)
		}
	}
}

// With the session cache on, a session ended on instance A is refused by
// instance B at its very next request, B having served it from its cache
// just before: a logout, a back-channel logout, and the idle timeout.
func TestSessionEndedOnOneInstanceIsRefusedByTheOtherWithTheCache(t *testing.T) {
	c := startCluster(t, options{})
	c.waitCachesServing()
	// servedFromCacheBy loads the page twice on p and checks that the
	// second load was the cache's.
	servedFromCacheBy := func(b *apptest.Browser, p *apptest.Portal) {
		t.Helper()
		if ok, _ := signedInAt(t, b, p); !ok {
			t.Fatalf("not signed in on %s", p.URL)
		}
		hits := p.App.Store.SessionCacheHits()
		if ok, _ := signedInAt(t, b, p); !ok || p.App.Store.SessionCacheHits() == hits {
			t.Fatalf("%s did not serve the session from its cache", p.URL)
		}
	}
	signIn := func() *apptest.Browser {
		b := c.browser()
		b.Get(c.a.URL + "/")
		if r := b.Post(c.a.URL+"/login", url.Values{"login": {virginie}, "password": {demoPassword}}); r.Status != http.StatusSeeOther {
			t.Fatalf("sign-in on A: status %d", r.Status)
		}
		servedFromCacheBy(b, c.a)
		servedFromCacheBy(b, c.b)
		return b
	}

	t.Run("logout", func(t *testing.T) {
		for range 5 {
			b := signIn()
			b.Get(c.a.URL + "/identification")
			// The browser drops its cookie at the logout; a copy is kept.
			cookie := b.Cookie("infopatient_session").Value
			if r := b.Post(c.a.URL+"/logout", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("logout on A: %d", r.Status)
			}
			if ok, _ := signedInAt(t, c.b.WithCookie(t, "infopatient_session", cookie), c.b); ok {
				t.Fatal("B served the session at the request right after its logout on A")
			}
		}
	})
	t.Run("back-channel logout", func(t *testing.T) {
		pro := c.browser()
		pro.Get(pscCallback(t, pro, c.lb.url()+"/auth/psc/login", virginieIDNat))
		servedFromCacheBy(pro, c.a)
		servedFromCacheBy(pro, c.b)
		var sid string
		if err := c.a.App.Store.DB().QueryRowContext(t.Context(),
			`SELECT sid FROM provider_sessions WHERE provider = 'psc'`).Scan(&sid); err != nil {
			t.Fatal(err)
		}
		token, err := c.sandbox.PSC.LogoutToken(sandbox.PSCClientID, sid, "")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.PostForm(c.a.URL+"/auth/psc/backchannel-logout", url.Values{"logout_token": {token}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("back-channel logout on A: %d", resp.StatusCode)
		}
		if ok, _ := signedInAt(t, pro, c.b); ok {
			t.Fatal("B served the session at the request right after its back-channel logout on A")
		}
	})
	t.Run("idle timeout", func(t *testing.T) {
		b := signIn()
		for _, p := range c.portals() {
			p.Clock.Advance(31 * time.Minute)
		}
		if ok, _ := signedInAt(t, b, c.a); ok {
			t.Fatal("A served a session idle for 31 minutes")
		}
		if ok, _ := signedInAt(t, b, c.b); ok {
			t.Fatal("B served, from its cache, a session A ended for idleness")
		}
	})
}

// A browser reads its own writes on any instance: a POST on A whose
// change B has not heard of (the change notices are switched off here,
// as if delayed) is seen by the GET that follows it on B, B having served
// the session from its cache just before.
func TestAPostOnOneInstanceIsSeenByItsGetOnTheOther(t *testing.T) {
	c := startCluster(t, options{})
	c.waitCachesServing()
	b := c.browser()
	b.Get(c.a.URL + "/")
	if r := b.Post(c.a.URL+"/login", url.Values{"login": {virginie}, "password": {demoPassword}}); r.Status != http.StatusSeeOther {
		t.Fatalf("sign-in on A: status %d", r.Status)
	}
	b.Get(c.b.URL + "/identification")
	hits := c.b.App.Store.SessionCacheHits()
	if r := b.Get(c.b.URL + "/identification"); r.Status != http.StatusOK || c.b.App.Store.SessionCacheHits() == hits {
		t.Fatalf("B did not serve the session from its cache (%d)", r.Status)
	}

	db := c.a.App.Store.DB()
	if _, err := db.ExecContext(t.Context(), `ALTER TABLE sessions DISABLE TRIGGER sessions_changed`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.Exec(`ALTER TABLE sessions ENABLE TRIGGER sessions_changed`) })

	r := b.Post(c.a.URL+"/patient", url.Values{"identifier": {camilleNIR}, "date_naissance": {"1984-02-11"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("lookup on A: %d", r.Status)
	}
	if r = b.Get(c.b.URL + r.Location); r.Status != http.StatusOK || b.Text("rights-centre") != "0001" {
		t.Fatalf("its page on B: %d, centre %q (the page before the POST?)", r.Status, b.Text("rights-centre"))
	}
	// Once the stamps agree again, B serves from its cache again.
	hits = c.b.App.Store.SessionCacheHits()
	if b.Get(c.b.URL + "/identification"); c.b.App.Store.SessionCacheHits() == hits {
		t.Error("B no longer serves the session from its cache")
	}
}

// waitCachesServing waits until every instance's session cache serves
// (on PostgreSQL, once its listener is connected).
func (c *cluster) waitCachesServing() {
	c.t.Helper()
	for _, p := range c.portals() {
		for deadline := time.Now().Add(5 * time.Second); !p.App.Store.SessionCacheServing(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				c.t.Fatalf("the session cache of %s does not serve", p.URL)
			}
		}
	}
}
