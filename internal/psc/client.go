package psc

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/sync/singleflight"
)

// maxAnswer bounds what is read of any provider answer.
const maxAnswer = 1 << 20

// Client signs professionals in with Pro Santé Connect. It contacts the
// provider only when first used, so that a provider down at start-up does
// not stop the portal; a failed discovery is tried again on the next use.
// Safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client

	flight    singleflight.Group // one discovery at a time, shared by its waiters
	mu        sync.Mutex
	endpoints *endpoints
}

// endpoints is what discovery (or the configuration) gave.
type endpoints struct {
	oauth      oauth2.Config
	userinfo   string
	endSession string
	jwks       string
	// ciba is the backchannel authentication endpoint ("" when neither
	// discovery nor the fallback names one).
	ciba     string
	keys     *keySet
	verifier *oidc.IDTokenVerifier
	// requireIss: the authorization response must carry iss (RFC 9207).
	requireIss bool
	// discovered: the discovery document was read (and its issuer matched).
	discovered bool
}

// New checks cfg and builds the client; it does not contact the provider.
// base is the HTTP client to start from (nil for a new one): its timeout is
// capped at cfg.HTTPTimeout, and its transport presents the client
// certificate when one is configured.
func New(cfg Config, base *http.Client) (*Client, error) {
	cfg = cfg.withDefaults()
	if errs := cfg.Validate(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	hc, err := httpClient(cfg, base)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, http: hc}, nil
}

// httpClient is a copy of base bounded by the timeout, with the client
// certificate (mTLS, tls_client_auth) when configured. Every call to the
// provider goes through it — discovery and the JWKS as well as token and
// userinfo: presenting the certificate on the anonymous documents is
// harmless, and one client is simpler to reason about (and to probe, in
// `infopatient check`) than two.
func httpClient(cfg Config, base *http.Client) (*http.Client, error) {
	// A redirect is never followed: it would carry the client's
	// credentials to whoever it names.
	hc := &http.Client{Timeout: cfg.HTTPTimeout, CheckRedirect: refuseRedirect}
	if base != nil {
		copied := *base
		copied.CheckRedirect = refuseRedirect
		hc = &copied
		if hc.Timeout == 0 || hc.Timeout > cfg.HTTPTimeout {
			hc.Timeout = cfg.HTTPTimeout
		}
	}
	if cfg.ClientCertFile == "" {
		return hc, nil
	}
	cert, err := loadClientCertificate(cfg)
	if err != nil {
		return nil, err
	}
	var tr *http.Transport
	switch t := hc.Transport.(type) {
	case nil:
		tr = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		tr = t.Clone()
	default:
		return nil, fmt.Errorf("psc: a client certificate needs an *http.Transport, the base client has a %T", t)
	}
	if tr.TLSClientConfig == nil {
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	tr.TLSClientConfig.Certificates = []tls.Certificate{cert}
	hc.Transport = tr
	return hc, nil
}

// HTTPClient is the client every call to the provider goes through (the
// client certificate included), for `infopatient check` to probe with.
func (c *Client) HTTPClient() *http.Client { return c.http }

// Issuer is the provider's issuer.
func (c *Client) Issuer() string { return c.cfg.Issuer }

// Config returns the effective configuration (for `infopatient check`). It
// holds the client secret: mask it before showing it.
func (c *Client) Config() Config { return c.cfg }

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

// bounded keeps a caller's context but caps it with the HTTP timeout, and
// makes x/oauth2 use the client's HTTP client.
func (c *Client) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.http)
	return context.WithTimeout(ctx, c.cfg.HTTPTimeout)
}
