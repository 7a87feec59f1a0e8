package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/sandbox"
)

const sessionCookie = "infopatient_session"

// A sign-out cannot be undone by a request that loaded the session before
// it: a holder of the cookie sends POST /patient with 5 bytes of its body,
// the professional signs out, the holder sends the rest. The cookie stays
// refused, and the late answer clears it rather than setting it again.
func TestLogoutWinsOverARequestInFlight(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	victim := p.NewBrowser(t)
	victim.SignIn(virginie, demo.Password)
	c := victim.Cookie(sessionCookie).Value

	finish := victim.StartSlowPost("/patient", url.Values{"identifier": {camilleNIR}}, 5)
	if r := victim.Post("/logout", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.Status)
	}
	holder := p.WithCookie(t, sessionCookie, c)
	signedOut(t, holder, "right after the logout")

	late := finish()
	for _, ck := range (&http.Response{Header: late.Header}).Cookies() {
		if ck.Name == sessionCookie && ck.Value != "" && ck.MaxAge >= 0 {
			t.Errorf("the late answer (%d) sets the session cookie again", late.Status)
		}
	}
	holder = p.WithCookie(t, sessionCookie, c)
	signedOut(t, holder, "after the request in flight finished")
	if r := holder.Get("/historique"); r.Status == http.StatusOK {
		t.Error("the history is readable with the signed-out cookie")
	}
}

// The same race with a back-channel logout: Pro Santé Connect ends the
// session while a request of it is in flight; it stays ended.
func TestBackchannelLogoutWinsOverARequestInFlight(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	provider := p.App.Sandbox.PSC
	b := p.NewBrowser(t)
	b.Follow(pscSignIn(t, b, virginieIDNat))
	c := b.Cookie(sessionCookie).Value
	finish := b.StartSlowPost("/patient", url.Values{"identifier": {camilleNIR}}, 5)
	if err := provider.EndSession(t.Context(), provider.Sessions()[0]); err != nil {
		t.Fatal(err)
	}
	waitSignedOut(t, p, c)
	finish()
	signedOut(t, p.WithCookie(t, sessionCookie, c), "after the request in flight finished")
}

// waitSignedOut waits (up to 5 s) until the cookie c is refused: a
// back-channel logout is delivered by the provider on its own time.
func waitSignedOut(t *testing.T, p *apptest.Portal, c string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if r := p.WithCookie(t, sessionCookie, c).Get("/identification"); r.Status == http.StatusSeeOther {
			return
		}
	}
	t.Fatal("the back-channel logout did not end the session")
}

// A back-channel logout token acts once: replayed, it is refused and ends
// nothing. A token naming the professional only (sub) ends the sessions
// begun by its iat, not those opened after it was issued.
func TestBackchannelLogoutTokenActsOnce(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	provider := p.App.Sandbox.PSC
	first := p.NewBrowser(t)
	first.Follow(pscSignIn(t, first, virginieIDNat))
	rec, err := p.App.Store.ProviderSession(t.Context(), first.Cookie(sessionCookie).Value, p.Clock.Now())
	if err != nil || rec.Subject == "" {
		t.Fatalf("the sign-in's record: %+v %v", rec, err)
	}
	event := map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}}
	token := func(jti string, iat time.Time) string {
		t.Helper()
		tok, err := provider.Sign(map[string]any{"iss": provider.Issuer(), "aud": sandbox.PSCClientID, "iat": iat.Unix(),
			"exp": iat.Add(5 * time.Minute).Unix(), "jti": jti, "sub": rec.Subject, "events": event})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	p.Clock.Advance(time.Second)
	issued := p.Clock.Now()
	replayed := token("j-sub", issued)
	if status := postLogoutToken(t, p, replayed); status != http.StatusOK {
		t.Fatalf("subject-only token: %d", status)
	}
	signedOut(t, first, "after the subject-only token")

	p.Clock.Advance(10 * time.Second)
	second := p.NewBrowser(t)
	second.Follow(pscSignIn(t, second, virginieIDNat))
	if status := postLogoutToken(t, p, replayed); status != http.StatusBadRequest {
		t.Errorf("the same token again: %d, want 400", status)
	}
	signedInAs(t, second, "VIRGINIE MEDECIN RPPS 99700218896")
	// Another token issued before this sign-in (delayed on its way) does
	// not end it either.
	if status := postLogoutToken(t, p, token("j-delayed", issued)); status != http.StatusOK {
		t.Errorf("a delayed token: %d", status)
	}
	signedInAs(t, second, "VIRGINIE MEDECIN RPPS 99700218896")
	if !strings.Contains(p.Logs.String(), "token replayed") {
		t.Error("the replay was not logged")
	}
	// A token issued now ends it.
	if status := postLogoutToken(t, p, token("j-now", p.Clock.Now())); status != http.StatusOK {
		t.Errorf("a fresh token: %d", status)
	}
	signedOut(t, second, "after a token issued after the sign-in")
}

// The session cache never serves a session past its absolute lifetime:
// the page read from the cache a moment before refuses it once the
// lifetime is over.
func TestSessionCacheStopsAtTheLifetime(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_SESSION_LIFETIME": "2s", "INFOPATIENT_SESSION_IDLE_TIMEOUT": "2s"})
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	start := time.Now()
	b.Get("/identification")
	hits := p.App.Store.SessionCacheHits()
	signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
	if p.App.Store.SessionCacheServing() && p.App.Store.SessionCacheHits() == hits {
		t.Fatal("the page was not served from the session cache")
	}
	time.Sleep(time.Until(start.Add(2100 * time.Millisecond)))
	signedOut(t, b, "past the session's lifetime")
}
