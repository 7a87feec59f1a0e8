package cluster

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
)

// overlapWindow is how long a test waits for the second instance to send
// a token request it should not send. The correct code sends none, so the
// window only bounds how fast a regression is caught; it never makes a
// passing run slower than this.
const overlapWindow = 750 * time.Millisecond

// A HIN refresh that both instances need at the same moment is done once:
// the second instance waits for the first one's database lock, reads the
// refreshed token and spends no refresh token of its own.
func TestHINRefreshNeededByBothInstancesIsDoneOnce(t *testing.T) {
	c := startCluster(t, options{hinAccessTokenTTL: 2 * time.Minute})
	b := c.browser()
	b.Get(hinCallback(t, b, c.lb.url()+"/auth/hin/login", claudiaHINID))
	if got := c.sandbox.HIN.Stats(); got.AuthorizationCode != 1 || got.RefreshToken != 0 {
		t.Fatalf("after the HIN sign-in the simulator saw %+v", got)
	}

	// 90 s later the 2-minute access token is within RefreshMargin of its
	// expiry on both instances.
	for _, p := range c.portals() {
		p.Clock.Advance(90 * time.Second)
	}
	lookups := concurrentCardLookups(t, c, b, "refresh_token")
	for i, res := range lookups {
		if res.err != nil || res.status != http.StatusOK || res.outcome != "Carte valide" || !strings.Contains(res.via, viaHIN) {
			t.Errorf("lookup on instance %d: %+v", i, res)
		}
	}
	if got := c.sandbox.HIN.Stats(); got.RefreshToken != 1 {
		t.Errorf("HIN saw %d refresh requests, want 1 for both instances", got.RefreshToken)
	}
}

// The practice's client-credentials token is fetched once for every
// instance: concurrent Covercard lookups on both ask HIN once.
func TestClientCredentialsTokenIsFetchedOnceForAllInstances(t *testing.T) {
	c := startCluster(t, options{})
	b := c.browser()
	b.SignIn(virginie, demoPassword) // local: Covercard is called with the practice's token

	lookups := concurrentCardLookups(t, c, b, "client_credentials")
	for i, res := range lookups {
		if res.err != nil || res.status != http.StatusOK || res.outcome != "Carte valide" || !strings.Contains(res.via, viaPractice) {
			t.Errorf("lookup on instance %d: %+v", i, res)
		}
	}
	// Later lookups, on either instance, reuse it.
	for _, p := range c.portals() {
		if res := lookupCard(b.Client, p.URL, csrfToken(t, b), validCard); res.status != http.StatusOK || res.outcome != "Carte valide" {
			t.Errorf("later lookup on %s: %+v", p.URL, res)
		}
	}
	if got := c.sandbox.HIN.Stats(); got.ClientCredentials != 1 {
		t.Errorf("HIN saw %d client-credentials requests, want 1 for both instances", got.ClientCredentials)
	}
}

// concurrentCardLookups looks up a valid card on both instances with the
// browser's session while the first instance's token request of grant is
// held at HIN: the second lookup starts while the first one's token
// request is in flight. It returns both answers, instance A's first.
func concurrentCardLookups(t *testing.T, c *cluster, b *apptest.Browser, grant string) [2]lookupResult {
	t.Helper()
	b.Get(c.a.URL + "/identification")
	csrf := csrfToken(t, b)
	arrived := c.gate.hold(grant)

	var out [2]lookupResult
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); out[0] = lookupCard(b.Client, c.a.URL, csrf, validCard) }()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		c.gate.open()
		wg.Wait()
		t.Fatalf("instance A never asked HIN for a token (%s); its lookup: %+v", grant, out[0])
	}
	wg.Add(1)
	go func() { defer wg.Done(); out[1] = lookupCard(b.Client, c.b.URL, csrf, validCard) }()
	select {
	case <-arrived:
		t.Errorf("instance B asked HIN for a token (%s) while A's request was in flight", grant)
	case <-time.After(overlapWindow):
	}
	c.gate.open()
	wg.Wait()
	return out
}
