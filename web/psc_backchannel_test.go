package web_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/store"
)

func TestPSCBackchannelLogoutEndsOnlyThatSession(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	provider := p.App.Sandbox.PSC
	first, second := p.NewBrowser(t), p.NewBrowser(t)
	first.Follow(pscSignIn(t, first, virginieIDNat))
	sids := provider.Sessions()
	second.Follow(pscSignIn(t, second, virginieIDNat))
	var firstSID string
	if len(sids) == 1 {
		firstSID = sids[0]
	}
	if n := len(provider.Sessions()); n != 2 || firstSID == "" {
		t.Fatalf("provider sessions %v", provider.Sessions())
	}
	firstToken, secondToken := first.Cookie("infopatient_session").Value, second.Cookie("infopatient_session").Value
	sent := provider.Stats().BackchannelSent
	if err := provider.EndSession(t.Context(), firstSID); err != nil {
		t.Fatalf("back-channel logout: %v", err)
	}
	if provider.Stats().BackchannelSent != sent+1 {
		t.Error("no logout token was posted")
	}
	// The ended session's browser still presents its cookie: the login
	// page says the session ended, once.
	r := first.Get("/identification")
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "ended=1") {
		t.Fatalf("the ended provider session's browser: %d → %q, want the login page with ended=1", r.Status, r.Location)
	}
	first.Follow(r)
	if got := first.Text("login-notice"); got != "Votre session a pris fin. Reconnectez-vous pour continuer." {
		t.Errorf("login page after a back-channel logout: notice %q", got)
	}
	if first.Get("/"); first.Text("login-notice") != "" {
		t.Errorf("the ended-session notice is shown again: %q", first.Text("login-notice"))
	}
	signedOut(t, first, "the ended provider session's browser")
	signedInAs(t, second, "VIRGINIE MEDECIN RPPS 99700218896")
	// The ended session's ID token and claims went with it; the other's stay.
	if _, err := p.App.Store.ProviderSession(t.Context(), firstToken, p.Clock.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the ended session's record: %v", err)
	}
	if rec, err := p.App.Store.ProviderSession(t.Context(), secondToken, p.Clock.Now()); err != nil || rec.Claims == "" || len(rec.IDToken) == 0 {
		t.Errorf("the other session's record: %+v %v", rec, err)
	}
}

func TestPSCBackchannelLogoutRefusesBadTokens(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	provider := p.App.Sandbox.PSC
	b := p.NewBrowser(t)
	b.Follow(pscSignIn(t, b, virginieIDNat))
	sid := provider.Sessions()[0]
	now := p.Clock.Now().Unix()
	event := map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}}
	good := func() map[string]any {
		return map[string]any{"iss": provider.Issuer(), "aud": sandbox.PSCClientID, "iat": now, "exp": now + 300, "jti": "j1", "sid": sid, "events": event}
	}
	for _, tc := range []struct {
		name   string
		change func(map[string]any)
	}{
		{"another issuer", func(c map[string]any) { c["iss"] = "https://auth.esw.esante.gouv.fr/auth/realms/other" }},
		{"another audience", func(c map[string]any) { c["aud"] = "another-client" }},
		{"no iat", func(c map[string]any) { delete(c, "iat") }},
		{"no event", func(c map[string]any) { delete(c, "events") }},
		{"a nonce", func(c map[string]any) { c["nonce"] = "n" }},
		{"neither sid nor sub", func(c map[string]any) { delete(c, "sid") }},
	} {
		claims := good()
		tc.change(claims)
		token, err := provider.Sign(claims)
		if err != nil {
			t.Fatal(err)
		}
		if status := postLogoutToken(t, p, token); status != http.StatusBadRequest {
			t.Errorf("%s: %d", tc.name, status)
		}
	}
	token, _ := provider.Sign(good())
	if status := postLogoutToken(t, p, token[:len(token)-4]+"AAAA"); status != http.StatusBadRequest {
		t.Errorf("bad signature: %d", status)
	}
	signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
	// The well-formed token ends the session.
	if status := postLogoutToken(t, p, token); status != http.StatusOK {
		t.Fatalf("good token: %d", status)
	}
	signedOut(t, b, "after a back-channel logout")
}

// postLogoutToken posts a logout token as PSC's server would.
func postLogoutToken(t *testing.T, p *apptest.Portal, token string) int {
	t.Helper()
	resp, err := http.PostForm(p.URL+"/auth/psc/backchannel-logout", url.Values{"logout_token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("back-channel answer Cache-Control %q", cc)
	}
	return resp.StatusCode
}
