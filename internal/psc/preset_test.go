package psc_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// The sandbox preset's real hosts; the tests route them to a local
// simulator, and never leave the machine.
const (
	basIssuer = "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet"
	basWallet = "https://wallet.bas.psc.esante.gouv.fr/auth"
)

// presetRP is a relying party configured with the "bas" preset, talking
// to a simulator that holds the sandbox's issuer, over a transport that
// routes the preset's hosts (and every *.example host) to it.
type presetRP struct {
	*rp
	mu    sync.Mutex
	hosts []string // the hosts the client and the browser asked for
}

func (p *presetRP) askedHosts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.hosts...)
}

func (p *presetRP) asked(host string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, h := range p.hosts {
		if h == host {
			return true
		}
	}
	return false
}

// newPresetRP starts the simulator; discovery, when set, rewrites the
// discovery document it serves; client changes the configuration made
// from the preset.
func newPresetRP(t *testing.T, discovery func(doc map[string]any), client func(*psc.Config)) *presetRP {
	t.Helper()
	pros, err := pscsim.LoadProfessionals(data.Files, "sandbox/psc-professionals.json")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := pscsim.New(pscsim.Config{Issuer: basIssuer, KeyFile: keyFile, Professionals: pros,
		Clients: []pscsim.Client{{ID: clientID, Secret: secret, RedirectURIs: []string{redirect}}}})
	if err != nil {
		t.Fatal(err)
	}
	p := &presetRP{rp: &rp{sim: sim, issuer: basIssuer, paths: &pathLog{}}}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.paths.add(r.URL.Path)
		if discovery != nil && strings.HasSuffix(r.URL.Path, "/.well-known/wallet-openid-configuration") {
			rec := httptest.NewRecorder()
			sim.ServeHTTP(rec, r)
			doc := map[string]any{}
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Errorf("simulator's discovery: %v", err)
			}
			discovery(doc)
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(doc)
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	transport := roundTripper(func(r *http.Request) (*http.Response, error) {
		p.mu.Lock()
		p.hosts = append(p.hosts, r.URL.Host)
		p.mu.Unlock()
		host := r.URL.Hostname()
		if !strings.HasSuffix(host, ".esante.gouv.fr") && !strings.HasSuffix(host, ".example") {
			return nil, errors.New("test transport: no route to " + host)
		}
		r = r.Clone(r.Context())
		if r.URL.Host == "wallet.bas.psc.esante.gouv.fr" && r.URL.Path == "/auth" {
			// The wallet front of the realm's authorization endpoint.
			r.URL.Path = "/auth/realms/esante-wallet/protocol/openid-connect/auth"
		}
		r.URL.Scheme, r.URL.Host, r.Host = "http", strings.TrimPrefix(p.srv.URL, "http://"), ""
		return http.DefaultTransport.RoundTrip(r)
	})
	p.browser = &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	cfg, err := psc.Preset("bas")
	if err != nil {
		t.Fatal(err)
	}
	cfg.ClientID, cfg.ClientSecret, cfg.RedirectURL, cfg.HTTPTimeout = clientID, secret, redirect, 2*time.Second
	if client != nil {
		client(&cfg)
	}
	p.cfg = cfg
	if p.client, err = psc.New(cfg, &http.Client{Transport: transport}); err != nil {
		t.Fatal(err)
	}
	return p
}

// The preset names the issuer and the wallet; discovery (its issuer
// checked) gives the rest, and a whole sign-in works.
func TestPresetSignsInThroughDiscovery(t *testing.T) {
	t.Parallel()
	r := newPresetRP(t, nil, nil)
	a := newAttempt()
	authURL, err := r.client.AuthCodeURL(context.Background(), a.state, a.nonce, a.verifier)
	if err != nil || !strings.HasPrefix(authURL, basWallet+"?") {
		t.Fatalf("authorization URL %q %v", authURL, err)
	}
	if r.sim.Stats().Discovery != 1 || r.paths.count("/.well-known/wallet-openid-configuration") != 1 {
		t.Errorf("the preset did not read PSC's discovery document: %d", r.sim.Stats().Discovery)
	}
	login, err := r.login(t)
	if err != nil || login.Professional.IDNat != virginie {
		t.Fatalf("sign-in with the preset: %v", err)
	}
	ep, err := r.client.Discover(context.Background())
	realmBase := basIssuer + "/protocol/openid-connect"
	if err != nil || !ep.Discovered || ep.Auth != basWallet || ep.Token != realmBase+"/token" || ep.Userinfo != realmBase+"/userinfo" ||
		ep.JWKS != realmBase+"/certs" || ep.EndSession != realmBase+"/logout" {
		t.Errorf("endpoints %+v %v", ep, err)
	}
	if !r.asked("wallet.bas.psc.esante.gouv.fr") || !r.asked("auth.bas.psc.esante.gouv.fr") {
		t.Errorf("hosts asked: %v", r.askedHosts())
	}
}

// Configured endpoints override the preset and discovery one by one;
// discovery wins over the preset's fallbacks, which only fill its gaps.
func TestPresetWithOverridesAndFallbacks(t *testing.T) {
	t.Parallel()
	const (
		tokenOverride = "https://token.example/auth/realms/esante-wallet/protocol/openid-connect/token"
		discoveredUI  = "https://userinfo.example/auth/realms/esante-wallet/protocol/openid-connect/userinfo"
	)
	r := newPresetRP(t, func(doc map[string]any) {
		doc["userinfo_endpoint"] = discoveredUI
		delete(doc, "end_session_endpoint")
	}, func(c *psc.Config) { c.TokenURL = tokenOverride })
	if _, err := r.login(t); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	ep, err := r.client.Discover(context.Background())
	if err != nil || !ep.Discovered || ep.Auth != basWallet || ep.Token != tokenOverride || ep.Userinfo != discoveredUI ||
		ep.JWKS != basIssuer+"/protocol/openid-connect/certs" || ep.EndSession != basIssuer+"/protocol/openid-connect/logout" {
		t.Errorf("endpoints %+v %v", ep, err)
	}
	if !r.asked("token.example") || !r.asked("userinfo.example") {
		t.Errorf("the override or the discovered userinfo was not used: %v", r.askedHosts())
	}
}

// Discovery naming another issuer is refused, preset or not: the
// preset's endpoints are no excuse to trust the document.
func TestPresetRefusesDiscoveryOfAnotherIssuer(t *testing.T) {
	t.Parallel()
	r := newPresetRP(t, func(doc map[string]any) { doc["issuer"] = "https://auth.evil.example/auth/realms/esante-wallet" }, nil)
	a := newAttempt()
	if u, err := r.client.AuthCodeURL(context.Background(), a.state, a.nonce, a.verifier); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("sign-in started on a foreign discovery document: %q %v", u, err)
	}
	if _, err := r.client.Discover(context.Background()); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("Discover: %v", err)
	}
}

// Every endpoint configured (the seed's Apache example): no discovery,
// and Discover says so.
func TestEveryEndpointConfiguredSkipsDiscovery(t *testing.T) {
	t.Parallel()
	realmBase := basIssuer + "/protocol/openid-connect"
	r := newPresetRP(t, nil, func(c *psc.Config) {
		c.TokenURL, c.UserinfoURL, c.JWKSURL = realmBase+"/token", realmBase+"/userinfo", realmBase+"/certs"
	})
	if _, err := r.login(t); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	ep, err := r.client.Discover(context.Background())
	if err != nil || ep.Discovered || r.sim.Stats().Discovery != 0 || ep.EndSession != realmBase+"/logout" {
		t.Errorf("endpoints %+v %v, discovery fetched %d times", ep, err, r.sim.Stats().Discovery)
	}
}
