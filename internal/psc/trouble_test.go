package psc_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// A provider in trouble is ErrUnavailable ("try again later"), never a
// verification failure, and the client's timeout bounds every call.
func TestProviderTrouble(t *testing.T) {
	t.Parallel()
	for _, fault := range []pscsim.Fault{
		pscsim.DiscoveryServerError, pscsim.DiscoveryGarbage, pscsim.SlowDiscovery, pscsim.JWKSServerError,
		pscsim.TokenServerError, pscsim.TokenGarbage, pscsim.SlowToken,
		pscsim.UserinfoServerError, pscsim.UserinfoGarbage, pscsim.SlowUserinfo,
	} {
		for _, asJWT := range []bool{false, true} {
			name := fault.String() + "/json"
			if asJWT {
				name = fault.String() + "/jwt"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				r := newRP(t, setup{sim: func(c *pscsim.Client) { c.UserinfoAsJWT = asJWT }})
				if atDiscovery[fault] {
					r.sim.Misbehave(clientID, fault, false)
					a := newAttempt()
					if _, err := r.client.AuthCodeURL(context.Background(), a.state, a.nonce, a.verifier); !errors.Is(err, psc.ErrUnavailable) {
						t.Fatalf("discovery: %v", err)
					}
					// Tried again on the next use.
					if _, err := r.login(t); err != nil {
						t.Errorf("discovery not tried again: %v", err)
					}
					return
				}
				a, q := r.callback(t, virginie)
				r.sim.Misbehave(clientID, fault, false)
				start := time.Now()
				_, err := r.client.Exchange(context.Background(), q.Get("code"), a.verifier, a.nonce, q.Get("iss"))
				if !errors.Is(err, psc.ErrUnavailable) {
					t.Errorf("got %v", err)
				}
				if took := time.Since(start); took > 4500*time.Millisecond { // the slow answer comes after 5 s
					t.Errorf("the timeout did not bound the call: %s", took)
				}
			})
		}
	}
}

var atDiscovery = map[pscsim.Fault]bool{pscsim.DiscoveryServerError: true, pscsim.DiscoveryGarbage: true, pscsim.SlowDiscovery: true}

// The caller's context ends the wait too, before the client's timeout.
func TestCallerDeadline(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{client: func(c *psc.Config) { c.HTTPTimeout = 10 * time.Second }, slow: time.Second})
	r.sim.Misbehave(clientID, pscsim.SlowDiscovery, true)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	a := newAttempt()
	if _, err := r.client.AuthCodeURL(ctx, a.state, a.nonce, a.verifier); !errors.Is(err, psc.ErrUnavailable) || time.Since(start) > 500*time.Millisecond {
		t.Errorf("after %s: %v", time.Since(start), err)
	}
}

func TestDiscoveryProblems(t *testing.T) {
	t.Parallel()
	serve := func(status int, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	const issuer = "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet"
	good := `"authorization_endpoint":"https://x/auth","token_endpoint":"https://x/token","jwks_uri":"https://x/certs","userinfo_endpoint":"https://x/userinfo"`
	for _, tc := range []struct {
		name, discoveryURL string
		want               error
	}{
		{"unreachable", "http://127.0.0.1:1/.well-known/wallet-openid-configuration", psc.ErrUnavailable},
		{"not found", serve(404, `{}`), psc.ErrUnavailable},
		{"not JSON", serve(200, `<html>`), psc.ErrUnavailable},
		{"a JSON array", serve(200, `[]`), psc.ErrUnavailable},
		{"another issuer", serve(200, `{"issuer":"https://evil.example",`+good+`}`), psc.ErrRejected},
		{"no token endpoint", serve(200, `{"issuer":"`+issuer+`","authorization_endpoint":"https://x/auth","jwks_uri":"https://x/certs","userinfo_endpoint":"https://x/u"}`), psc.ErrUnavailable},
		{"relative JWKS", serve(200, `{"issuer":"`+issuer+`","authorization_endpoint":"https://x/auth","token_endpoint":"https://x/token","jwks_uri":"/certs","userinfo_endpoint":"https://x/u"}`), psc.ErrUnavailable},
		{"sound", serve(200, `{"issuer":"`+issuer+`",`+good+`,"authorization_response_iss_parameter_supported":"true"}`), nil},
	} {
		c, err := psc.New(psc.Config{Issuer: issuer, DiscoveryURL: tc.discoveryURL, ClientID: "a", ClientSecret: "b", RedirectURL: "https://portal.example/cb", HTTPTimeout: time.Second}, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Discover(context.Background())
		if (tc.want == nil && err != nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// An endpoint missing from the document is no problem when configured.
	c, err := psc.New(psc.Config{Issuer: issuer, UserinfoURL: "https://x/configured-userinfo", ClientID: "a", ClientSecret: "b", RedirectURL: "https://portal.example/cb",
		DiscoveryURL: serve(200, `{"issuer":"`+issuer+`","authorization_endpoint":"https://x/auth","token_endpoint":"https://x/token","jwks_uri":"https://x/certs"}`)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ep, err := c.Discover(context.Background()); err != nil || ep.Userinfo != "https://x/configured-userinfo" {
		t.Errorf("configured userinfo: %+v %v", ep, err)
	}
}
