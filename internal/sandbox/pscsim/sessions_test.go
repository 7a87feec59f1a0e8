package pscsim_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// verifyLogout checks a logout token as a client would.
func (e *env) verifyLogout(t *testing.T, lt string) *oidc.LogoutToken {
	t.Helper()
	ctx := context.Background()
	v := oidc.NewVerifier(e.issuer, oidc.NewRemoteKeySet(ctx, e.issuer+"/protocol/openid-connect/certs"), &oidc.Config{ClientID: clientID, Now: e.clock.Now})
	logout, err := v.VerifyLogout(ctx, lt)
	if err != nil {
		t.Fatal(err)
	}
	return logout
}

// A session that simply expires is swept with a logout token to its
// client, as one ended by a logout.
func TestExpiredSessionIsLoggedOutThroughTheBackchannel(t *testing.T) {
	t.Parallel()
	e := start(t)
	tok := e.tokens(t, e.code(t))
	idClaims, _, _ := e.inspect(t, tok["id_token"].(string))
	e.clock.advance(31 * time.Minute) // past the session's 30 minutes
	// Any new sign-in sweeps.
	e.pendingID(t, authRequest())
	logout := e.verifyLogout(t, e.logoutToken(t))
	// So does opening the sessions page.
	tok2 := e.tokens(t, e.code(t))
	e.clock.advance(31 * time.Minute)
	if pg := get(t, e.p.SessionsURL()); !strings.Contains(pg.body, `data-testid="psc-sessions-none"`) {
		t.Errorf("the expired session is on the page: %.500s", pg.body)
	}
	if claims, _, _ := e.inspect(t, tok2["id_token"].(string)); e.verifyLogout(t, e.logoutToken(t)).SessionID != claims["sid"] {
		t.Error("the sessions page swept no logout token")
	}
	if logout.SessionID != idClaims["sid"] || logout.Subject != idClaims["sub"] {
		t.Errorf("logout token %+v", logout)
	}
	if len(e.p.Sessions()) != 0 {
		t.Error("the expired session is still listed")
	}
	select {
	case lt := <-e.backchannel:
		t.Errorf("a second logout token %q", lt)
	case <-time.After(100 * time.Millisecond):
	}
}

// The simulator's sessions page lists the live sessions; its button signs
// the professional out of Pro Santé Connect, and the client hears of it.
func TestSessionsPageSignsOutThroughTheBackchannel(t *testing.T) {
	t.Parallel()
	e := start(t)
	sessionsURL := e.p.SessionsURL()
	if sessionsURL != e.issuer+"/sandbox/sessions" {
		t.Errorf("sessions URL %s", sessionsURL)
	}
	doc := parse(t, get(t, sessionsURL))
	if doc.Find(`[data-testid="psc-sessions-none"]`).Length() != 1 {
		t.Error("no 'no session' message")
	}
	tok := e.tokens(t, e.code(t))
	idClaims, _, _ := e.inspect(t, tok["id_token"].(string))
	pg := get(t, sessionsURL, "Accept-Language", "de")
	doc = parse(t, pg)
	row := doc.Find(`[data-testid="psc-session-` + virginie + `"]`)
	if !strings.Contains(row.Text(), "VIRGINIE MEDECIN") || !strings.Contains(row.Text(), clientID) {
		t.Fatalf("sessions page: %.600s", pg.body)
	}
	button := row.Find(`[data-testid="psc-session-logout"]`)
	if strings.TrimSpace(button.Text()) != "Von Pro Santé Connect abmelden" {
		t.Errorf("button %q", button.Text())
	}
	if fr := parse(t, get(t, sessionsURL)); strings.TrimSpace(fr.Find(`[data-testid="psc-session-logout"]`).Text()) != "Se déconnecter de Pro Santé Connect" {
		t.Error("no French button")
	}
	if csp := pg.header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self';") {
		t.Errorf("CSP %q", csp)
	}
	sid, _ := row.Find(`input[name="sid"]`).Attr("value")
	done := post(t, sessionsURL+"?ui_locales=en", url.Values{"sid": {sid}})
	if done.status != http.StatusOK || !strings.Contains(done.body, "Session ended") || !strings.Contains(done.body, `data-testid="psc-sessions-none"`) {
		t.Fatalf("after logout: %d %.500s", done.status, done.body)
	}
	if logout := e.verifyLogout(t, e.logoutToken(t)); logout.SessionID != idClaims["sid"] {
		t.Errorf("logout token %+v", logout)
	}
	if st, _, _ := e.tokenCall(t, form("grant_type", "refresh_token", "refresh_token", tok["refresh_token"].(string)), clientID, secret); st != 400 {
		t.Errorf("refresh after logout: %d", st)
	}
	if again := post(t, sessionsURL, url.Values{"sid": {sid}}); !strings.Contains(again.body, "inconnue ou déjà terminée") {
		t.Errorf("second logout: %.300s", again.body)
	}
}

// code_challenge_method alone would sign in without PKCE: refused, to the
// client, with state and iss. plain stays accepted (discovery lists it,
// as PSC's does), and is the method of a challenge sent without one.
func TestPKCEMethodWithoutChallengeIsRefused(t *testing.T) {
	t.Parallel()
	e := start(t)
	pg := get(t, e.authURL(authRequest("code_challenge_method", "S256")))
	if pg.status != http.StatusFound {
		t.Fatalf("%d %.300s", pg.status, pg.body)
	}
	q := pg.location(t).Query()
	if q.Get("error") != "invalid_request" || q.Get("state") != "st" || q.Get("iss") != e.issuer || q.Has("code") {
		t.Errorf("answer %v", q)
	}

	verifier := oauth2.GenerateVerifier()
	for _, tc := range []struct {
		name     string
		request  []string
		verifier string
		status   int
	}{
		{"plain", []string{"code_challenge", verifier, "code_challenge_method", "plain"}, verifier, 200},
		{"plain, wrong verifier", []string{"code_challenge", verifier, "code_challenge_method", "plain"}, oauth2.GenerateVerifier(), 400},
		{"plain, the S256 transform sent", []string{"code_challenge", verifier, "code_challenge_method", "plain"}, oauth2.S256ChallengeFromVerifier(verifier), 400},
		{"no method means plain", []string{"code_challenge", verifier}, verifier, 200},
	} {
		code := e.code(t, tc.request...)
		st, m, _ := e.tokenCall(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect, "code_verifier", tc.verifier), clientID, secret)
		if st != tc.status {
			t.Errorf("%s: %d %v", tc.name, st, m)
		}
	}
}

// The Bearer scheme is case-insensitive (RFC 9110 11.1).
func TestUserinfoBearerSchemeIsCaseInsensitive(t *testing.T) {
	t.Parallel()
	e := start(t)
	access := e.tokens(t, e.code(t))["access_token"].(string)
	for _, scheme := range []string{"Bearer", "bearer", "BEARER"} {
		req, _ := http.NewRequest(http.MethodGet, e.issuer+"/protocol/openid-connect/userinfo", nil)
		req.Header.Set("Authorization", scheme+" "+access)
		if pg := do(t, req); pg.status != http.StatusOK {
			t.Errorf("%s: %d", scheme, pg.status)
		}
	}
	for _, header := range []string{"Basic " + access, access, "Bearer"} {
		req, _ := http.NewRequest(http.MethodGet, e.issuer+"/protocol/openid-connect/userinfo", nil)
		req.Header.Set("Authorization", header)
		if pg := do(t, req); pg.status != http.StatusUnauthorized {
			t.Errorf("%q: %d", header, pg.status)
		}
	}
}
