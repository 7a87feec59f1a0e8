package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/oauth2"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/password"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

const basIssuer = "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet"

// provider is a simulated PSC apart from the demo's sandbox, with a client
// registered for redirectBase's callback; its userinfo answers a signed JWT.
func provider(t *testing.T) (issuer string, setPortal func(redirectBase string)) {
	t.Helper()
	var handler atomic.Pointer[pscsim.Provider]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sim := handler.Load(); sim != nil {
			sim.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	issuer = srv.URL + "/auth/realms/esante-wallet"
	return issuer, func(portal string) {
		pros, err := pscsim.LoadProfessionals(data.Files, "sandbox/psc-professionals.json")
		if err != nil {
			t.Fatal(err)
		}
		sim, err := pscsim.New(pscsim.Config{Issuer: issuer, Professionals: pros, Clients: []pscsim.Client{{
			ID: "infopatient-real", Secret: "real-secret", RedirectURIs: []string{portal + "/auth/psc/callback"}, UserinfoAsJWT: true,
		}}})
		if err != nil {
			t.Fatal(err)
		}
		handler.Store(sim)
	}
}

func TestPSCPresetWiring(t *testing.T) {
	t.Parallel()
	realm := basIssuer + "/protocol/openid-connect"
	// The preset and an override: the preset names the issuer and the
	// wallet, the override wins, discovery is left the rest (the realm's
	// endpoints are only its fallback).
	c, ok := pscConfig(loadConfig(t, map[string]string{
		"INFOPATIENT_PSC_ENV": "bas", "INFOPATIENT_PSC_CLIENT_ID": "infopatient", "INFOPATIENT_PSC_CLIENT_SECRET": "s",
		"INFOPATIENT_PSC_TOKEN_URL": "https://token.example/token",
	}), nil)
	if !ok || c.Issuer != basIssuer || c.AuthURL != "https://wallet.bas.psc.esante.gouv.fr/auth" || c.TokenURL != "https://token.example/token" ||
		c.UserinfoURL != "" || c.JWKSURL != "" || c.EndSessionURL != "" || c.Fallback.JWKS != realm+"/certs" || c.DiscoveryURL != "" {
		t.Errorf("preset with an override: %+v", c)
	}

	// The preset and another issuer: nothing of the preset's hosts stays.
	issuer, _ := provider(t)
	c, ok = pscConfig(loadConfig(t, map[string]string{
		"INFOPATIENT_PSC_ENV": "bas", "INFOPATIENT_PSC_ISSUER": issuer,
		"INFOPATIENT_PSC_CLIENT_ID": "infopatient-real", "INFOPATIENT_PSC_CLIENT_SECRET": "real-secret",
	}), nil)
	if !ok || c.Issuer != issuer || c.AuthURL != "" || c.Fallback != (psc.Endpoints{}) {
		t.Fatalf("preset with another issuer: %+v", c)
	}
}

func TestPSCPresetWithAnotherIssuerUsesThatIssuersEndpoints(t *testing.T) {
	t.Parallel()
	issuer, setPortal := provider(t)
	setPortal("https://portal.example")
	c, _ := pscConfig(loadConfig(t, map[string]string{
		"INFOPATIENT_PSC_ENV": "bas", "INFOPATIENT_PSC_ISSUER": issuer,
		"INFOPATIENT_PSC_CLIENT_ID": "infopatient-real", "INFOPATIENT_PSC_CLIENT_SECRET": "real-secret",
	}), nil)
	client, err := psc.New(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	ep, err := client.Discover(context.Background())
	if err != nil || !ep.Discovered {
		t.Fatalf("discover: %+v %v", ep, err)
	}
	for _, u := range []string{ep.Auth, ep.Token, ep.Userinfo, ep.JWKS, ep.EndSession} {
		if !strings.HasPrefix(u, issuer+"/") {
			t.Errorf("endpoint %q is not the configured issuer's (%+v)", u, ep)
		}
	}
}

// Demo mode with PSC configured: PSC is the configured provider, HIN and
// Covercard stay on the sandbox, whose own PSC is not used.
func TestDemoWithPSCConfiguredOnlyPSCIsReal(t *testing.T) {
	t.Parallel()
	issuer, setPortal := provider(t)
	cfg := loadConfig(t, map[string]string{
		"INFOPATIENT_DEMO": "true", "INFOPATIENT_ADDR": "127.0.0.1:18080", "INFOPATIENT_PSC_ISSUER": issuer,
		"INFOPATIENT_PSC_CLIENT_ID": "infopatient-real", "INFOPATIENT_PSC_CLIENT_SECRET": "real-secret",
	})
	setPortal(cfg.BaseURL)
	a, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Hasher: &password.Hasher{Cost: bcrypt.MinCost}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	if !cfg.Demo || a.Sandbox == nil {
		t.Fatal("demo mode is off")
	}
	if got := a.auth.psc.Issuer(); got != issuer {
		t.Errorf("PSC issuer %q, want the configured %q", got, issuer)
	}
	authURL, err := a.auth.psc.AuthCodeURL(context.Background(), "state", "nonce", oauth2.GenerateVerifier())
	if err != nil || !strings.HasPrefix(authURL, issuer+"/") || !strings.Contains(authURL, "client_id=infopatient-real") {
		t.Errorf("sign-in goes to %q %v", authURL, err)
	}
	sandbox := cfg.BaseURL + "/sandbox/"
	if !strings.HasPrefix(a.auth.hin.TokenURL(), sandbox) || !strings.HasPrefix(covercardURL(a), sandbox) || a.auth.hinSignInClient() == nil || a.auth.serviceTokens == nil {
		t.Errorf("HIN %q and Covercard %q should stay on the sandbox", a.auth.hin.TokenURL(), covercardURL(a))
	}
	if !strings.HasPrefix(a.auth.hin.AuthCodeURL("s"), sandbox) {
		t.Errorf("HIN sign-in goes to %q", a.auth.hin.AuthCodeURL("s"))
	}
}

// Demo mode keeps the sandbox's PSC signing key under the data directory,
// private, and signs with the same key after a restart: ID tokens a
// client cached keys for stay verifiable.
func TestDemoKeepsTheSandboxSigningKeyUnderTheDataDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	kids := make([]string, 2)
	for i := range kids {
		cfg := loadConfig(t, map[string]string{"INFOPATIENT_DEMO": "true", "INFOPATIENT_DATA_DIR": dir})
		a, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Hasher: &password.Hasher{Cost: bcrypt.MinCost}})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		a.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/sandbox/psc/auth/realms/esante-wallet/protocol/openid-connect/certs", nil))
		_ = a.Close()
		var jwks struct {
			Keys []struct {
				Kid string `json:"kid"`
			} `json:"keys"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &jwks); err != nil || len(jwks.Keys) == 0 || jwks.Keys[0].Kid == "" {
			t.Fatalf("JWKS %d %q: %v", rec.Code, rec.Body.String(), err)
		}
		kids[i] = jwks.Keys[0].Kid
	}
	if kids[0] != kids[1] {
		t.Errorf("signing key changed across a restart: %q then %q", kids[0], kids[1])
	}
	info, err := os.Stat(filepath.Join(dir, "keys", "psc-sandbox.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode %o, want 600", perm)
	}
}
