// Package hin is a client of HIN's OAuth2 (Health Info Net, the Swiss
// healthcare identity network): the grant flow in its redirect and
// manual variants, refresh with rotation, and the client-credentials
// flow. HIN is plain OAuth2: the user's identity is the hin_id field of
// the token answer. UserTokens and ServiceTokens keep tokens encrypted in
// a TokenStore and hand them out to callers such as the Covercard client,
// refreshing each one once however many requests need it.
//
// Like psc and covercard, it can be copied into another program: of
// InfoPatient it imports secretbox alone, which goes with it. What it has
// in common with psc (CallbackError, sharedFlight) is written again here
// on purpose.
package hin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Client talks to HIN's authorize and token endpoints. It is safe for
// concurrent use.
type Client struct {
	cfg   Config
	oauth oauth2.Config
	http  *http.Client
}

// New returns a client; empty fields of cfg take Preset's values. base
// carries the transport (proxy, TLS) and may be nil; it is not modified.
// Check cfg with Validate first: New does not.
func New(cfg Config, base *http.Client) *Client {
	cfg = cfg.withDefaults()
	if base == nil {
		base = http.DefaultClient
	}
	return &Client{
		cfg:  cfg,
		http: acceptingJSON(base),
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			RedirectURL:  cfg.RedirectURL,
			Endpoint: oauth2.Endpoint{
				AuthURL:  withTokenGroup(cfg.AuthorizeURL, cfg.TokenGroup),
				TokenURL: cfg.TokenURL,
				// HIN's documents send the client's id and secret in the
				// form; auto-detection would spend a single-use code on a
				// first try with Basic authentication.
				AuthStyle: oauth2.AuthStyleInParams,
			},
		},
	}
}

// withTokenGroup appends the token group as a path segment.
func withTokenGroup(endpoint, tokenGroup string) string {
	return strings.TrimSuffix(endpoint, "/") + "/" + url.PathEscape(tokenGroup)
}

// TokenURL is the token endpoint, before the token group is appended.
func (c *Client) TokenURL() string { return c.cfg.TokenURL }

// TokenGroup is the token group the client asks for.
func (c *Client) TokenGroup() string { return c.cfg.TokenGroup }

// AuthCodeURL is where to send the browser for the redirect variant:
// GetAuthCode/<TokenGroup>?response_type=code&client_id&redirect_uri&state.
// opts may add parameters (e.g. oauth2.S256ChallengeOption, if HIN
// supports PKCE for the application).
func (c *Client) AuthCodeURL(state string, opts ...oauth2.AuthCodeOption) string {
	return c.oauth.AuthCodeURL(state, opts...)
}

// ForTokenGroup is a client like c for another token group: HIN's tokens
// are per token group, so reading the directory (hin_sds) takes a second
// authorization of the same application, GetAuthCode/hin_sds, whose code
// is exchanged at the same token endpoint. c is not modified.
func (c *Client) ForTokenGroup(tokenGroup string) *Client {
	cp := *c
	cp.cfg.TokenGroup = tokenGroup
	cp.oauth.Endpoint.AuthURL = withTokenGroup(c.cfg.AuthorizeURL, tokenGroup)
	return &cp
}

// ManualCodeURL is the page where the user copies a code by hand.
func (c *Client) ManualCodeURL() string {
	return strings.ReplaceAll(c.cfg.ManualURL, tokenGroupPlaceholder, url.QueryEscape(c.cfg.TokenGroup))
}

// Exchange trades a code for tokens. A manual code (copied from HIN's
// page) is sent with an empty redirect_uri, as HIN requires.
func (c *Client) Exchange(ctx context.Context, code string, manual bool, opts ...oauth2.AuthCodeOption) (*Token, error) {
	const op = OpExchange
	if code == "" {
		return nil, &TokenError{Op: op, kinds: []error{ErrRejected}, cause: errors.New("empty code")}
	}
	if manual {
		opts = append(opts, oauth2.SetAuthURLParam("redirect_uri", ""))
	}
	ctx, cancel := c.requestContext(ctx)
	defer cancel()
	t, err := c.oauth.Exchange(ctx, code, opts...)
	return c.result(op, t, err)
}

// Refresh trades a refresh token for new tokens. HIN rotates refresh
// tokens: use the returned one from now on (it is the old one when HIN
// sends none). A refused refresh token (400 or 403, or invalid_grant)
// gives ErrInvalidGrant.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (*Token, error) {
	const op = OpRefresh
	if refreshToken == "" {
		return nil, &TokenError{Op: op, kinds: []error{ErrInvalidGrant}, cause: errors.New("no refresh token")}
	}
	ctx, cancel := c.requestContext(ctx)
	defer cancel()
	t, err := c.oauth.TokenSource(ctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
	return c.result(op, t, err)
}

// ClientCredentials asks for a device's token for tokenGroup. HIN allows
// about one such request every 3.4 s per secret: callers cache (see
// ServiceTokens).
func (c *Client) ClientCredentials(ctx context.Context, clientID, secret, tokenGroup string) (*Token, error) {
	const op = OpClientCredentials
	cc := clientcredentials.Config{
		ClientID:     clientID,
		ClientSecret: secret,
		TokenURL:     withTokenGroup(c.cfg.TokenURL, tokenGroup),
		AuthStyle:    oauth2.AuthStyleInParams,
	}
	ctx, cancel := c.requestContext(ctx)
	defer cancel()
	t, err := cc.Token(ctx)
	return c.result(op, t, err)
}

// acceptingJSON is a copy of base whose requests say Accept:
// application/json, as HIN's documents do on every token request:
// x/oauth2 sets only the Content-Type.
func acceptingJSON(base *http.Client) *http.Client {
	// A redirect is never followed: a 307 would re-post client_secret.
	c := *base
	c.CheckRedirect = refuseRedirect
	next := base.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = acceptJSON{next}
	return &c
}

type acceptJSON struct{ next http.RoundTripper }

func (t acceptJSON) RoundTrip(r *http.Request) (*http.Response, error) {
	// A RoundTripper must not change the caller's request: clone it.
	r = r.Clone(r.Context())
	r.Header.Set("Accept", "application/json")
	return t.next.RoundTrip(r)
}

func (c *Client) requestContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.http)
	return context.WithTimeout(ctx, c.cfg.HTTPTimeout)
}

// defaultLifetime dates a token whose answer has no expires_in: HIN's
// documented access token lifetime. A shorter real one is caught by the
// protected application's 401 and a refresh.
const defaultLifetime = time.Hour

// maxTokenBytes bounds a token: it travels in an Authorization header.
const maxTokenBytes = 8 << 10

// result turns x/oauth2's answer into a Token or a categorised error.
func (c *Client) result(op Op, t *oauth2.Token, err error) (tok *Token, rerr error) {
	if c.cfg.Observe != nil {
		defer func() { c.cfg.Observe(op, rerr) }()
	}
	if err != nil {
		return nil, classify(op, err)
	}
	if !usableToken(t.AccessToken) || (t.RefreshToken != "" && !usableToken(t.RefreshToken)) {
		return nil, unavailable(op, "unusable token in the answer")
	}
	if t.TokenType != "" && !strings.EqualFold(t.TokenType, "bearer") {
		return nil, unavailable(op, "token type is not Bearer")
	}
	lifetime := time.Duration(t.ExpiresIn) * time.Second
	switch {
	case t.ExpiresIn > 0:
	case !t.Expiry.IsZero():
		// x/oauth2 dated a form-encoded answer on the real clock.
		lifetime = time.Until(t.Expiry).Round(time.Second)
	default:
		lifetime = defaultLifetime
	}
	hinID, _ := t.Extra("hin_id").(string)
	return &Token{
		AccessToken:  t.AccessToken,
		RefreshToken: t.RefreshToken,
		Expiry:       c.cfg.Now().Add(lifetime),
		HINID:        hinID,
	}, nil
}

// usableToken refuses what cannot go in a header or a form: empty,
// oversized, spaces or control characters.
func usableToken(s string) bool {
	if s == "" || len(s) > maxTokenBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// classify sorts a failed token request. Nothing of the answer's body is
// kept: a server may echo the request, secret included.
func classify(op Op, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		var ue *url.Error
		if errors.As(err, &ue) {
			return &TokenError{Op: op, kinds: []error{ErrUnavailable}, cause: ue}
		}
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return &TokenError{Op: op, kinds: []error{ErrUnavailable}, cause: err}
		}
		// x/oauth2's parse errors quote bits of the body: say less.
		return unavailable(op, "unreadable answer")
	}
	e := &TokenError{Op: op, Code: cleanCode(re.ErrorCode)}
	if re.Response != nil {
		e.StatusCode = re.Response.StatusCode
	}
	status := e.StatusCode
	switch {
	case status == http.StatusTooManyRequests:
		e.kinds = []error{ErrUnavailable, ErrRateLimited}
		if re.Response != nil {
			e.RetryAfter = retryAfter(re.Response.Header.Get("Retry-After"))
		}
	case status >= 500:
		e.kinds = []error{ErrUnavailable}
	case re.ErrorCode == "invalid_grant":
		e.kinds = []error{ErrInvalidGrant}
	case op == OpRefresh && (status == http.StatusBadRequest || status == http.StatusForbidden):
		// HIN: a failed refresh (400/403) means signing in again.
		e.kinds = []error{ErrInvalidGrant}
	case status >= 400 || (status >= 200 && status < 300):
		e.kinds = []error{ErrRejected}
	default:
		e.kinds = []error{ErrUnavailable}
	}
	return e
}

// retryAfter reads a Retry-After in seconds (HTTP dates are not expected
// from a token endpoint), capped at a minute.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, time.Minute)
}
