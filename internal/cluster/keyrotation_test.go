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
	hinPro := c.browser()
	hinPro.Get(hinCallback(t, hinPro, c.lb.url()+"/auth/hin/login", claudiaHINID))
	localPro := c.browser()
	localPro.SignIn(virginie, demoPassword)
	lookupOK(t, hinPro, c.a.URL, viaHIN)
	lookupOK(t, localPro, c.a.URL, viaPractice)
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
