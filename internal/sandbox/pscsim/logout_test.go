package pscsim_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

func (e *env) logoutURL(kv ...string) string {
	return e.issuer + "/protocol/openid-connect/logout?" + form(kv...).Encode()
}

// signedIn signs virginie in for clientID and returns the raw ID token.
func (e *env) signedIn(t *testing.T) string {
	t.Helper()
	return e.tokens(t, e.code(t))["id_token"].(string)
}

func (e *env) logoutToken(t *testing.T) string {
	t.Helper()
	select {
	case lt := <-e.backchannel:
		return lt
	case <-time.After(5 * time.Second):
		t.Fatal("no back-channel logout token")
		return ""
	}
}

// RP-initiated logout with a registered post_logout_redirect_uri goes
// straight back to the client, with the state; the client hears of it on
// the back-channel with a logout token any standard library accepts.
func TestLogoutRedirectsBackAndTellsTheClient(t *testing.T) {
	t.Parallel()
	e := start(t)
	tok := e.tokens(t, e.code(t))
	idToken, refresh, access := tok["id_token"].(string), tok["refresh_token"].(string), tok["access_token"].(string)
	idClaims, _, _ := e.inspect(t, idToken)
	pg := get(t, e.logoutURL("id_token_hint", idToken, "post_logout_redirect_uri", afterLogout, "state", "xyz"))
	if pg.status != http.StatusFound || pg.header.Get("Location") != afterLogout+"?state=xyz" {
		t.Fatalf("logout: %d %q", pg.status, pg.header.Get("Location"))
	}
	if len(e.p.Sessions()) != 0 {
		t.Error("session not ended")
	}
	lt := e.logoutToken(t)
	ctx := context.Background()
	verifier := oidc.NewVerifier(e.issuer, oidc.NewRemoteKeySet(ctx, e.issuer+"/protocol/openid-connect/certs"), &oidc.Config{ClientID: clientID, Now: e.clock.Now})
	logout, err := verifier.VerifyLogout(ctx, lt)
	if err != nil {
		t.Fatal(err)
	}
	if logout.SessionID != idClaims["sid"] || logout.Subject != idClaims["sub"] || logout.TokenID == "" {
		t.Errorf("logout token %+v", logout)
	}
	claims, kid, verified := e.inspect(t, lt)
	if _, hasNonce := claims["nonce"]; hasNonce || !verified || kid == "" || claims["iat"] == nil {
		t.Errorf("logout token claims %v", claims)
	}
	hdr, _ := base64.RawURLEncoding.DecodeString(strings.Split(lt, ".")[0])
	if !strings.Contains(string(hdr), `"logout+jwt"`) {
		t.Errorf("logout token header %s", hdr)
	}
	// The session's tokens died with it.
	if st, _, _ := e.tokenCall(t, form("grant_type", "refresh_token", "refresh_token", refresh), clientID, secret); st != 400 {
		t.Errorf("refresh after logout: %d", st)
	}
	if pg := e.userinfo(t, access); pg.status != http.StatusUnauthorized {
		t.Errorf("userinfo after logout: %d", pg.status)
	}
}

func TestLogoutWithoutRedirectShowsConfirmation(t *testing.T) {
	t.Parallel()
	e := start(t)
	pg := get(t, e.logoutURL("id_token_hint", e.signedIn(t)))
	if pg.status != http.StatusOK || !strings.Contains(pg.body, "déconnecté") || !strings.Contains(pg.body, `data-testid="psc-message"`) || len(e.p.Sessions()) != 0 {
		t.Errorf("logout page: %d %.200s", pg.status, pg.body)
	}
	e.logoutToken(t)
	// Without any hint, nothing to end, still a page.
	if pg := get(t, e.logoutURL(), "Accept-Language", "en"); pg.status != http.StatusOK || !strings.Contains(pg.body, "signed out") {
		t.Errorf("bare logout: %d", pg.status)
	}
}

func TestLogoutRefusals(t *testing.T) {
	t.Parallel()
	e := start(t)
	idToken := e.signedIn(t)
	parts := strings.Split(idToken, ".")
	tampered := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	for name, u := range map[string]string{
		"unregistered post-logout URI":         e.logoutURL("id_token_hint", idToken, "post_logout_redirect_uri", "https://evil.example/"),
		"registered redirect URI, not logout":  e.logoutURL("id_token_hint", idToken, "post_logout_redirect_uri", redirect),
		"post-logout URI without any client":   e.logoutURL("post_logout_redirect_uri", afterLogout),
		"client_id not the hint's audience":    e.logoutURL("id_token_hint", idToken, "client_id", jwtClientID),
		"hint whose signature does not verify": e.logoutURL("id_token_hint", tampered, "post_logout_redirect_uri", afterLogout),
		"hint that is not a JWT":               e.logoutURL("id_token_hint", "garbage", "post_logout_redirect_uri", afterLogout),
	} {
		pg := get(t, u)
		if pg.status != http.StatusBadRequest || pg.header.Get("Location") != "" || !strings.Contains(pg.body, `data-testid="psc-error"`) {
			t.Errorf("%s: %d, Location %q", name, pg.status, pg.header.Get("Location"))
		}
	}
	if len(e.p.Sessions()) != 1 {
		t.Errorf("a refused logout ended the session: %v", e.p.Sessions())
	}
	// client_id alone with a registered URI is a valid logout (no session to end).
	if pg := get(t, e.logoutURL("client_id", clientID, "post_logout_redirect_uri", afterLogout)); pg.status != http.StatusFound {
		t.Errorf("logout by client_id: %d", pg.status)
	}
}

// A client that refuses the back-channel post does not stop the logout.
func TestBackchannelFailureIsNotFatal(t *testing.T) {
	t.Parallel()
	e := start(t)
	e.backchannelStatus.Store(http.StatusInternalServerError)
	pg := get(t, e.logoutURL("id_token_hint", e.signedIn(t), "post_logout_redirect_uri", afterLogout))
	if pg.status != http.StatusFound || len(e.p.Sessions()) != 0 {
		t.Errorf("logout: %d, sessions %v", pg.status, e.p.Sessions())
	}
	e.logoutToken(t)

	e.signedIn(t)
	sid := e.p.Sessions()[0]
	if err := e.p.EndSession(t.Context(), sid); err == nil {
		t.Error("EndSession hid the client's refusal")
	}
	e.logoutToken(t)
	if len(e.p.Sessions()) != 0 {
		t.Error("the session survived a refused back-channel post")
	}
	if err := e.p.EndSession(t.Context(), "unknown"); err != nil {
		t.Errorf("unknown sid: %v", err)
	}
	if e.p.Stats().BackchannelSent != 2 {
		t.Errorf("back-channel posts %d", e.p.Stats().BackchannelSent)
	}
}

// A client without a back-channel URI gets no post.
func TestNoBackchannelWithoutURI(t *testing.T) {
	t.Parallel()
	e := start(t)
	code := e.callback(t, authRequest("client_id", jwtClientID)).Get("code")
	if st, _, _ := e.tokenCall(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), jwtClientID, secret); st != 200 {
		t.Fatal(st)
	}
	if err := e.p.EndSession(t.Context(), e.p.Sessions()[0]); err != nil || e.p.Stats().BackchannelSent != 0 {
		t.Errorf("EndSession: %v, posts %d", err, e.p.Stats().BackchannelSent)
	}
}
