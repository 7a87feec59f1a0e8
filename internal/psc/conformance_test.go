package psc_test

import (
	"context"
	"errors"
	"testing"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// One test per line of the OpenID Connect table of the security checklist
// (the OpenID Foundation's RP certification, basic plan), driven by the
// simulator's switches, with JSON and with signed userinfo.
func TestConformance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		fault  pscsim.Fault
		acr    string // asked for; eidas1 when empty
		accept bool
	}{
		{"rp-id_token-issuer-mismatch", pscsim.WrongIssuer, "", false},
		{"rp-id_token-sub", pscsim.MissingSub, "", false},
		{"rp-id_token-aud (another client)", pscsim.WrongAudience, "", false},
		{"rp-id_token-aud (missing)", pscsim.MissingAudience, "", false},
		{"azp naming another client", pscsim.ForeignAuthorizedParty, "", false},
		{"rp-id_token-iat", pscsim.MissingIAT, "", false},
		{"rp-id_token-bad-sig-rs256", pscsim.BadSignature, "", false},
		{"rp-nonce-invalid", pscsim.WrongNonce, "", false},
		{"rp-userinfo-bad-sub-claim", pscsim.UserinfoSubMismatch, "", false},
		// go-oidc tries every published key when the token names none.
		{"rp-id_token-kid-absent-single-jwks", pscsim.NoKID, "", true},
		{"rp-id_token-kid-absent-multiple-jwks (accepted after trying keys)", pscsim.NoKIDSeveralKeys, "", true},
		{"expired ID token", pscsim.ExpiredIDToken, "", false},
		{"acr below the request (eidas1 for eidas2)", pscsim.LowACR, "eidas2", false},
		{"acr below any level (eidas0 for eidas1)", pscsim.LowACR, "eidas1", false},
		{"acr above the request (eidas2 for eidas1)", pscsim.HighACR, "eidas1", true},
		{"acr above the request (eidas3 for eidas2)", pscsim.HighACR, "eidas2", true},
	} {
		for _, asJWT := range []bool{false, true} {
			name := tc.name + "/json"
			if asJWT {
				name = tc.name + "/jwt"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				r := newRP(t, setup{
					client: func(c *psc.Config) {
						if tc.acr != "" {
							c.ACRValues = tc.acr
						}
					},
					sim: func(c *pscsim.Client) { c.UserinfoAsJWT = asJWT },
				})
				r.sim.Misbehave(clientID, tc.fault, true)
				login, err := r.login(t)
				if tc.accept {
					if err != nil || login.Professional.IDNat != virginie {
						t.Errorf("refused: %v", err)
					}
					return
				}
				if !errors.Is(err, psc.ErrRejected) || login != nil {
					t.Errorf("accepted, or not as a rejection: %v", err)
				}
			})
		}
	}
}

func TestSignedUserinfoChecks(t *testing.T) {
	t.Parallel()
	for _, fault := range []pscsim.Fault{pscsim.UserinfoBadSignature, pscsim.UserinfoWrongAudience, pscsim.UserinfoSubMismatch} {
		t.Run(fault.String(), func(t *testing.T) {
			t.Parallel()
			r := newRP(t, setup{sim: func(c *pscsim.Client) { c.UserinfoAsJWT = true }})
			r.sim.Misbehave(clientID, fault, false)
			if _, err := r.login(t); !errors.Is(err, psc.ErrRejected) {
				t.Errorf("got %v", err)
			}
			// The fault was for one answer: the next sign-in goes through.
			if _, err := r.login(t); err != nil {
				t.Errorf("after the fault: %v", err)
			}
		})
	}
}

// rp-key-rotation-op-sign-key: the provider signs with a new key; the
// client fetches the JWKS again and accepts, whether the old key is still
// published or not.
func TestKeyRotationIsFollowed(t *testing.T) {
	t.Parallel()
	for _, keepOld := range []bool{true, false} {
		r := newRP(t, setup{sim: func(c *pscsim.Client) { c.UserinfoAsJWT = true }})
		if _, err := r.login(t); err != nil {
			t.Fatal(err)
		}
		before := r.sim.Stats().JWKS
		if err := r.sim.RotateKey(keepOld); err != nil {
			t.Fatal(err)
		}
		if _, err := r.login(t); err != nil {
			t.Fatalf("after rotation (old key kept: %v): %v", keepOld, err)
		}
		if r.sim.Stats().JWKS == before {
			t.Errorf("the JWKS was not fetched again (old key kept: %v)", keepOld)
		}
	}
}

// RFC 9207: the callback's iss names the provider the login went to.
func TestMixUpDefence(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	a, q := r.callback(t, virginie)
	if _, err := r.client.Exchange(context.Background(), q.Get("code"), a.verifier, a.nonce, "https://apps.hin.ch"); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("iss of another authority: %v", err)
	}
	// The provider promises iss (authorization_response_iss_parameter_supported):
	// an answer without it is refused.
	a, q = r.callback(t, virginie)
	if _, err := r.client.Exchange(context.Background(), q.Get("code"), a.verifier, a.nonce, ""); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("no iss from a provider that promises it: %v", err)
	}
	// PSC's real authorization endpoint is on the wallet host, configured
	// apart: the promise of the realm's discovery does not bind it.
	r = newRP(t, setup{client: func(c *psc.Config) { c.AuthURL = c.Issuer + "/protocol/openid-connect/auth" }})
	a, q = r.callback(t, virginie)
	if _, err := r.client.Exchange(context.Background(), q.Get("code"), a.verifier, a.nonce, ""); err != nil {
		t.Errorf("no iss from a configured authorization endpoint: %v", err)
	}
}
