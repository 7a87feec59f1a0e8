package psc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// discover returns the endpoints, fetching the discovery document once.
// Callers arriving while it is fetched wait for that one answer (or their
// own deadline) instead of each trying in turn.
func (c *Client) discover(ctx context.Context) (*endpoints, error) {
	c.mu.Lock()
	ep := c.endpoints
	c.mu.Unlock()
	if ep != nil {
		return ep, nil
	}
	// hin's sharedFlight, copied: each client package stands on its own.
	answer := c.flight.DoChan("discovery", func() (any, error) {
		// A flight may have ended between the check above and this one:
		// its endpoints are kept, and not fetched again.
		c.mu.Lock()
		done := c.endpoints
		c.mu.Unlock()
		if done != nil {
			return done, nil
		}
		// Not bound to the first caller: its going away must not fail the
		// others waiting for the same answer.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.HTTPTimeout)
		defer cancel()
		ep, err := c.buildEndpoints(ctx)
		if err == nil {
			c.mu.Lock()
			c.endpoints = ep
			c.mu.Unlock()
		}
		return ep, err
	})
	select {
	case r := <-answer:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*endpoints), nil
	case <-ctx.Done():
		// The next caller starts afresh rather than joining an attempt
		// that has outlived this one's patience.
		c.flight.Forget("discovery")
		return nil, fmt.Errorf("%w: discovery: %v", ErrUnavailable, ctx.Err())
	}
}

// buildEndpoints takes the configured endpoints, discovers the others
// and falls back on Config.Fallback for what discovery lacks, then hands
// them to go-oidc (whose own discovery reads only
// /.well-known/openid-configuration, not PSC's document).
func (c *Client) buildEndpoints(ctx context.Context) (*endpoints, error) {
	doc := discoveryDocument{
		Issuer: c.cfg.Issuer, AuthURL: c.cfg.AuthURL, TokenURL: c.cfg.TokenURL,
		UserinfoURL: c.cfg.UserinfoURL, JWKSURL: c.cfg.JWKSURL, EndSessionURL: c.cfg.EndSessionURL,
	}
	requireIss, discovered := false, false
	// Like mod_auth_openidc, every endpoint may be given: then no
	// discovery is needed at all. A fallback is no reason to skip it: the
	// document is where the issuer is confirmed.
	if doc.AuthURL == "" || doc.TokenURL == "" || doc.JWKSURL == "" || doc.UserinfoURL == "" {
		found, err := c.fetchDiscovery(ctx)
		if err != nil {
			return nil, err
		}
		// RFC 9207 2.4: a provider that says it sends iss must send it. The
		// promise is about its own authorization endpoint: PSC's real one
		// is configured apart, on the wallet host, and is not held to it.
		requireIss = found.IssParameter == true && doc.AuthURL == ""
		doc, discovered = doc.orElse(found), true
	}
	fb := c.cfg.Fallback
	doc = doc.orElse(discoveryDocument{AuthURL: fb.Auth, TokenURL: fb.Token, UserinfoURL: fb.Userinfo, JWKSURL: fb.JWKS, EndSessionURL: fb.EndSession, CIBAURL: fb.CIBA})
	if err := doc.usable(); err != nil {
		return nil, err
	}
	style := oauth2.AuthStyleInHeader
	if c.cfg.AuthMethod == "post" || c.cfg.ClientSecret == "" {
		// Without a secret the certificate alone authenticates the client
		// (RFC 8705 tls_client_auth): client_id goes in the form, and no
		// Basic header carries an empty secret.
		style = oauth2.AuthStyleInParams
	}
	// The key set outlives the request that created it: it fetches the keys
	// again when a token names an unknown one (key rotation).
	keyCtx := oidc.ClientContext(context.Background(), c.http)
	provider := (&oidc.ProviderConfig{
		IssuerURL: c.cfg.Issuer, AuthURL: doc.AuthURL, TokenURL: doc.TokenURL,
		UserInfoURL: doc.UserinfoURL, JWKSURL: doc.JWKSURL, Algorithms: []string{oidc.RS256},
	}).NewProvider(keyCtx)
	endpoint := provider.Endpoint()
	endpoint.AuthStyle = style
	keys := &keySet{remote: oidc.NewRemoteKeySet(keyCtx, doc.JWKSURL)}
	return &endpoints{
		oauth: oauth2.Config{
			ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, RedirectURL: c.cfg.RedirectURL,
			Scopes: c.cfg.Scopes, Endpoint: endpoint,
		},
		userinfo:   doc.UserinfoURL,
		endSession: doc.EndSessionURL,
		jwks:       doc.JWKSURL,
		ciba:       doc.CIBAURL,
		keys:       keys,
		verifier: oidc.NewVerifier(c.cfg.Issuer, keys, &oidc.Config{
			ClientID: c.cfg.ClientID, SupportedSigningAlgs: []string{oidc.RS256}, Now: c.cfg.Now,
		}),
		requireIss: requireIss,
		discovered: discovered,
	}, nil
}

type discoveryDocument struct {
	Issuer        string `json:"issuer"`
	AuthURL       string `json:"authorization_endpoint"`
	TokenURL      string `json:"token_endpoint"`
	UserinfoURL   string `json:"userinfo_endpoint"`
	JWKSURL       string `json:"jwks_uri"`
	EndSessionURL string `json:"end_session_endpoint"`
	CIBAURL       string `json:"backchannel_authentication_endpoint"`
	// IssParameter is any JSON value: only a true boolean counts.
	IssParameter any `json:"authorization_response_iss_parameter_supported"`
}

// orElse keeps configured endpoints and takes the others from found.
func (d discoveryDocument) orElse(found discoveryDocument) discoveryDocument {
	pick := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	return discoveryDocument{
		Issuer: d.Issuer, AuthURL: pick(d.AuthURL, found.AuthURL), TokenURL: pick(d.TokenURL, found.TokenURL),
		UserinfoURL: pick(d.UserinfoURL, found.UserinfoURL), JWKSURL: pick(d.JWKSURL, found.JWKSURL),
		EndSessionURL: pick(d.EndSessionURL, found.EndSessionURL), CIBAURL: pick(d.CIBAURL, found.CIBAURL),
	}
}

// usable checks the endpoints a sign-in needs.
func (d discoveryDocument) usable() error {
	for _, e := range []struct{ name, url string }{
		{"authorization", d.AuthURL}, {"token", d.TokenURL}, {"JWKS", d.JWKSURL}, {"userinfo", d.UserinfoURL},
	} {
		if u, err := url.Parse(e.url); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return fmt.Errorf("%w: discovery document lacks a usable %s endpoint", ErrUnavailable, e.name)
		}
	}
	return nil
}

func (c *Client) fetchDiscovery(ctx context.Context) (discoveryDocument, error) {
	var doc discoveryDocument
	body, _, err := c.get(ctx, c.cfg.DiscoveryURL, "")
	if err != nil {
		return doc, classifyDiscovery(err)
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return doc, fmt.Errorf("%w: discovery document is not JSON", ErrUnavailable)
	}
	// The document must describe the provider we trust, not another one.
	if doc.Issuer != c.cfg.Issuer {
		return doc, fmt.Errorf("%w: discovery names issuer %q, configured %q", ErrRejected, clip(doc.Issuer), c.cfg.Issuer)
	}
	return doc, nil
}

// classifyDiscovery: a discovery document that cannot be had is always
// an unavailable provider (even a 404: a proxy in maintenance answers so),
// so that the portal says "try again later", not "refused".
func classifyDiscovery(err error) error {
	return fmt.Errorf("%w: discovery: %v", ErrUnavailable, scrubURL(err))
}

// Endpoints are a provider's endpoints.
type Endpoints struct {
	Auth, Token, Userinfo, JWKS, EndSession string
	// CIBA is the backchannel authentication endpoint (decoupled sign-in).
	CIBA string
	// Discovered, in what Discover returns, says whether the discovery
	// document was read and its issuer confirmed; false when every
	// endpoint is configured and no document was needed.
	Discovered bool
}

// Discover returns the effective endpoints, fetching discovery if needed
// (`infopatient check` shows them and says whether it did).
func (c *Client) Discover(ctx context.Context) (Endpoints, error) {
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	ep, err := c.discover(ctx)
	if err != nil {
		return Endpoints{}, err
	}
	return Endpoints{Auth: ep.oauth.Endpoint.AuthURL, Token: ep.oauth.Endpoint.TokenURL, Userinfo: ep.userinfo, JWKS: ep.jwks, EndSession: ep.endSession,
		CIBA: ep.ciba, Discovered: ep.discovered}, nil
}
