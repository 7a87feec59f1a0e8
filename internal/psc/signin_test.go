package psc_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

func TestSignIn(t *testing.T) {
	for _, tc := range []struct {
		name   string
		asJWT  bool
		method string
	}{
		{"JSON userinfo, client_secret_basic", false, "basic"},
		{"signed userinfo, client_secret_post", true, "post"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRP(t, setup{client: func(c *psc.Config) { c.AuthMethod = tc.method }, sim: func(c *pscsim.Client) { c.UserinfoAsJWT = tc.asJWT }})
			login, err := r.login(t)
			if err != nil {
				t.Fatal(err)
			}
			p := login.Professional
			if p.IDNat != virginie || p.RPPS != "99700218896" || p.DisplayName() != "VIRGINIE MEDECIN" || p.Identifier() != "RPPS 99700218896" ||
				p.ProfessionLabel != "Médecin" || p.SpecialtyCode != "SM54" || p.SpecialtyLabel != "Médecine générale" || p.Civility != "Dr" {
				t.Errorf("professional %+v", p)
			}
			want := psc.Activity{Organisation: "CABINET DU DR VIRGINIE MEDECIN", FINESS: "750150005", Address: "12 RUE DE LA CONVENTION",
				PostalCode: "75015", City: "PARIS", CommuneCode: "75115", Phone: "0102030405", Email: "virginie.medecin@test.mssante.fr"}
			if len(p.Activities) != 2 || p.Activities[0] != want || p.Activities[1].Organisation != "CENTRE HOSPITALIER DE TEST" {
				t.Errorf("activities %+v", p.Activities)
			}
			if login.SID == "" || login.ACR != "eidas1" || !strings.HasSuffix(login.Subject, ":"+virginie) || login.RawIDToken == "" {
				t.Errorf("login %+v", login)
			}
			if login.UserinfoClaims["SubjectRefPro"] == nil || login.IDTokenClaims["nonce"] == nil || login.IDTokenClaims["sid"] != login.SID {
				t.Error("claims not kept")
			}
		})
	}
}

// Every sandbox identity signs in and reads back as itself.
func TestSandboxIdentitiesSignIn(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	for _, want := range []struct{ idNat, name, identifier, profession string }{
		{"899700218896", "VIRGINIE MEDECIN", "RPPS 99700218896", "Médecin"},
		{"899700218904", "PAUL PHARMACIEN", "RPPS 99700218904", "Pharmacien"},
		{"899700218912", "ISABELLE INFIRMIERE", "RPPS 99700218912", "Infirmier"},
		{"0757001235", "MARC KINE", "ADELI 757001235", "Masseur-kinésithérapeute"},
		{"3EDIT0042SF", "ESTELLE SAGEFEMME", "3EDIT0042SF", "Sage-femme"},
	} {
		a, q := r.callback(t, want.idNat)
		login, err := r.client.Exchange(context.Background(), q.Get("code"), a.verifier, a.nonce, q.Get("iss"))
		if err != nil {
			t.Errorf("%s: %v", want.idNat, err)
			continue
		}
		p := login.Professional
		if p.IDNat != want.idNat || p.DisplayName() != want.name || p.Identifier() != want.identifier || p.ProfessionLabel != want.profession {
			t.Errorf("%s: %s, %s, %s", want.idNat, p.DisplayName(), p.Identifier(), p.ProfessionLabel)
		}
	}
}

func TestAuthorizationRequest(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{client: func(c *psc.Config) { c.ACRValues = "eidas2" }})
	a := newAttempt()
	raw, err := r.client.AuthCodeURL(context.Background(), a.state, a.nonce, a.verifier, psc.UILocales("de"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(raw)
	q := u.Query()
	for k, want := range map[string]string{"response_type": "code", "client_id": clientID, "state": a.state, "nonce": a.nonce,
		"code_challenge_method": "S256", "acr_values": "eidas2", "scope": "openid scope_all", "redirect_uri": redirect, "ui_locales": "de"} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, q.Get(k), want)
		}
	}
	if u.Scheme+"://"+u.Host+u.Path != r.issuer+"/protocol/openid-connect/auth" || len(q.Get("code_challenge")) != 43 || strings.Contains(raw, a.verifier) {
		t.Errorf("endpoint or PKCE challenge: %s", raw)
	}
	for name, args := range map[string][3]string{
		"no state":       {"", a.nonce, a.verifier},
		"no nonce":       {a.state, "", a.verifier},
		"short verifier": {a.state, a.nonce, "v"},
	} {
		if _, err := r.client.AuthCodeURL(context.Background(), args[0], args[1], args[2]); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// New contacts nobody: a provider down at start-up does not stop the
// portal, and discovery happens on first use, from PSC's document name.
func TestDiscoveryIsLazyAndUsesPSCsDocument(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	if len(r.paths.seen) != 0 {
		t.Fatalf("New contacted the provider: %v", r.paths.seen)
	}
	if _, err := r.login(t); err != nil {
		t.Fatal(err)
	}
	if r.paths.count("/.well-known/wallet-openid-configuration") != 1 || r.paths.count("/.well-known/openid-configuration") != 0 {
		t.Errorf("discovery requests: %v", r.paths.seen)
	}
}

func TestDiscoveryIsFetchedOnceForConcurrentCallers(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			a := newAttempt()
			_, err := r.client.AuthCodeURL(context.Background(), a.state, a.nonce, a.verifier)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := r.sim.Stats().Discovery; n != 1 {
		t.Errorf("discovery fetched %d times", n)
	}
}

// Configured endpoints win over discovery; with all of them configured
// no discovery is needed (as with mod_auth_openidc).
func TestConfiguredEndpoints(t *testing.T) {
	t.Parallel()
	t.Run("all configured, no discovery", func(t *testing.T) {
		t.Parallel()
		r := newRP(t, setup{client: func(c *psc.Config) {
			base := c.Issuer + "/protocol/openid-connect"
			c.AuthURL, c.TokenURL, c.UserinfoURL, c.JWKSURL, c.EndSessionURL = base+"/auth", base+"/token", base+"/userinfo", base+"/certs", base+"/logout"
			c.DiscoveryURL = "http://127.0.0.1:1/nowhere"
		}})
		if _, err := r.login(t); err != nil {
			t.Fatal(err)
		}
		if r.sim.Stats().Discovery != 0 {
			t.Error("discovery fetched although every endpoint is configured")
		}
	})
	t.Run("authorization endpoint elsewhere", func(t *testing.T) {
		t.Parallel()
		r := newRP(t, setup{client: func(c *psc.Config) { c.AuthURL = "https://wallet.example/auth" }})
		a := newAttempt()
		raw, err := r.client.AuthCodeURL(context.Background(), a.state, a.nonce, a.verifier)
		if err != nil || !strings.HasPrefix(raw, "https://wallet.example/auth?") {
			t.Errorf("%s %v", raw, err)
		}
		ep, err := r.client.Discover(context.Background())
		if err != nil || ep.Auth != "https://wallet.example/auth" || ep.Token != r.issuer+"/protocol/openid-connect/token" || ep.EndSession != r.issuer+"/protocol/openid-connect/logout" {
			t.Errorf("endpoints %+v %v", ep, err)
		}
	})
}

func TestPKCEAndCodeReuse(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	a, q := r.callback(t, virginie)
	if _, err := r.client.Exchange(context.Background(), q.Get("code"), newAttempt().verifier, a.nonce, q.Get("iss")); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("wrong verifier: %v", err)
	}
	if _, err := r.client.Exchange(context.Background(), q.Get("code"), a.verifier, a.nonce, q.Get("iss")); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("reused code: %v", err)
	}
	if _, err := r.client.Exchange(context.Background(), "", a.verifier, a.nonce, q.Get("iss")); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("no code: %v", err)
	}
}

// Errors name what went wrong, never a token, code or secret.
func TestErrorsLeakNoSecret(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	r.sim.Misbehave(clientID, pscsim.BadSignature, true)
	a, q := r.callback(t, virginie)
	_, err := r.client.Exchange(context.Background(), q.Get("code"), a.verifier, a.nonce, q.Get("iss"))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, s := range []string{q.Get("code"), a.verifier, secret, "eyJ"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q holds %q", err, s)
		}
	}
	r.sim.Behave()
	a, q = r.callback(t, virginie)
	_, err = r.client.Exchange(context.Background(), q.Get("code"), "wrong-"+a.verifier, a.nonce, q.Get("iss"))
	if err == nil || strings.Contains(err.Error(), q.Get("code")) || strings.Contains(err.Error(), secret) {
		t.Errorf("token endpoint refusal: %v", err)
	}
}

func BenchmarkExchange(b *testing.B) {
	r := newRP(b, setup{})
	for b.Loop() {
		b.StopTimer()
		a, q := r.callback(b, virginie)
		b.StartTimer()
		if _, err := r.client.Exchange(context.Background(), q.Get("code"), a.verifier, a.nonce, q.Get("iss")); err != nil {
			b.Fatal(err)
		}
	}
}
