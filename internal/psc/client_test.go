package psc_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

const (
	clientID = "infopatient-test"
	secret   = "s3cret#+"
	virginie = "899700218896"
)

// rp is a relying party wired to a simulated Pro Santé Connect.
type rp struct {
	sim      *pscsim.Provider
	client   *psc.Client
	issuer   string
	redirect string
}

func newRP(t *testing.T, mutate func(*psc.Config), asJWT bool) *rp {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	issuer := srv.URL + "/psc/auth/realms/esante-wallet"
	redirect := "https://portal.example/auth/psc/callback"
	pros, err := pscsim.LoadProfessionals(data.Files, "sandbox/psc-professionals.json")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := pscsim.New(pscsim.Config{Issuer: issuer, Professionals: pros, SlowDelay: 3 * time.Second,
		Clients: []pscsim.Client{{ID: clientID, Secret: secret, RedirectURIs: []string{redirect},
			PostLogoutRedirectURIs: []string{"https://portal.example/auth/psc/logout-callback"}, UserinfoAsJWT: asJWT}}})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/psc/", sim)
	cfg := psc.Config{Issuer: issuer, ClientID: clientID, ClientSecret: secret, RedirectURL: redirect,
		PostLogoutRedirectURL: "https://portal.example/auth/psc/logout-callback", HTTPTimeout: time.Second}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := psc.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &rp{sim: sim, client: c, issuer: issuer, redirect: redirect}
}

var (
	noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	pendingRE  = regexp.MustCompile(`name="pending" value="([^"]+)"`)
)

// signIn goes through the e-CPS page and returns the callback's query.
func (r *rp) signIn(t *testing.T, state, nonce, verifier string) url.Values {
	t.Helper()
	authURL, err := r.client.AuthCodeURL(context.Background(), state, nonce, verifier)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := noRedirect.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := pendingRE.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no e-CPS page: %d", resp.StatusCode)
	}
	resp, err = noRedirect.PostForm(authURL, url.Values{"pending": {string(m[1])}, "professional": {virginie}, "code": {pscsim.CardCode}, "action": {"sign-in"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	return loc.Query()
}

func (r *rp) login(t *testing.T) (*psc.Login, error) {
	t.Helper()
	verifier := oauth2.GenerateVerifier()
	q := r.signIn(t, "state", "nonce", verifier)
	return r.client.Exchange(context.Background(), q.Get("code"), verifier, "nonce", q.Get("iss"))
}

func TestSignIn(t *testing.T) {
	for _, tc := range []struct {
		name   string
		asJWT  bool
		method string
	}{{"json userinfo, basic", false, "basic"}, {"signed userinfo, post", true, "post"}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRP(t, func(c *psc.Config) { c.AuthMethod = tc.method }, tc.asJWT)
			login, err := r.login(t)
			if err != nil {
				t.Fatal(err)
			}
			p := login.Professional
			if p.IDNat != virginie || p.RPPS != "99700218896" || p.DisplayName() != "VIRGINIE MEDECIN" || p.ProfessionLabel != "Médecin" || p.SpecialtyLabel != "Médecine générale" || p.Civility != "Dr" {
				t.Errorf("professional %+v", p)
			}
			if len(p.Activities) != 1 || p.Activities[0].Organisation != "CABINET DU DR VIRGINIE MEDECIN" || p.Activities[0].PostalCode != "75015" {
				t.Errorf("activities %+v", p.Activities)
			}
			if login.SID == "" || login.ACR != "eidas1" || !strings.HasSuffix(login.Subject, ":"+virginie) || login.RawIDToken == "" {
				t.Errorf("login %+v", login)
			}
			if login.UserinfoClaims["SubjectRefPro"] == nil || login.IDTokenClaims["nonce"] != "nonce" {
				t.Error("claims not kept")
			}
		})
	}
}

func TestAuthorizationRequest(t *testing.T) {
	r := newRP(t, func(c *psc.Config) { c.ACRValues = "eidas2" }, false)
	raw, err := r.client.AuthCodeURL(context.Background(), "st", "nc", "verifier-verifier-verifier-verifier-verifier")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(raw)
	q := u.Query()
	for k, want := range map[string]string{"response_type": "code", "client_id": clientID, "state": "st", "nonce": "nc",
		"code_challenge_method": "S256", "acr_values": "eidas2", "scope": "openid scope_all", "redirect_uri": r.redirect} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	if q.Get("code_challenge") == "" || strings.Contains(raw, "verifier-verifier") {
		t.Error("PKCE challenge missing, or the verifier leaked")
	}
}

// One test per line of the OIDC table of the security checklist, driven by
// the simulator's misbehaviour switches.
func TestConformance(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fault  pscsim.Fault
		accept bool
	}{
		{"rp-id_token-issuer-mismatch", pscsim.WrongIssuer, false},
		{"rp-id_token-sub", pscsim.MissingSub, false},
		{"rp-id_token-aud (another)", pscsim.WrongAudience, false},
		{"rp-id_token-aud (missing)", pscsim.MissingAudience, false},
		{"rp-id_token-iat", pscsim.MissingIAT, false},
		{"rp-id_token-bad-sig-rs256", pscsim.BadSignature, false},
		{"rp-nonce-invalid", pscsim.WrongNonce, false},
		{"rp-userinfo-bad-sub-claim", pscsim.UserinfoSubMismatch, false},
		{"rp-id_token-kid-absent-single-jwks", pscsim.NoKID, true},
		{"rp-id_token-kid-absent-multiple-jwks", pscsim.NoKIDSeveralKeys, true},
		{"expired ID token", pscsim.ExpiredIDToken, false},
		{"acr below the request", pscsim.LowACR, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, asJWT := range []bool{false, true} {
				r := newRP(t, nil, asJWT)
				r.sim.Misbehave(clientID, tc.fault, true)
				login, err := r.login(t)
				if tc.accept {
					if err != nil || login.Professional.IDNat != virginie {
						t.Errorf("refused (jwt userinfo %v): %v", asJWT, err)
					}
					continue
				}
				if !errors.Is(err, psc.ErrRejected) || login != nil {
					t.Errorf("accepted or wrong error (jwt userinfo %v): %v", asJWT, err)
				}
			}
		})
	}
}

func TestKeyRotationIsFollowed(t *testing.T) {
	r := newRP(t, nil, false)
	if _, err := r.login(t); err != nil {
		t.Fatal(err)
	}
	if err := r.sim.RotateKey(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.login(t); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
}

func TestHigherACRIsAccepted(t *testing.T) {
	r := newRP(t, func(c *psc.Config) { c.ACRValues = "eidas2" }, false)
	login, err := r.login(t)
	if err != nil || login.ACR != "eidas2" {
		t.Fatalf("%v %v", login, err)
	}
	// eidas2 returned for eidas1 asked.
	r = newRP(t, func(c *psc.Config) { c.ACRValues = "eidas1" }, false)
	verifier := oauth2.GenerateVerifier()
	raw, _ := r.client.AuthCodeURL(context.Background(), "s", "n", verifier)
	raw = strings.Replace(raw, "acr_values=eidas1", "acr_values=eidas3", 1)
	resp, _ := noRedirect.Get(raw)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := pendingRE.FindSubmatch(body)
	resp, _ = noRedirect.PostForm(raw, url.Values{"pending": {string(m[1])}, "professional": {virginie}, "code": {"1234"}, "action": {"sign-in"}})
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	login, err = r.client.Exchange(context.Background(), loc.Query().Get("code"), verifier, "n", loc.Query().Get("iss"))
	if err != nil || login.ACR != "eidas3" {
		t.Fatalf("eidas3 for eidas1: %v", err)
	}
}

func TestMixUpDefence(t *testing.T) {
	r := newRP(t, nil, false)
	verifier := oauth2.GenerateVerifier()
	q := r.signIn(t, "s", "n", verifier)
	if _, err := r.client.Exchange(context.Background(), q.Get("code"), verifier, "n", "https://apps.hin.ch"); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("iss of another authority: %v", err)
	}
}

func TestPKCEAndCodeReuse(t *testing.T) {
	r := newRP(t, nil, false)
	verifier := oauth2.GenerateVerifier()
	q := r.signIn(t, "s", "n", verifier)
	if _, err := r.client.Exchange(context.Background(), q.Get("code"), oauth2.GenerateVerifier(), "n", ""); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("wrong verifier: %v", err)
	}
	if _, err := r.client.Exchange(context.Background(), q.Get("code"), verifier, "n", ""); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("reused code: %v", err)
	}
}

func TestProviderTrouble(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault pscsim.Fault
	}{
		{"token 500", pscsim.TokenServerError},
		{"token garbage", pscsim.TokenGarbage},
		{"userinfo 503", pscsim.UserinfoServerError},
		{"slow token endpoint", pscsim.Slow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRP(t, nil, false)
			r.sim.Misbehave(clientID, tc.fault, false)
			start := time.Now()
			_, err := r.login(t)
			if !errors.Is(err, psc.ErrUnavailable) {
				t.Errorf("got %v", err)
			}
			if time.Since(start) > 2500*time.Millisecond {
				t.Errorf("the timeout did not bound the call: %s", time.Since(start))
			}
		})
	}
	t.Run("discovery down then back", func(t *testing.T) {
		r := newRP(t, nil, false)
		r.sim.Misbehave("", pscsim.DiscoveryServerError, false)
		if _, err := r.client.AuthCodeURL(context.Background(), "s", "n", "v"); !errors.Is(err, psc.ErrUnavailable) {
			t.Fatalf("discovery 500: %v", err)
		}
		if _, err := r.login(t); err != nil {
			t.Errorf("discovery not retried: %v", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		c, err := psc.New(psc.Config{Issuer: "http://127.0.0.1:1/realm", ClientID: "a", ClientSecret: "b", RedirectURL: "http://x/cb", HTTPTimeout: time.Second}, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.AuthCodeURL(context.Background(), "s", "n", "v")
		if !errors.Is(err, psc.ErrUnavailable) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("discovery of another issuer", func(t *testing.T) {
		r := newRP(t, nil, false)
		c, _ := psc.New(psc.Config{Issuer: "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet", DiscoveryURL: r.issuer + "/.well-known/wallet-openid-configuration",
			ClientID: clientID, ClientSecret: secret, RedirectURL: r.redirect}, nil)
		if _, err := c.AuthCodeURL(context.Background(), "s", "n", "v"); !errors.Is(err, psc.ErrRejected) {
			t.Errorf("got %v", err)
		}
	})
}

func TestLogout(t *testing.T) {
	r := newRP(t, nil, false)
	login, err := r.login(t)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := r.client.LogoutURL(context.Background(), login.RawIDToken, "bye-state")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := noRedirect.Get(raw)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "https://portal.example/auth/psc/logout-callback?state=bye-state" {
		t.Errorf("logout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestLogoutTokens(t *testing.T) {
	r := newRP(t, nil, false)
	good, err := r.sim.LogoutToken(clientID, "sid-1", "f:x:899700218896")
	if err != nil {
		t.Fatal(err)
	}
	lt, err := r.client.VerifyLogoutToken(context.Background(), good)
	if err != nil || lt.SID != "sid-1" || lt.Subject != "f:x:899700218896" {
		t.Fatalf("%+v %v", lt, err)
	}
	other, _ := r.sim.LogoutToken("another-client", "sid-1", "")
	parts := strings.Split(good, ".")
	tampered := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	for name, tok := range map[string]string{"another audience": other, "bad signature": tampered, "garbage": "not.a.jwt"} {
		if _, err := r.client.VerifyLogoutToken(context.Background(), tok); !errors.Is(err, psc.ErrRejected) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDiscoveryIsFetchedOnce(t *testing.T) {
	r := newRP(t, nil, false)
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = r.client.AuthCodeURL(context.Background(), "s", "n", "v")
		}()
	}
	wg.Wait()
	if n := r.sim.Stats().Discovery; n != 1 {
		t.Errorf("discovery fetched %d times", n)
	}
}
