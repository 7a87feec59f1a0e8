package cluster

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/secretbox"
)

// What the Swiss page says about whose token called Covercard.
const (
	viaHIN      = "identité HIN"
	viaPractice = "accès Covercard du cabinet"
)

// Rotating INFOPATIENT_TOKEN_KEY (docs/deploy.md): once every instance
// runs with the new key, the HIN tokens sealed with the old one are
// unreadable, so a professional signed in with HIN is asked to sign in
// with HIN again, and the practice's client-credentials token is fetched
// anew. Sessions are not sealed with that key: they go on.
func TestTokenKeyRotation(t *testing.T) {
	c := startCluster(t, options{
		// The restart a rotation takes lasts longer than HIN's 3.4 s
		// between client-credentials requests; the test does not wait.
		hinClientCredentialsInterval: time.Millisecond,
	})
	hinPro, localPro := signInBoth(t, c)
	if got := c.sandbox.HIN.Stats(); got.ClientCredentials != 1 || got.AuthorizationCode != 1 {
		t.Fatalf("before the rotation HIN saw %+v", got)
	}

	// Every instance now runs with the new key.
	rotated := c.start(map[string]string{"INFOPATIENT_TOKEN_KEY": secretbox.EncodeKey(secretbox.GenerateKey())})
	c.lb.setTargets(rotated.URL)

	if ok, who := signedInAt(t, hinPro, rotated); !ok || who != "CLAUDIA MUSTER" {
		t.Fatalf("the HIN professional's session after the rotation: signed in %v as %q", ok, who)
	}
	res := lookupCard(hinPro.Client, rotated.URL, csrfToken(t, hinPro), validCard)
	if res.status != http.StatusUnauthorized || res.outcome != "" {
		t.Errorf("lookup with a HIN token sealed under the old key: %+v, want 401 asking for a new HIN sign-in", res)
	}
	var userTokens int
	err := rotated.App.Store.DB().QueryRowContext(t.Context(), `SELECT count(*) FROM tokens WHERE key LIKE 'hin:user:%'`).Scan(&userTokens)
	if err != nil || userTokens != 0 {
		t.Errorf("unreadable user tokens left in the database: %d (%v)", userTokens, err)
	}

	lookupOK(t, localPro, rotated.URL, viaPractice)
	if got := c.sandbox.HIN.Stats(); got.ClientCredentials != 2 {
		t.Errorf("HIN saw %d client-credentials requests, want a second one after the rotation", got.ClientCredentials)
	}

	// A new HIN sign-in seals new tokens under the new key.
	hinPro.Get(hinCallback(t, hinPro, c.lb.url()+"/auth/hin/login", claudiaHINID))
	lookupOK(t, hinPro, rotated.URL, viaHIN)
}

// A rolling rotation with INFOPATIENT_TOKEN_KEY_PREVIOUS (docs/deploy.md):
// the instances are restarted one at a time, twice — first to know the new
// key, then to seal with it — and at no moment does an instance meet a
// token it cannot open: the professional signed in with HIN never signs
// in again, and the practice's token is not requested again.
func TestTokenKeyRollingRotation(t *testing.T) {
	c := startCluster(t, options{hinClientCredentialsInterval: time.Millisecond})
	oldKey, newKey := c.env["INFOPATIENT_TOKEN_KEY"], secretbox.EncodeKey(secretbox.GenerateKey())
	hinPro, localPro := signInBoth(t, c)
	lookupBoth := func(p *apptest.Portal) {
		t.Helper()
		lookupOK(t, hinPro, p.URL, viaHIN)
		lookupOK(t, localPro, p.URL, viaPractice)
	}

	// Every instance is restarted in turn; the balancer sends requests to
	// the one restarted and the one not yet. Pass 1: the old key still
	// seals; the new one opens too.
	pass1 := map[string]string{"INFOPATIENT_TOKEN_KEY_PREVIOUS": newKey}
	a1 := c.start(pass1)
	c.lb.setTargets(a1.URL, c.b.URL)
	lookupBoth(a1)
	lookupBoth(c.b)
	b1 := c.start(pass1)
	c.lb.setTargets(a1.URL, b1.URL)
	// Pass 2: the new key seals; the old one still opens.
	swapped := map[string]string{
		"INFOPATIENT_TOKEN_KEY": newKey, "INFOPATIENT_TOKEN_KEY_PREVIOUS": oldKey,
		"INFOPATIENT_SESSION_IDLE_TIMEOUT": "3h",
	}
	a2 := c.start(swapped)
	c.lb.setTargets(a2.URL, b1.URL)
	lookupBoth(a2)
	// The HIN token expires on a2 (whose clock moves; the practice's
	// token would expire there too: it is not asked for again): its refresh is sealed with the new key,
	// and the instance of pass 1 opens it.
	a2.Clock.Advance(2 * time.Hour)
	refreshes := c.sandbox.HIN.Stats().RefreshToken
	lookupOK(t, hinPro, a2.URL, viaHIN)
	if got := c.sandbox.HIN.Stats().RefreshToken; got != refreshes+1 {
		t.Fatalf("refresh requests %d, want %d", got, refreshes+1)
	}
	lookupBoth(b1)
	b2 := c.start(swapped)
	c.lb.setTargets(a2.URL, b2.URL)
	lookupBoth(b2)
	if got := c.sandbox.HIN.Stats(); got.AuthorizationCode != 1 || got.ClientCredentials != 1 {
		t.Errorf("HIN saw %+v: a new sign-in or client-credentials request during the rotation", got)
	}

	// Once the previous key is dropped, what was written since opens
	// with the new key alone: the professional's refreshed tokens.
	done := c.start(map[string]string{"INFOPATIENT_TOKEN_KEY": newKey})
	c.lb.setTargets(done.URL)
	lookupOK(t, hinPro, done.URL, viaHIN)
	if got := c.sandbox.HIN.Stats().AuthorizationCode; got != 1 {
		t.Errorf("HIN sign-ins %d after the previous key was dropped", got)
	}
}

// signInBoth signs a professional in with HIN and another with her
// password, through the balancer, and looks the valid card up as each on
// the first instance.
func signInBoth(t *testing.T, c *cluster) (hinPro, localPro *apptest.Browser) {
	t.Helper()
	hinPro = c.browser()
	hinPro.Get(hinCallback(t, hinPro, c.lb.url()+"/auth/hin/login", claudiaHINID))
	localPro = c.browser()
	localPro.SignIn(virginie, demoPassword)
	lookupOK(t, hinPro, c.a.URL, viaHIN)
	lookupOK(t, localPro, c.a.URL, viaPractice)
	return hinPro, localPro
}

// lookupOK looks up the valid card on instance base and expects Covercard's
// answer, obtained with the token via names.
func lookupOK(t *testing.T, b *apptest.Browser, base, via string) {
	t.Helper()
	b.Get(base + "/identification")
	res := lookupCard(b.Client, base, csrfToken(t, b), validCard)
	if res.err != nil || res.status != http.StatusOK || res.outcome != "Carte valide" || !strings.Contains(res.via, via) {
		t.Errorf("lookup on %s: %+v, want a valid card through the %s", base, res, via)
	}
}
