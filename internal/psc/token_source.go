package psc

import (
	"context"

	"golang.org/x/oauth2"
)

// SessionTokens are one sign-in's tokens, as a source for API clients.
type SessionTokens struct {
	k            *TokenKeeper
	sessionToken string
}

// For is the token source of the sign-in behind a local session.
func (k *TokenKeeper) For(sessionToken string) SessionTokens {
	return SessionTokens{k: k, sessionToken: sessionToken}
}

// Token returns a fresh access token (see TokenKeeper.Token).
func (s SessionTokens) Token(ctx context.Context) (string, error) {
	return s.k.Token(ctx, s.sessionToken)
}

// Refresh replaces an access token an API refused (see TokenKeeper.Refresh).
func (s SessionTokens) Refresh(ctx context.Context, rejected string) (string, error) {
	return s.k.Refresh(ctx, s.sessionToken, rejected)
}

// OAuth2 adapts the source to x/oauth2 (oauth2.NewClient), for the
// requests made under ctx.
func (s SessionTokens) OAuth2(ctx context.Context) oauth2.TokenSource {
	return oauth2Source{ctx: ctx, s: s}
}

type oauth2Source struct {
	ctx context.Context
	s   SessionTokens
}

func (o oauth2Source) Token() (*oauth2.Token, error) {
	access, err := o.s.Token(o.ctx)
	if err != nil {
		return nil, err
	}
	// No expiry: the keeper decides when to refresh, on each call.
	return &oauth2.Token{AccessToken: access, TokenType: "Bearer"}, nil
}
