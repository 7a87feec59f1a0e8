package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// The OpenID Connect relying party table of the security checklist, at the
// portal: each bad answer of the provider is refused with the error page
// and no session; the good oddities are accepted.
func TestPSCRefusesWhatTheChecklistRefuses(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	provider := p.App.Sandbox.PSC
	for _, tc := range []struct {
		checklist string
		fault     pscsim.Fault
	}{
		{"rp-id_token-issuer-mismatch", pscsim.WrongIssuer},
		{"rp-id_token-sub", pscsim.MissingSub},
		{"rp-id_token-aud (another client)", pscsim.WrongAudience},
		{"rp-id_token-aud (missing)", pscsim.MissingAudience},
		{"azp naming another client", pscsim.ForeignAuthorizedParty},
		{"rp-id_token-iat", pscsim.MissingIAT},
		{"rp-id_token-bad-sig-rs256", pscsim.BadSignature},
		{"rp-nonce-invalid", pscsim.WrongNonce},
		{"rp-userinfo-bad-sub-claim", pscsim.UserinfoSubMismatch},
		{"expired ID token", pscsim.ExpiredIDToken},
		{"acr below the requested level", pscsim.LowACR},
	} {
		t.Run(tc.checklist, func(t *testing.T) {
			provider.Misbehave(sandbox.PSCClientID, tc.fault, true)
			defer provider.Behave()
			b := p.NewBrowser(t)
			r := pscSignIn(t, b, virginieIDNat)
			refusedWith(t, b, r, http.StatusUnauthorized, titleRefused, "psc")
			if b.Has("professional") {
				t.Error("the error page shows a signed-in header")
			}
			signedOut(t, b, tc.checklist)
		})
	}
}

func TestPSCAcceptsWhatTheChecklistAccepts(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	provider := p.App.Sandbox.PSC
	signsIn := func(t *testing.T, what string) {
		t.Helper()
		b := p.NewBrowser(t)
		if r := pscSignIn(t, b, virginieIDNat); r.Status != http.StatusSeeOther || r.Location != "/identification" {
			t.Fatalf("%s: %d → %q: %s", what, r.Status, r.Location, b.Text("error-message"))
		}
		signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
	}
	signsIn(t, "a first sign-in caches the signing key")
	for _, tc := range []struct {
		checklist string
		fault     pscsim.Fault
	}{
		{"rp-id_token-kid-absent-single-jwks", pscsim.NoKID},
		{"acr above the requested level", pscsim.HighACR},
	} {
		t.Run(tc.checklist, func(t *testing.T) {
			provider.Misbehave(sandbox.PSCClientID, tc.fault, true)
			defer provider.Behave()
			signsIn(t, tc.checklist)
		})
	}
	t.Run("rp-id_token-kid-absent-multiple-jwks", func(t *testing.T) {
		// Accepting after trying the keys, or refusing cleanly, are both right.
		provider.Misbehave(sandbox.PSCClientID, pscsim.NoKIDSeveralKeys, true)
		defer provider.Behave()
		b := p.NewBrowser(t)
		r := pscSignIn(t, b, virginieIDNat)
		switch {
		case r.Status == http.StatusSeeOther && r.Location == "/identification":
			signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
		default:
			refusedWith(t, b, r, http.StatusUnauthorized, titleRefused, "psc")
			signedOut(t, b, "refused without kid")
		}
	})
	t.Run("rp-key-rotation-op-sign-key", func(t *testing.T) {
		jwks := provider.Stats().JWKS
		if err := provider.RotateKey(false); err != nil {
			t.Fatal(err)
		}
		signsIn(t, "after the provider rotated its key")
		if provider.Stats().JWKS <= jwks {
			t.Error("the signing keys were not fetched again")
		}
	})
	t.Run("rotation keeping the old key published", func(t *testing.T) {
		if err := provider.RotateKey(true); err != nil {
			t.Fatal(err)
		}
		signsIn(t, "after a rotation keeping the old key")
	})
}

func TestPSCRefusesAnACRBelowAHigherRequestedLevel(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_PSC_ACR_VALUES": "eidas2"})
	b := p.NewBrowser(t)
	start := b.Get("/auth/psc/login")
	if loc, _ := url.Parse(start.Location); loc.Query().Get("acr_values") != "eidas2" {
		t.Fatalf("authorization request %q", start.Location)
	}
	p.App.Sandbox.PSC.Misbehave(sandbox.PSCClientID, pscsim.LowACR, false)
	r := pscSignIn(t, b, virginieIDNat)
	refusedWith(t, b, r, http.StatusUnauthorized, titleRefused, "psc")
	// eidas2 as asked: accepted.
	if r := pscSignIn(t, b, virginieIDNat); r.Location != "/identification" {
		t.Errorf("eidas2 sign-in: %d → %q", r.Status, r.Location)
	}
}

func TestPSCCallbackStateIsOneTimeAndBound(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_STATE_TIMEOUT": "2m"})

	t.Run("replayed callback", func(t *testing.T) {
		b := p.NewBrowser(t)
		callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
		if r := b.Get(callback.String()); r.Location != "/identification" {
			t.Fatalf("first use: %d → %q", r.Status, r.Location)
		}
		r := b.Get(callback.String())
		refusedWith(t, b, r, http.StatusBadRequest, titleStale, "psc")
	})

	t.Run("two tabs signing in at once", func(t *testing.T) {
		b := p.NewBrowser(t)
		first := pscAuthorize(t, b, virginieIDNat, "sign-in")
		second := pscAuthorize(t, b, virginieIDNat, "sign-in")
		for _, callback := range []*url.URL{second, first} {
			if r := b.Get(callback.String()); r.Status != http.StatusSeeOther || r.Location != "/identification" {
				t.Errorf("tab: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
			}
		}
		signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
	})

	t.Run("expired state", func(t *testing.T) {
		b := p.NewBrowser(t)
		callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
		p.Clock.Advance(3 * time.Minute)
		r := b.Get(callback.String())
		refusedWith(t, b, r, http.StatusBadRequest, titleStale, "psc")
		signedOut(t, b, "expired state")
	})

	t.Run("state started in another browser", func(t *testing.T) {
		victim, attacker := p.NewBrowser(t), p.NewBrowser(t)
		callback := pscAuthorize(t, attacker, virginieIDNat, "sign-in")
		victim.Get("/")
		r := victim.Get(callback.String())
		refusedWith(t, victim, r, http.StatusBadRequest, titleStale, "psc")
		signedOut(t, victim, "foreign state")
		if !strings.Contains(p.Logs.String(), "state of another browser") {
			t.Error("the refusal is not logged")
		}
	})

	t.Run("unknown or missing state", func(t *testing.T) {
		b := p.NewBrowser(t)
		callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
		for _, state := range []string{"forged-state", ""} {
			q := callback.Query()
			q.Set("state", state)
			r := b.Get("/auth/psc/callback?" + q.Encode())
			refusedWith(t, b, r, http.StatusBadRequest, titleStale, "psc")
		}
		// The real state still works once.
		if r := b.Get(callback.String()); r.Location != "/identification" {
			t.Errorf("genuine callback after forged ones: %d → %q", r.Status, r.Location)
		}
	})

	t.Run("HIN state and code at the PSC callback", func(t *testing.T) {
		b := p.NewBrowser(t)
		hinCallback := hinAuthorize(t, b, "cmuster", "yes")
		r := b.Get("/auth/psc/callback?" + hinCallback.RawQuery)
		refusedWith(t, b, r, http.StatusBadRequest, titleStale, "psc")
		signedOut(t, b, "HIN code at the PSC callback")
	})

	t.Run("iss of another provider", func(t *testing.T) {
		b := p.NewBrowser(t)
		callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
		token := p.App.Sandbox.PSC.Stats().Token
		q := callback.Query()
		q.Set("iss", "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet")
		r := b.Get("/auth/psc/callback?" + q.Encode())
		refusedWith(t, b, r, http.StatusUnauthorized, titleRefused, "psc")
		if p.App.Sandbox.PSC.Stats().Token != token {
			t.Error("the code was sent to the token endpoint despite the iss mismatch")
		}
		// The state is spent: the genuine answer no longer works either.
		r = b.Get(callback.String())
		refusedWith(t, b, r, http.StatusBadRequest, titleStale, "psc")
		signedOut(t, b, "iss mismatch")
	})
}
