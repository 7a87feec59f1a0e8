package psc

import (
	"context"
	"errors"
	"time"

	"golang.org/x/oauth2"
)

// Tokens are a PSC sign-in's access and refresh tokens. PSC's access
// token lives 2 minutes, its refresh token 30 (authorities-today §1.4):
// a call on the professional's behalf takes the access token from a
// TokenKeeper, which refreshes it first when needed.
type Tokens struct {
	AccessToken   string    `json:"access_token"`
	RefreshToken  string    `json:"refresh_token,omitempty"`
	Expiry        time.Time `json:"expiry"`
	RefreshExpiry time.Time `json:"refresh_expiry,omitzero"` // zero when the provider did not say
}

// freshAt: the access token is usable at now for at least margin more.
func (t Tokens) freshAt(now time.Time, margin time.Duration) bool {
	return t.AccessToken != "" && (t.Expiry.IsZero() || t.Expiry.After(now.Add(margin)))
}

// tokensFrom reads x/oauth2's answer, with Keycloak's refresh_expires_in.
func tokensFrom(tok *oauth2.Token, now time.Time) Tokens {
	if tok == nil {
		return Tokens{}
	}
	t := Tokens{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, Expiry: tok.Expiry}
	if tok.ExpiresIn > 0 {
		// On the client's clock, which checks the ID token too.
		t.Expiry = now.Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
	if secs, ok := tok.Extra("refresh_expires_in").(float64); ok && secs > 0 {
		t.RefreshExpiry = now.Add(time.Duration(secs) * time.Second)
	}
	return t
}

// RefreshMargin: an access token this close to its expiry is refreshed
// before use (a fifth of PSC's 2 minutes: a call made with it still lands
// in time).
const RefreshMargin = 30 * time.Second

// ErrReauthRequired: the sign-in keeps no usable token (none kept, or
// PSC refused the refresh: its session ended). The portal asks the
// professional to sign in with e-CPS again for the action that needed it;
// the portal session itself goes on.
var ErrReauthRequired = errors.New("psc: sign in with Pro Santé Connect again")

// refresh spends a refresh token at the token endpoint with x/oauth2 (the
// client's authentication and certificate included). A refreshed ID
// token, if any, is not needed: the sign-in's own stays the logout hint.
func (c *Client) refresh(ctx context.Context, refreshToken string) (Tokens, error) {
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	ep, err := c.discover(ctx)
	if err != nil {
		return Tokens{}, err
	}
	// Expiry zero: x/oauth2 refreshes a token it believes expired.
	tok, err := ep.oauth.TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		return Tokens{}, classify("token endpoint (refresh)", err)
	}
	return tokensFrom(tok, c.cfg.Now()), nil
}
