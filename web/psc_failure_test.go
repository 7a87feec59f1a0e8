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

func TestPSCUnavailable(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_HTTP_TIMEOUT": "1s"})
	provider := p.App.Sandbox.PSC
	for _, tc := range []struct {
		name  string
		fault pscsim.Fault
	}{
		{"token endpoint error", pscsim.TokenServerError},
		{"token endpoint garbage", pscsim.TokenGarbage},
		{"token endpoint slow", pscsim.SlowToken},
		{"userinfo error", pscsim.UserinfoServerError},
		{"userinfo garbage", pscsim.UserinfoGarbage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := p.NewBrowser(t)
			callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
			provider.Misbehave(sandbox.PSCClientID, tc.fault, false)
			defer provider.Behave()
			start := time.Now()
			r := b.Get(callback.String())
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("the callback took %v: the HTTP timeout is 1s", took)
			}
			refusedWith(t, b, r, http.StatusBadGateway, titleUnavailable, "psc")
			if !strings.Contains(b.Text("error-message"), "Pro Santé Connect ne répond pas") {
				t.Errorf("message %q", b.Text("error-message"))
			}
			signedOut(t, b, tc.name)
			// Nothing of the sign-in reaches the page.
			for _, secret := range []string{callback.Query().Get("code"), callback.Query().Get("state"), sandbox.PSCClientSecret} {
				if strings.Contains(r.Body, secret) {
					t.Error("the error page shows a code, state or secret")
				}
			}
		})
	}
}

// PSC saying at the callback that it is in trouble (RFC 6749 4.1.2.1) is
// an unavailable provider, not a refusal: the page offers to try again.
func TestPSCCallbackErrorOfAProviderInTrouble(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	for _, answer := range []string{"temporarily_unavailable", "server_error"} {
		t.Run(answer, func(t *testing.T) {
			b := p.NewBrowser(t)
			callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
			q := callback.Query()
			q.Del("code")
			q.Set("error", answer)
			r := b.Get("/auth/psc/callback?" + q.Encode())
			refusedWith(t, b, r, http.StatusBadGateway, titleUnavailable, "psc")
			signedOut(t, b, answer)
			if r := pscSignIn(t, b, virginieIDNat); r.Location != "/identification" {
				t.Errorf("retry: %d → %q", r.Status, r.Location)
			}
		})
	}
}

func TestPSCUnavailableBeforeTheFirstSignIn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault pscsim.Fault
		// atLogin: the e-CPS button fails (discovery); else the callback
		// does (the signing keys are fetched there).
		atLogin bool
	}{
		{"discovery error", pscsim.DiscoveryServerError, true},
		{"discovery garbage", pscsim.DiscoveryGarbage, true},
		{"discovery slow", pscsim.SlowDiscovery, true},
		{"signing keys error", pscsim.JWKSServerError, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := apptest.Start(t, map[string]string{"INFOPATIENT_HTTP_TIMEOUT": "1s"})
			b := p.NewBrowser(t)
			p.App.Sandbox.PSC.Misbehave("", tc.fault, false)
			var r *apptest.Response
			if tc.atLogin {
				r = b.Get("/auth/psc/login")
			} else {
				r = pscSignIn(t, b, virginieIDNat)
			}
			refusedWith(t, b, r, http.StatusBadGateway, titleUnavailable, "psc")
			signedOut(t, b, tc.name)
			// The fault is gone: the retry button works.
			if r := pscSignIn(t, b, virginieIDNat); r.Location != "/identification" {
				t.Errorf("retry: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
			}
		})
	}
}

// No code, token, state or secret of a sign-in ever reaches the logs,
// whether the sign-in works, is refused or fails.
func TestPSCKeepsSecretsOutOfTheLogs(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_HTTP_TIMEOUT": "1s"})
	provider := p.App.Sandbox.PSC
	var secrets []string
	remember := func(u *url.URL) {
		secrets = append(secrets, u.Query().Get("code"), u.Query().Get("state"))
	}
	b := p.NewBrowser(t)
	callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
	remember(callback)
	b.Follow(b.Get(callback.String()))
	logout := b.Post("/logout", nil)
	endSession, _ := url.Parse(logout.Location)
	secrets = append(secrets, endSession.Query().Get("id_token_hint"), endSession.Query().Get("state"))
	b.Follow(logout)
	for _, f := range []pscsim.Fault{pscsim.BadSignature, pscsim.WrongNonce, pscsim.TokenServerError, pscsim.TokenGarbage, pscsim.UserinfoGarbage} {
		b := p.NewBrowser(t)
		callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
		remember(callback)
		provider.Misbehave(sandbox.PSCClientID, f, false)
		b.Get(callback.String())
	}
	logs := p.Logs.String()
	if !strings.Contains(logs, `msg="sign-in refused" method=psc outcome=unavailable`) {
		t.Fatalf("the failures were not logged:\n%s", logs)
	}
	noSecretsLogged(t, logs, append(secrets, sandbox.PSCClientSecret))
}
