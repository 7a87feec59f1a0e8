package pscsim_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// TestStandardClientSignsIn proves the simulator is a standard provider:
// golang.org/x/oauth2 and go-oidc alone, no InfoPatient code, from
// discovery to a refreshed token.
func TestStandardClientSignsIn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		client string
		asJWT  bool
	}{{clientID, false}, {jwtClientID, true}} {
		t.Run(tc.client, func(t *testing.T) {
			t.Parallel()
			e := start(t)
			ctx := oidc.ClientContext(context.Background(), http.DefaultClient)
			provider, err := oidc.NewProvider(ctx, e.issuer)
			if err != nil {
				t.Fatal(err)
			}
			conf := oauth2.Config{ClientID: tc.client, ClientSecret: secret, Endpoint: provider.Endpoint(), RedirectURL: redirect,
				Scopes: []string{oidc.ScopeOpenID, "scope_all"}}
			verifier := oauth2.GenerateVerifier()
			authURL := conf.AuthCodeURL("st4te", oidc.Nonce("n0nce"), oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("acr_values", "eidas2"))
			back := e.choose(t, pendingFrom(t, authURL), virginie, pscsim.CardCode, "sign-in").location(t).Query()
			if back.Get("state") != "st4te" || back.Get("iss") != e.issuer || back.Get("code") == "" {
				t.Fatalf("redirect back %v", back)
			}

			tok, err := conf.Exchange(ctx, back.Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := tok.Extra("id_token").(string)
			idt, err := provider.Verifier(&oidc.Config{ClientID: tc.client, Now: e.clock.Now}).Verify(ctx, raw)
			if err != nil {
				t.Fatal(err)
			}
			if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
				t.Errorf("at_hash: %v", err)
			}
			var claims map[string]any
			_ = idt.Claims(&claims)
			if claims["nonce"] != "n0nce" || claims["acr"] != "eidas2" || claims["preferred_username"] != virginie || claims["sid"] == "" ||
				claims["azp"] != tc.client || claims["auth_time"] == nil || !strings.HasPrefix(idt.Subject, "f:") || !strings.HasSuffix(idt.Subject, ":"+virginie) {
				t.Errorf("ID token claims %v", claims)
			}
			if left := time.Until(tok.Expiry); left > 121*time.Second || left < 100*time.Second || tok.RefreshToken == "" || tok.TokenType != "Bearer" {
				t.Errorf("access token lifetime %s, refresh %q, type %q", left, tok.RefreshToken, tok.TokenType)
			}

			info := standardUserinfo(t, ctx, provider, tok, tc.asJWT, e.issuer)
			if info["sub"] != idt.Subject || info["SubjectNameID"] != virginie || info["SubjectRefPro"] == nil || info["otherIds"] == nil {
				t.Errorf("userinfo %v", info)
			}

			// The refresh token rotates: the new one works, the old one no more.
			next, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Hour)}).Token()
			if err != nil || next.RefreshToken == tok.RefreshToken || next.AccessToken == tok.AccessToken {
				t.Fatalf("refresh: %v", err)
			}
			if _, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Hour)}).Token(); err == nil {
				t.Error("a used refresh token worked again")
			}
			if raw, _ := next.Extra("id_token").(string); raw == "" {
				t.Error("no ID token on refresh")
			} else if rid, err := provider.Verifier(&oidc.Config{ClientID: tc.client, Now: e.clock.Now}).Verify(ctx, raw); err != nil || rid.Subject != idt.Subject || rid.Nonce != "" {
				t.Errorf("refreshed ID token: %v", err)
			}
		})
	}
}

// standardUserinfo reads userinfo as go-oidc does for JSON; for a signed
// answer it checks the signature with the provider's published keys.
func standardUserinfo(t *testing.T, ctx context.Context, provider *oidc.Provider, tok *oauth2.Token, asJWT bool, issuer string) map[string]any {
	t.Helper()
	info := map[string]any{}
	if !asJWT {
		ui, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			t.Fatal(err)
		}
		if err := ui.Claims(&info); err != nil {
			t.Fatal(err)
		}
		return info
	}
	req, _ := http.NewRequest(http.MethodGet, provider.UserInfoEndpoint(), nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Header.Get("Content-Type") != "application/jwt" {
		t.Fatalf("userinfo content type %q", resp.Header.Get("Content-Type"))
	}
	var doc struct {
		JWKS string `json:"jwks_uri"`
	}
	_ = provider.Claims(&doc)
	payload, err := oidc.NewRemoteKeySet(ctx, doc.JWKS).VerifySignature(ctx, string(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(payload, &info); err != nil {
		t.Fatal(err)
	}
	if info["iss"] != issuer || info["aud"] != jwtClientID {
		t.Errorf("signed userinfo iss %v aud %v", info["iss"], info["aud"])
	}
	return info
}

// pendingFrom opens an authorization URL built by a standard client.
func pendingFrom(t *testing.T, authURL string) string {
	t.Helper()
	pg := get(t, authURL)
	m := pendingRE.FindStringSubmatch(pg.body)
	if pg.status != http.StatusOK || m == nil {
		t.Fatalf("e-CPS page: %d %.300s", pg.status, pg.body)
	}
	return m[1]
}
