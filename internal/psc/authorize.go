package psc

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// pkceVerifier is RFC 7636's shape for a code verifier (what
// oauth2.GenerateVerifier makes).
var pkceVerifier = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// AuthCodeURL is where the browser goes to sign in: state, nonce, PKCE
// S256 challenge of codeVerifier and the requested acr; opts add
// parameters (ui_locales...).
func (c *Client) AuthCodeURL(ctx context.Context, state, nonce, codeVerifier string, opts ...oauth2.AuthCodeOption) (string, error) {
	if state == "" || nonce == "" || !pkceVerifier.MatchString(codeVerifier) {
		return "", errors.New("psc: a state, a nonce and an RFC 7636 code verifier are required")
	}
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	ep, err := c.discover(ctx)
	if err != nil {
		return "", err
	}
	opts = append([]oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(codeVerifier),
		oauth2.SetAuthURLParam("acr_values", c.cfg.ACRValues)}, opts...)
	return ep.oauth.AuthCodeURL(state, opts...), nil
}

// UILocales asks the provider's pages to speak the portal's language
// (OpenID Connect Core 3.1.2.1).
func UILocales(tags ...string) oauth2.AuthCodeOption {
	return oauth2.SetAuthURLParam("ui_locales", strings.Join(tags, " "))
}
