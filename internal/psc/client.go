package psc

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// maxAnswer bounds what is read of any provider answer.
const maxAnswer = 1 << 20

// Client signs professionals in with Pro Santé Connect. It contacts the
// provider only when first used, so that a provider down at start-up does
// not stop the portal; a failed discovery is retried on the next use.
type Client struct {
	cfg  Config
	http *http.Client

	mu        sync.Mutex
	endpoints *endpoints
}

// endpoints is what discovery (or the configuration) gave.
type endpoints struct {
	oauth      oauth2.Config
	userinfo   string
	endSession string
	jwks       string
	keys       *oidc.RemoteKeySet
	verifier   *oidc.IDTokenVerifier
}

// New checks cfg and builds the client. base is the HTTP client to start
// from (nil for a new one); its transport gains the client certificate when
// one is configured.
func New(cfg Config, base *http.Client) (*Client, error) {
	cfg = cfg.withDefaults()
	if errs := cfg.Validate(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	hc := &http.Client{Timeout: cfg.HTTPTimeout}
	if base != nil {
		copied := *base
		hc = &copied
		if hc.Timeout == 0 || hc.Timeout > cfg.HTTPTimeout {
			hc.Timeout = cfg.HTTPTimeout
		}
	}
	if cfg.ClientCertFile != "" {
		cert, err := tls.LoadX509KeyPair(cfg.ClientCertFile, cfg.ClientKeyFile)
		if err != nil {
			return nil, fmt.Errorf("psc: client certificate: %w", err)
		}
		tr, _ := http.DefaultTransport.(*http.Transport)
		if t, ok := hc.Transport.(*http.Transport); ok {
			tr = t
		}
		tr = tr.Clone()
		if tr.TLSClientConfig == nil {
			tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		tr.TLSClientConfig.Certificates = []tls.Certificate{cert}
		hc.Transport = tr
	}
	return &Client{cfg: cfg, http: hc}, nil
}

// Issuer is the provider's issuer.
func (c *Client) Issuer() string { return c.cfg.Issuer }

// Config returns the effective configuration (for `infopatient check`).
func (c *Client) Config() Config { return c.cfg }

// discover returns the endpoints, fetching the discovery document once.
func (c *Client) discover(ctx context.Context) (*endpoints, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.endpoints != nil {
		return c.endpoints, nil
	}
	doc := discoveryDocument{
		Issuer: c.cfg.Issuer, AuthURL: c.cfg.AuthURL, TokenURL: c.cfg.TokenURL,
		UserinfoURL: c.cfg.UserinfoURL, JWKSURL: c.cfg.JWKSURL, EndSessionURL: c.cfg.EndSessionURL,
	}
	// Like mod_auth_openidc, every endpoint may be given: then no
	// discovery is needed at all.
	if doc.AuthURL == "" || doc.TokenURL == "" || doc.JWKSURL == "" || doc.UserinfoURL == "" {
		found, err := c.fetchDiscovery(ctx)
		if err != nil {
			return nil, err
		}
		doc = doc.orElse(found)
	}
	style := oauth2.AuthStyleInHeader
	if c.cfg.AuthMethod == "post" {
		style = oauth2.AuthStyleInParams
	}
	// The key set outlives the request that created it: it fetches keys
	// again when a token names an unknown key (rotation).
	keyCtx := oidc.ClientContext(context.Background(), c.http)
	keys := oidc.NewRemoteKeySet(keyCtx, doc.JWKSURL)
	c.endpoints = &endpoints{
		oauth: oauth2.Config{
			ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, RedirectURL: c.cfg.RedirectURL, Scopes: c.cfg.Scopes,
			Endpoint: oauth2.Endpoint{AuthURL: doc.AuthURL, TokenURL: doc.TokenURL, AuthStyle: style},
		},
		userinfo:   doc.UserinfoURL,
		endSession: doc.EndSessionURL,
		jwks:       doc.JWKSURL,
		keys:       keys,
		verifier:   oidc.NewVerifier(c.cfg.Issuer, keys, &oidc.Config{ClientID: c.cfg.ClientID, SupportedSigningAlgs: []string{oidc.RS256}}),
	}
	return c.endpoints, nil
}

type discoveryDocument struct {
	Issuer        string `json:"issuer"`
	AuthURL       string `json:"authorization_endpoint"`
	TokenURL      string `json:"token_endpoint"`
	UserinfoURL   string `json:"userinfo_endpoint"`
	JWKSURL       string `json:"jwks_uri"`
	EndSessionURL string `json:"end_session_endpoint"`
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
		EndSessionURL: pick(d.EndSessionURL, found.EndSessionURL),
	}
}

func (c *Client) fetchDiscovery(ctx context.Context) (discoveryDocument, error) {
	var doc discoveryDocument
	body, _, err := c.get(ctx, c.cfg.DiscoveryURL, "")
	if err != nil {
		return doc, fmt.Errorf("%w: discovery: %v", ErrUnavailable, err)
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return doc, fmt.Errorf("%w: discovery document is not JSON", ErrUnavailable)
	}
	// The document must describe the provider we trust, not another one.
	if doc.Issuer != c.cfg.Issuer {
		return doc, fmt.Errorf("%w: discovery names issuer %q, configured %q", ErrRejected, clip(doc.Issuer), c.cfg.Issuer)
	}
	if doc.AuthURL == "" || doc.TokenURL == "" || doc.JWKSURL == "" {
		return doc, fmt.Errorf("%w: discovery document lacks endpoints", ErrUnavailable)
	}
	return doc, nil
}

// get fetches a URL (with a bearer token when given), bounded in time and
// size; a non-2xx answer is an error naming only the status.
func (c *Client) get(ctx context.Context, target, bearer string) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, "", err
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	req.Header.Set("Accept", "application/json, application/jwt")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, "", scrubURL(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, "", scrubURL(err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, "", &statusError{status: resp.StatusCode}
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return body, mt, nil
}

type statusError struct{ status int }

func (e *statusError) Error() string { return fmt.Sprintf("HTTP status %d", e.status) }

// scrubURL keeps query strings (codes, tokens) out of transport errors.
func scrubURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			ue.URL = u.String()
		}
		return ue
	}
	return err
}

// classify maps an error of an outgoing call to ErrUnavailable (network,
// timeout, 5xx, unreadable answer) or ErrRejected (4xx).
func classify(what string, err error) error {
	var se *statusError
	var re *oauth2.RetrieveError
	var ne net.Error
	switch {
	case errors.As(err, &se) && se.status < 500:
		return fmt.Errorf("%w: %s: %v", ErrRejected, what, se)
	case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500:
		return fmt.Errorf("%w: %s: HTTP status %d, error %q", ErrRejected, what, re.Response.StatusCode, clip(re.ErrorCode))
	case errors.As(err, &re) && re.Response != nil:
		return fmt.Errorf("%w: %s: HTTP status %d", ErrUnavailable, what, re.Response.StatusCode)
	case errors.As(err, &ne):
		return fmt.Errorf("%w: %s: %v", ErrUnavailable, what, scrubURL(err))
	}
	return fmt.Errorf("%w: %s: %v", ErrUnavailable, what, scrubURL(err))
}

// bounded keeps a caller's context but caps it with the HTTP timeout.
func (c *Client) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.http)
	return context.WithTimeout(ctx, c.cfg.HTTPTimeout)
}

// AuthCodeURL is where the browser goes to sign in: state, nonce, PKCE
// S256 challenge and the requested acr; opts add parameters (ui_locales).
func (c *Client) AuthCodeURL(ctx context.Context, state, nonce, codeVerifier string, opts ...oauth2.AuthCodeOption) (string, error) {
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

// LogoutURL is the provider's end-session URL for RP-initiated logout.
func (c *Client) LogoutURL(ctx context.Context, rawIDToken, state string) (string, error) {
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	ep, err := c.discover(ctx)
	if err != nil {
		return "", err
	}
	if ep.endSession == "" {
		return "", fmt.Errorf("%w: the provider has no end-session endpoint", ErrUnavailable)
	}
	u, err := url.Parse(ep.endSession)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("id_token_hint", rawIDToken)
	q.Set("client_id", c.cfg.ClientID)
	if c.cfg.PostLogoutRedirectURL != "" {
		q.Set("post_logout_redirect_uri", c.cfg.PostLogoutRedirectURL)
	}
	q.Set("state", state)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Endpoints are the provider's effective endpoints.
type Endpoints struct {
	Auth, Token, Userinfo, JWKS, EndSession string
}

// Discover returns the effective endpoints, fetching discovery if needed
// (`infopatient check` shows them).
func (c *Client) Discover(ctx context.Context) (Endpoints, error) {
	ctx, cancel := c.bounded(ctx)
	defer cancel()
	ep, err := c.discover(ctx)
	if err != nil {
		return Endpoints{}, err
	}
	return Endpoints{Auth: ep.oauth.Endpoint.AuthURL, Token: ep.oauth.Endpoint.TokenURL, Userinfo: ep.userinfo, JWKS: ep.jwks, EndSession: ep.endSession}, nil
}
