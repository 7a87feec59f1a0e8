package pscsim_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// Each ID token fault shows in the token the relying party receives.
func TestIDTokenFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault pscsim.Fault
		acr   string
		check func(claims map[string]any, kid string, verified bool, jwksKeys int) bool
	}{
		{pscsim.WrongIssuer, "eidas1", func(c map[string]any, _ string, ok bool, _ int) bool {
			return ok && c["iss"] != nil && !strings.HasSuffix(c["iss"].(string), realmPath)
		}},
		{pscsim.WrongAudience, "eidas1", func(c map[string]any, _ string, ok bool, _ int) bool { return ok && c["aud"] == "another-client" }},
		{pscsim.MissingAudience, "eidas1", func(c map[string]any, _ string, ok bool, _ int) bool { _, has := c["aud"]; return ok && !has }},
		{pscsim.ForeignAuthorizedParty, "eidas1", func(c map[string]any, _ string, ok bool, _ int) bool {
			aud, _ := c["aud"].([]any)
			return ok && len(aud) == 2 && aud[0] == clientID && c["azp"] == "another-client"
		}},
		{pscsim.BadSignature, "eidas1", func(c map[string]any, kid string, ok bool, _ int) bool { return !ok && kid != "" && c["sub"] != nil }},
		{pscsim.NoKID, "eidas1", func(_ map[string]any, kid string, ok bool, n int) bool { return ok && kid == "" && n == 1 }},
		{pscsim.NoKIDSeveralKeys, "eidas1", func(_ map[string]any, kid string, ok bool, n int) bool { return ok && kid == "" && n == 2 }},
		{pscsim.MissingSub, "eidas1", func(c map[string]any, _ string, ok bool, _ int) bool { _, has := c["sub"]; return ok && !has }},
		{pscsim.MissingIAT, "eidas1", func(c map[string]any, _ string, ok bool, _ int) bool { _, has := c["iat"]; return ok && !has }},
		{pscsim.WrongNonce, "eidas1", func(c map[string]any, _ string, ok bool, _ int) bool {
			return ok && c["nonce"] != "nc" && c["nonce"] != nil
		}},
		{pscsim.ExpiredIDToken, "eidas1", func(c map[string]any, _ string, ok bool, _ int) bool {
			exp, _ := c["exp"].(float64)
			return ok && exp > 0 && exp < float64(time.Now().Unix())
		}},
		{pscsim.LowACR, "eidas2", func(c map[string]any, _ string, ok bool, _ int) bool { return ok && c["acr"] == "eidas1" }},
		{pscsim.LowACR, "eidas1", func(c map[string]any, _ string, ok bool, _ int) bool { return ok && c["acr"] == "eidas0" }},
		{pscsim.HighACR, "eidas1", func(c map[string]any, _ string, ok bool, _ int) bool { return ok && c["acr"] == "eidas2" }},
	} {
		t.Run(tc.fault.String()+"/"+tc.acr, func(t *testing.T) {
			t.Parallel()
			e := start(t)
			e.p.Misbehave(clientID, tc.fault, false)
			raw := e.tokens(t, e.code(t, "acr_values", tc.acr))["id_token"].(string)
			claims, kid, verified := e.inspect(t, raw)
			if !tc.check(claims, kid, verified, len(e.jwks(t).Keys)) {
				t.Errorf("verified %v, kid %q, claims %v", verified, kid, claims)
			}
			// One-shot: the next token is sound again.
			claims, kid, verified = e.inspect(t, e.tokens(t, e.code(t, "acr_values", tc.acr))["id_token"].(string))
			if !verified || kid == "" || claims["iss"] != e.issuer || claims["aud"] != clientID || claims["acr"] != tc.acr || claims["nonce"] != "nc" {
				t.Errorf("the fault outlived its answer: %v", claims)
			}
		})
	}
}

func TestFaultsAreStickyOrOneShotAndPerClient(t *testing.T) {
	t.Parallel()
	e := start(t)
	idToken := func(client string) map[string]any {
		code := e.callback(t, authRequest("client_id", client)).Get("code")
		_, m, _ := e.tokenCall(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), client, secret)
		claims, _, _ := e.inspect(t, m["id_token"].(string))
		return claims
	}
	e.p.Misbehave(clientID, pscsim.WrongNonce, true)
	for i := range 3 {
		if idToken(clientID)["nonce"] == "nc" {
			t.Errorf("sticky fault gone at answer %d", i)
		}
	}
	if idToken(jwtClientID)["nonce"] != "nc" {
		t.Error("a fault armed for one client hit another")
	}
	e.p.Behave()
	if idToken(clientID)["nonce"] != "nc" {
		t.Error("Behave left the fault armed")
	}
	e.p.Misbehave("", pscsim.MissingSub, false)
	if _, has := idToken(jwtClientID)["sub"]; has {
		t.Error("a fault armed for any client missed one")
	}
	if _, has := idToken(clientID)["sub"]; !has {
		t.Error("a one-shot fault for any client fired twice")
	}
}

func TestUserinfoFaults(t *testing.T) {
	t.Parallel()
	signedUserinfo := func(e *env) page {
		code := e.callback(t, authRequest("client_id", jwtClientID)).Get("code")
		_, m, _ := e.tokenCall(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), jwtClientID, secret)
		return e.userinfo(t, m["access_token"].(string))
	}
	t.Run("sub mismatch", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		e.p.Misbehave(clientID, pscsim.UserinfoSubMismatch, false)
		tok := e.tokens(t, e.code(t))
		idClaims, _, _ := e.inspect(t, tok["id_token"].(string))
		if info := decodeJSON(t, e.userinfo(t, tok["access_token"].(string)).body); info["sub"] == idClaims["sub"] || info["sub"] == nil {
			t.Errorf("userinfo sub %v", info["sub"])
		}
	})
	t.Run("bad signature", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		e.p.Misbehave(jwtClientID, pscsim.UserinfoBadSignature, false)
		if _, _, verified := e.inspect(t, signedUserinfo(e).body); verified {
			t.Error("the signature verifies")
		}
	})
	t.Run("wrong audience", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		e.p.Misbehave(jwtClientID, pscsim.UserinfoWrongAudience, false)
		if claims, _, verified := e.inspect(t, signedUserinfo(e).body); !verified || claims["aud"] == jwtClientID {
			t.Errorf("aud %v", claims["aud"])
		}
	})
}

// Server errors and garbage at each endpoint, then a sound answer.
func TestTroubleFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault       pscsim.Fault
		status      int
		call        func(*testing.T, *env) page
		soundStatus int
	}{
		{pscsim.DiscoveryServerError, 500, discovery, 200},
		{pscsim.DiscoveryGarbage, 200, discovery, 200},
		{pscsim.JWKSServerError, 500, jwksPage, 200},
		{pscsim.TokenServerError, 500, tokenPage, 200},
		{pscsim.TokenGarbage, 200, tokenPage, 200},
		{pscsim.UserinfoServerError, 503, userinfoPage, 200},
		{pscsim.UserinfoGarbage, 200, userinfoPage, 200},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			t.Parallel()
			e := start(t)
			e.p.Misbehave(clientID, tc.fault, false)
			pg := tc.call(t, e)
			if pg.status != tc.status || (tc.status == 200 && !strings.HasPrefix(pg.body, "<html>")) {
				t.Errorf("faulty answer: %d %.80s", pg.status, pg.body)
			}
			if pg := tc.call(t, e); pg.status != tc.soundStatus || strings.HasPrefix(pg.body, "<html>") {
				t.Errorf("the next answer: %d %.80s", pg.status, pg.body)
			}
		})
	}
}

func discovery(t *testing.T, e *env) page {
	return get(t, e.issuer+"/.well-known/wallet-openid-configuration")
}

func jwksPage(t *testing.T, e *env) page { return get(t, e.issuer+"/protocol/openid-connect/certs") }

func tokenPage(t *testing.T, e *env) page {
	t.Helper()
	code := e.code(t)
	req, _ := http.NewRequest(http.MethodPost, e.issuer+"/protocol/openid-connect/token",
		strings.NewReader(form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(clientID, "rp-secret%23%2B%26")
	return do(t, req)
}

func userinfoPage(t *testing.T, e *env) page {
	t.Helper()
	// The token is taken before the fault can fire on it.
	return e.userinfo(t, e.tokens(t, e.code(t))["access_token"].(string))
}

// A slow answer waits SlowDelay, unless the caller gives up first.
func TestSlowFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault pscsim.Fault
		path  string
	}{
		{pscsim.SlowDiscovery, "/.well-known/openid-configuration"},
		{pscsim.SlowUserinfo, "/protocol/openid-connect/userinfo"},
		{pscsim.SlowToken, "/protocol/openid-connect/token"},
	} {
		t.Run(tc.fault.String(), func(t *testing.T) {
			t.Parallel()
			e := start(t, func(c *pscsim.Config) { c.SlowDelay = 300 * time.Millisecond })
			e.p.Misbehave(clientID, tc.fault, true)
			var tok map[string]any
			if tc.fault == pscsim.SlowUserinfo {
				tok = e.tokens(t, e.code(t))
			}
			call := func(ctx context.Context) (time.Duration, error) {
				method := http.MethodGet
				if tc.fault == pscsim.SlowToken {
					method = http.MethodPost
				}
				req, _ := http.NewRequestWithContext(ctx, method, e.issuer+tc.path, nil)
				req.SetBasicAuth(clientID, "rp-secret%23%2B%26")
				if tok != nil {
					req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
				}
				begin := time.Now()
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					resp.Body.Close()
				}
				return time.Since(begin), err
			}
			if took, err := call(context.Background()); err != nil || took < 300*time.Millisecond {
				t.Errorf("slow answer came after %s (%v)", took, err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			if took, err := call(ctx); err == nil || took > 250*time.Millisecond {
				t.Errorf("the caller's deadline was not honoured: %s, %v", took, err)
			}
		})
	}
}

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	e := start(t)
	before := e.jwks(t).Keys[0].KeyID
	if err := e.p.RotateKey(true); err != nil {
		t.Fatal(err)
	}
	set := e.jwks(t)
	_, kid, verified := e.inspect(t, e.tokens(t, e.code(t))["id_token"].(string))
	if len(set.Keys) != 2 || set.Keys[0].KeyID == before || set.Keys[1].KeyID != before || kid != set.Keys[0].KeyID || !verified {
		t.Errorf("after rotation keeping the old key: %d keys, signed with %q", len(set.Keys), kid)
	}
	if err := e.p.RotateKey(false); err != nil {
		t.Fatal(err)
	}
	set = e.jwks(t)
	_, kid, _ = e.inspect(t, e.tokens(t, e.code(t))["id_token"].(string))
	if len(set.Keys) != 1 || kid != set.Keys[0].KeyID {
		t.Errorf("after rotation dropping the old keys: %d keys, signed with %q", len(set.Keys), kid)
	}
}
