package pscsim_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestClientAuthentication(t *testing.T) {
	t.Parallel()
	e := start(t)
	for _, tc := range []struct {
		name               string
		basicID, basicPass string
		formID, formSecret string
		status             int
	}{
		{"client_secret_basic", clientID, secret, "", "", http.StatusOK},
		{"client_secret_post", "", "", clientID, secret, http.StatusOK},
		{"wrong secret, basic", clientID, "nope", "", "", http.StatusUnauthorized},
		{"wrong secret, post", "", "", clientID, "nope", http.StatusUnauthorized},
		{"unknown client, basic", "stranger", secret, "", "", http.StatusUnauthorized},
		{"unknown client, post", "", "", "stranger", secret, http.StatusUnauthorized},
		{"no credentials", "", "", "", "", http.StatusUnauthorized},
		{"secret without client id", "", "", "", secret, http.StatusUnauthorized},
	} {
		v := form("grant_type", "authorization_code", "code", e.code(t), "redirect_uri", redirect)
		if tc.formID != "" || tc.formSecret != "" {
			v.Set("client_id", tc.formID)
			v.Set("client_secret", tc.formSecret)
		}
		st, m, h := e.tokenCall(t, v, tc.basicID, tc.basicPass)
		if st != tc.status {
			t.Errorf("%s: %d %v", tc.name, st, m)
			continue
		}
		if st == http.StatusUnauthorized && (m["error"] != "invalid_client" || h.Get("WWW-Authenticate") == "") {
			t.Errorf("%s: %v, WWW-Authenticate %q", tc.name, m, h.Get("WWW-Authenticate"))
		}
		if st == http.StatusOK && (m["id_token"] == nil || m["access_token"] == nil || m["refresh_token"] == nil || m["token_type"] != "Bearer" || m["expires_in"] != float64(120)) {
			t.Errorf("%s: %v", tc.name, m)
		}
		if h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", tc.name, h.Get("Cache-Control"))
		}
	}
}

func TestCodeGrantRefusals(t *testing.T) {
	t.Parallel()
	e := start(t)
	verifier := oauth2.GenerateVerifier()
	s256 := []string{"code_challenge", oauth2.S256ChallengeFromVerifier(verifier), "code_challenge_method", "S256"}
	plainVerifier := oauth2.GenerateVerifier()
	plain := []string{"code_challenge", plainVerifier, "code_challenge_method", "plain"}
	exchange := func(code string, kv ...string) (int, map[string]any) {
		st, m, _ := e.tokenCall(t, with(form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), kv...), clientID, secret)
		return st, m
	}
	for _, tc := range []struct {
		name    string
		request []string
		token   []string
		client  string
		status  int
	}{
		{"S256 verifier", s256, []string{"code_verifier", verifier}, clientID, 200},
		{"plain verifier", plain, []string{"code_verifier", plainVerifier}, clientID, 200},
		{"wrong S256 verifier", s256, []string{"code_verifier", oauth2.GenerateVerifier()}, clientID, 400},
		{"challenge sent, verifier missing", s256, nil, clientID, 400},
		{"no challenge, verifier sent (downgrade)", nil, []string{"code_verifier", verifier}, clientID, 400},
		{"malformed verifier", s256, []string{"code_verifier", "short"}, clientID, 400},
		{"another redirect URI", nil, []string{"redirect_uri", "https://rp.example/other"}, clientID, 400},
		{"no redirect URI", nil, []string{"redirect_uri", ""}, clientID, 400},
		{"code of another client", nil, nil, jwtClientID, 400},
		{"unknown code", nil, []string{"code", "forged"}, clientID, 400},
	} {
		code := e.code(t, tc.request...)
		v := with(form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), tc.token...)
		st, m, _ := e.tokenCall(t, v, tc.client, secret)
		if st != tc.status || (st == 400 && m["error"] != "invalid_grant") {
			t.Errorf("%s: %d %v", tc.name, st, m)
		}
		// Whatever the outcome, the code is spent.
		if st, _ := exchange(code, tc.token...); st != 400 {
			t.Errorf("%s: the code worked twice", tc.name)
		}
	}
	if st, m := exchange(e.code(t), "grant_type", "password"); st != 400 || m["error"] != "unsupported_grant_type" {
		t.Errorf("password grant: %d %v", st, m)
	}
	req, _ := http.NewRequest(http.MethodGet, e.issuer+"/protocol/openid-connect/token", nil)
	if pg := do(t, req); pg.status != http.StatusMethodNotAllowed {
		t.Errorf("GET token: %d", pg.status)
	}
}

func TestCodeLivesSixtySeconds(t *testing.T) {
	t.Parallel()
	e := start(t)
	for _, tc := range []struct {
		wait time.Duration
		ok   bool
	}{{59 * time.Second, true}, {61 * time.Second, false}} {
		code := e.code(t)
		e.clock.Advance(tc.wait)
		st, m, _ := e.tokenCall(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), clientID, secret)
		if (st == 200) != tc.ok || (!tc.ok && m["error"] != "invalid_grant") {
			t.Errorf("after %s: %d %v", tc.wait, st, m)
		}
	}
}

// A code presented twice revokes the tokens it gave (RFC 6749 4.1.2): the
// second presenter may be an attacker who stole it.
func TestReusedCodeRevokesItsTokens(t *testing.T) {
	t.Parallel()
	e := start(t)
	code := e.code(t)
	tok := e.tokens(t, code)
	access, refresh := tok["access_token"].(string), tok["refresh_token"].(string)
	if pg := e.userinfo(t, access); pg.status != 200 {
		t.Fatalf("userinfo before the replay: %d", pg.status)
	}
	if st, m, _ := e.tokenCall(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), clientID, secret); st != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("replayed code: %d %v", st, m)
	}
	if pg := e.userinfo(t, access); pg.status != http.StatusUnauthorized {
		t.Errorf("access token still valid after the replay: %d", pg.status)
	}
	if st, _, _ := e.tokenCall(t, form("grant_type", "refresh_token", "refresh_token", refresh), clientID, secret); st != 400 {
		t.Errorf("refresh token still valid after the replay: %d", st)
	}
}

func TestRefreshGrant(t *testing.T) {
	t.Parallel()
	e := start(t)
	refresh := func(rt, client string) (int, map[string]any) {
		st, m, _ := e.tokenCall(t, form("grant_type", "refresh_token", "refresh_token", rt), client, secret)
		return st, m
	}
	first := e.tokens(t, e.code(t))["refresh_token"].(string)
	if st, m := refresh(first, jwtClientID); st != 400 || m["error"] != "invalid_grant" {
		t.Errorf("another client's refresh token: %d %v", st, m)
	}
	// The attempt above spent it: refresh tokens are single use.
	if st, _ := refresh(first, clientID); st != 400 {
		t.Errorf("a refresh token tried by another client still works: %d", st)
	}

	rt := e.tokens(t, e.code(t))["refresh_token"].(string)
	st, m := refresh(rt, clientID)
	if st != 200 || m["refresh_token"] == rt || m["id_token"] == nil {
		t.Fatalf("refresh: %d %v", st, m)
	}
	claims, _, _ := e.inspect(t, m["id_token"].(string))
	if claims["nonce"] != nil || claims["sub"] == nil {
		t.Errorf("refreshed ID token %v", claims)
	}
	if st, _ := refresh(rt, clientID); st != 400 {
		t.Error("a rotated refresh token worked again")
	}

	// Refresh tokens end with the provider session.
	rt = m["refresh_token"].(string)
	for _, sid := range e.p.Sessions() {
		_ = e.p.EndSession(t.Context(), sid)
	}
	if st, m := refresh(rt, clientID); st != 400 || m["error"] != "invalid_grant" {
		t.Errorf("refresh after logout: %d %v", st, m)
	}
	// And after thirty minutes without use.
	rt = e.tokens(t, e.code(t))["refresh_token"].(string)
	e.clock.Advance(31 * time.Minute)
	if st, _ := refresh(rt, clientID); st != 400 {
		t.Errorf("refresh after 31 minutes: %d", st)
	}
}

func TestUserinfo(t *testing.T) {
	t.Parallel()
	e := start(t)
	tok := e.tokens(t, e.code(t))
	access := tok["access_token"].(string)
	idClaims, _, _ := e.inspect(t, tok["id_token"].(string))

	pg := e.userinfo(t, access)
	if pg.status != 200 || pg.header.Get("Content-Type") != "application/json" || pg.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("userinfo: %d %v", pg.status, pg.header)
	}
	info := decodeJSON(t, pg.body)
	for _, name := range []string{"sub", "SubjectNameID", "preferred_username", "given_name", "family_name", "otherIds", "SubjectRefPro",
		"SubjectOrganization", "SubjectOrganizationID", "SubjectRole", "Secteur_Activite", "Palier_Authentification", "authMode", "UITVersion"} {
		if info[name] == nil {
			t.Errorf("userinfo lacks %s", name)
		}
	}
	if info["sub"] != idClaims["sub"] {
		t.Errorf("userinfo sub %v, ID token sub %v", info["sub"], idClaims["sub"])
	}

	for name, token := range map[string]string{"no token": "", "unknown token": "forged"} {
		if pg := e.userinfo(t, token); pg.status != http.StatusUnauthorized || pg.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %d", name, pg.status)
		}
	}
	e.clock.Advance(121 * time.Second)
	if pg := e.userinfo(t, access); pg.status != http.StatusUnauthorized {
		t.Errorf("expired access token: %d", pg.status)
	}
}

func TestSignedUserinfo(t *testing.T) {
	t.Parallel()
	e := start(t)
	code := e.callback(t, authRequest("client_id", jwtClientID)).Get("code")
	st, tok, _ := e.tokenCall(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), jwtClientID, secret)
	if st != 200 {
		t.Fatal(st, tok)
	}
	pg := e.userinfo(t, tok["access_token"].(string))
	if pg.header.Get("Content-Type") != "application/jwt" {
		t.Fatalf("content type %q", pg.header.Get("Content-Type"))
	}
	claims, kid, verified := e.inspect(t, pg.body)
	if !verified || kid == "" || claims["iss"] != e.issuer || claims["aud"] != jwtClientID || claims["SubjectNameID"] != virginie {
		t.Errorf("signed userinfo: verified %v, kid %q, %v", verified, kid, claims)
	}
}

func decodeJSON(t *testing.T, body string) map[string]any {
	t.Helper()
	m := map[string]any{}
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("not JSON: %v: %.200s", err, body)
	}
	return m
}
