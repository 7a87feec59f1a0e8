package psc

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"golang.org/x/oauth2"
)

// Login is a verified sign-in.
type Login struct {
	RawIDToken string // kept for RP-initiated logout (id_token_hint); never log it
	Subject    string // sub, opaque ("f:<uuid>:<idNat>")
	SID        string // the provider session, for back-channel logout
	ACR        string // the level reached: the one asked for, or above
	// ACRMissing: the ID token carried no acr and ACR is eidas1 by the
	// missing-acr rule (see MissingACRLevel); "Mes informations" says so.
	ACRMissing   bool
	Professional Professional
	// Every claim received, for "Mes informations".
	IDTokenClaims, UserinfoClaims map[string]any
	// Tokens are the access and refresh tokens, for calls on the
	// professional's behalf (TokenKeeper keeps them sealed); never log
	// them, never put them in the cookie session.
	Tokens Tokens
}

// MissingACRLevel is what an ID token without acr is read as: eidas1,
// the level ANS's own Keycloak connector gives it
// (EidasLevel.getOrDefault(null), after PSC sent such tokens in 2023).
// It is the lowest level, so a missing acr passes only where eidas1 is
// enough (ACRValues eidas1, PSC's only supported request); a client that
// asks for eidas2 or more refuses it, as it refuses any lower level.
const MissingACRLevel = "eidas1"

// acrRank orders PSC's authentication levels; an unknown level ranks 0.
var acrRank = map[string]int{"eidas1": 1, "eidas2": 2, "eidas3": 3}

// Exchange completes a sign-in from the callback's code and iss and the
// login attempt's PKCE verifier and nonce. It checks the callback's iss
// (RFC 9207, mix-up defence: the portal talks to two authorities),
// exchanges the code with the verifier, verifies the ID token (RS256
// signature by a key of the provider, iss, aud, azp, exp, iat, sub, nonce,
// acr at or above the level asked for) and fetches userinfo (JSON, or a
// JWT whose signature is verified) whose sub must be the ID token's.
func (c *Client) Exchange(ctx context.Context, code, codeVerifier, nonce, responseIss string) (*Login, error) {
	if code == "" {
		return nil, fmt.Errorf("%w: the callback carries no code", ErrRejected)
	}
	if responseIss != "" && responseIss != c.cfg.Issuer {
		return nil, fmt.Errorf("%w: the authorization answer comes from issuer %q", ErrRejected, clip(responseIss))
	}
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	ep, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	if responseIss == "" && ep.requireIss {
		return nil, fmt.Errorf("%w: the authorization answer lacks the iss its provider promises", ErrRejected)
	}
	tok, err := ep.oauth.Exchange(ctx, code, oauth2.VerifierOption(codeVerifier))
	if err != nil {
		return nil, classify("token endpoint", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, fmt.Errorf("%w: the token answer has no id_token", ErrRejected)
	}
	claims, err := c.verifyIDToken(ctx, ep, raw, nonce)
	if err != nil {
		return nil, err
	}
	info, err := c.userinfo(ctx, ep, tok.AccessToken)
	if err != nil {
		return nil, err
	}
	return c.login(raw, claims, info, tok)
}

// login assembles a verified sign-in: userinfo's sub must be the ID
// token's.
func (c *Client) login(raw string, claims, info map[string]any, tok *oauth2.Token) (*Login, error) {
	sub, _ := claims["sub"].(string)
	if infoSub, _ := info["sub"].(string); infoSub != sub {
		return nil, fmt.Errorf("%w: userinfo sub differs from the ID token's", ErrRejected)
	}
	sid, _ := claims["sid"].(string)
	acr, missing := receivedACR(claims)
	return &Login{
		RawIDToken: raw, Subject: sub, SID: sid, ACR: acr, ACRMissing: missing,
		Professional:  ProfessionalFromClaims(merge(claims, info)),
		IDTokenClaims: claims, UserinfoClaims: info,
		Tokens: tokensFrom(tok, c.cfg.Now()),
	}, nil
}

// receivedACR is the ID token's acr, or MissingACRLevel when it has none
// (absent, or not a string: JSON null is absent too).
func receivedACR(claims map[string]any) (acr string, missing bool) {
	acr, _ = claims["acr"].(string)
	if acr == "" {
		return MissingACRLevel, true
	}
	return acr, false
}

// verifyIDToken runs go-oidc's checks (signature, alg, iss, aud, exp), then
// those it leaves to the relying party.
func (c *Client) verifyIDToken(ctx context.Context, ep *endpoints, raw, nonce string) (map[string]any, error) {
	vctx, note := noting(ctx)
	idt, err := ep.verifier.Verify(vctx, raw)
	if err != nil {
		return nil, verificationError("ID token", note, err)
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("%w: ID token claims: %v", ErrRejected, err)
	}
	if err := checkIDTokenClaims(claims, idt.Audience, c.cfg.ClientID, nonce, c.cfg.ACRValues); err != nil {
		return nil, err
	}
	return claims, nil
}

// checkIDTokenClaims checks what go-oidc leaves to the relying party.
func checkIDTokenClaims(claims map[string]any, aud []string, clientID, nonce, wantACR string) error {
	if sub, _ := claims["sub"].(string); sub == "" {
		return fmt.Errorf("%w: ID token without sub", ErrRejected)
	}
	if _, ok := claims["iat"].(float64); !ok {
		return fmt.Errorf("%w: ID token without iat", ErrRejected)
	}
	// OpenID Connect Core 3.1.3.7, 4 and 5: a token for several audiences
	// names this client as its authorized party.
	azp, hasAZP := claims["azp"]
	if (len(aud) > 1 || hasAZP) && azp != clientID {
		return fmt.Errorf("%w: ID token authorized party is not this client", ErrRejected)
	}
	if got, _ := claims["nonce"].(string); got != nonce {
		return fmt.Errorf("%w: ID token nonce does not match", ErrRejected)
	}
	acr, missing := receivedACR(claims)
	// At or above the level asked for: rejecting a higher level broke
	// ANS's own connector in production. An unknown level ranks below all;
	// a missing one is MissingACRLevel (eidas1), enough only where eidas1 is.
	if acrRank[acr] < acrRank[wantACR] {
		if missing {
			return fmt.Errorf("%w: ID token without acr (read as %s), below %q", ErrRejected, MissingACRLevel, wantACR)
		}
		return fmt.Errorf("%w: acr %q is below %q", ErrRejected, clip(acr), wantACR)
	}
	return nil
}

// userinfo fetches the professional's attributes, JSON or signed JWT.
func (c *Client) userinfo(ctx context.Context, ep *endpoints, accessToken string) (map[string]any, error) {
	if ep.userinfo == "" {
		return nil, fmt.Errorf("%w: the provider has no userinfo endpoint", ErrUnavailable)
	}
	body, mediaType, err := c.get(ctx, ep.userinfo, accessToken)
	if err != nil {
		return nil, classify("userinfo", err)
	}
	if mediaType == "application/jwt" {
		if body, err = c.verifySignedUserinfo(ctx, ep, string(body)); err != nil {
			return nil, err
		}
	}
	info := map[string]any{}
	if err := json.Unmarshal(body, &info); err != nil {
		return nil, fmt.Errorf("%w: userinfo is neither a JSON object nor a JWT", ErrUnavailable)
	}
	if iss, ok := info["iss"].(string); ok && iss != c.cfg.Issuer {
		return nil, fmt.Errorf("%w: userinfo issued by %q", ErrRejected, clip(iss))
	}
	return info, nil
}

// merge lays userinfo over the ID token's claims.
func merge(idToken, userinfo map[string]any) map[string]any {
	out := make(map[string]any, len(idToken)+len(userinfo))
	maps.Copy(out, idToken)
	maps.Copy(out, userinfo)
	return out
}
