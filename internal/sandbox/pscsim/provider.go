// Package pscsim is an offline OpenID Connect provider shaped like Pro
// Santé Connect: the esante-wallet realm's issuer, both discovery names,
// an e-CPS / test CPS card page (card code 1234), the token, userinfo
// (JSON or signed JWT), end-session and back-channel logout endpoints,
// token introspection, decoupled sign-in (CIBA, poll mode) with a page
// standing in for the e-CPS app, PSC's lifetimes (access token 2 min,
// refresh token 30 min, SSO session 4 h or 30 min idle, no logout token
// on expiry), a page of its live sessions from which a presenter signs
// one out, and switches that make it misbehave for the relying party's
// conformance tests. Its pages speak French, German and English. It imports nothing of InfoPatient: it is the other party, and any
// standard OpenID Connect client can sign in with it.
package pscsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Paris wherever the simulator runs

	"github.com/infopatient/infopatient/internal/sandbox/internal/misbehave"
	"github.com/infopatient/infopatient/internal/sandbox/internal/simstyle"
)

// CardCode is the code of every test CPS card, as in ANS's guide.
const CardCode = "1234"

// Lifetimes, as PSC's (authorities-today §1.4): access token 2 min,
// refresh token 30 min, SSO session 4 h or 30 min without use. Those of
// the tokens and the session may be changed in Config.
const (
	codeTTL            = 60 * time.Second
	defaultAccessTTL   = 2 * time.Minute
	idTokenTTL         = 5 * time.Minute
	defaultRefreshTTL  = 30 * time.Minute
	defaultSessionMax  = 4 * time.Hour
	defaultSessionIdle = 30 * time.Minute
	pendingTTL         = 10 * time.Minute
	// CIBA: how long a push waits for the professional, and how often the
	// client may poll (Keycloak's defaults).
	defaultCIBAExpiry   = 2 * time.Minute
	defaultCIBAInterval = 5 * time.Second
)

// maxPending bounds sign-ins in progress, so that a script opening the
// authorization URL in a loop cannot fill the memory (as HIN's simulator).
const maxPending = 10000

// Client is a relying party registered with the provider.
type Client struct {
	ID, Secret             string
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	// BackchannelLogoutURI receives logout tokens; none are sent when empty.
	BackchannelLogoutURI string
	// UserinfoAsJWT answers userinfo as a signed application/jwt.
	UserinfoAsJWT bool
	// ResourceServer is an API that only introspects the tokens
	// professionals present to it (PSC's context-sharing API): it needs
	// no redirect URI and signs nobody in.
	ResourceServer bool
	// TLSClientAuth requires a client certificate on the token and
	// userinfo calls (mTLS), on top of the secret, as PSC is moving to.
	// With TLSClientAuth the secret may be empty: the client then
	// authenticates by its certificate alone (RFC 8705 tls_client_auth),
	// naming itself with client_id in the form and sending no secret.
	TLSClientAuth bool
}

// Config describes the simulated provider.
type Config struct {
	// Issuer is the full public issuer URL, e.g.
	// http://127.0.0.1:8080/sandbox/psc/auth/realms/esante-wallet.
	// The provider serves every path under the issuer's path, so it can be
	// mounted without prefix stripping.
	Issuer string
	// KeyFile persists the RSA signing key (PEM, 0600); "" keeps it in memory.
	KeyFile       string
	Professionals []Professional
	Clients       []Client
	// Now is the provider's clock; time.Now when nil.
	Now func() time.Time
	// HTTPClient posts back-channel logout tokens.
	HTTPClient *http.Client
	// Logger reports failed back-channel posts; discarded when nil.
	Logger *slog.Logger
	// Location is the time zone of the sessions page; Europe/Paris, the
	// portal's, when nil.
	Location *time.Location
	// AccessTokenTTL and RefreshTokenTTL are the tokens' lifetimes (2 and
	// 30 min when zero); SessionMax and SessionIdle the SSO session's
	// (4 h from sign-in, 30 min after its last use, when zero).
	AccessTokenTTL, RefreshTokenTTL time.Duration
	SessionMax, SessionIdle         time.Duration
	// CIBAExpiry is how long a decoupled sign-in waits for approval
	// (2 min when zero); CIBAInterval the least time between two polls
	// (5 s when zero).
	CIBAExpiry, CIBAInterval time.Duration
	// SlowDelay is how late a Slow… answer comes (15 s when zero), unless
	// the request ends first.
	SlowDelay time.Duration
}

// Provider is the simulated Pro Santé Connect. Safe for concurrent use.
type Provider struct {
	cfg      Config
	basePath string
	pros     map[string]Professional
	order    []string // idNat, in configuration order
	clients  map[string]Client

	// faults has a lock of its own.
	faults misbehave.Switch[Fault]

	mu        sync.Mutex
	keys      []signingKey // keys[0] signs; all are published
	extraKey  *signingKey  // a second, unused key, published for the no-kid-several-keys case
	pending   map[string]*pendingAuth
	codes     map[string]*authCode
	usedCodes map[string]time.Time // code → when its reuse stops mattering
	access    map[string]*grant
	refresh   map[string]*grant
	sessions  map[string]*session // sid → session
	ciba      map[string]*cibaRequest
	nextSweep time.Time
	stats     Stats
}

// Stats counts what the provider answered, for tests.
type Stats struct {
	Discovery, JWKS, Token, Userinfo, BackchannelSent int
}

// New checks cfg and returns the provider.
func New(cfg Config) (*Provider, error) {
	u, err := url.Parse(cfg.Issuer)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("pscsim: issuer %q is not an absolute URL without query", cfg.Issuer)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	if cfg.Location == nil {
		cfg.Location = parisOrUTC()
	}
	defaults := []struct {
		d   *time.Duration
		def time.Duration
	}{
		{&cfg.AccessTokenTTL, defaultAccessTTL}, {&cfg.RefreshTokenTTL, defaultRefreshTTL},
		{&cfg.SessionMax, defaultSessionMax}, {&cfg.SessionIdle, defaultSessionIdle},
		{&cfg.CIBAExpiry, defaultCIBAExpiry}, {&cfg.CIBAInterval, defaultCIBAInterval},
	}
	for _, d := range defaults {
		if *d.d <= 0 {
			*d.d = d.def
		}
	}
	if cfg.SlowDelay == 0 {
		cfg.SlowDelay = 15 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	key, err := loadOrCreateKey(cfg.KeyFile)
	if err != nil {
		return nil, err
	}
	p := &Provider{
		cfg: cfg, basePath: strings.TrimRight(u.Path, "/"),
		pros: map[string]Professional{}, clients: map[string]Client{},
		keys:    []signingKey{key},
		pending: map[string]*pendingAuth{}, codes: map[string]*authCode{}, usedCodes: map[string]time.Time{},
		access: map[string]*grant{}, refresh: map[string]*grant{}, sessions: map[string]*session{},
		ciba: map[string]*cibaRequest{},
	}
	for _, pro := range cfg.Professionals {
		if _, dup := p.pros[pro.IDNat]; dup || pro.IDNat == "" {
			return nil, fmt.Errorf("pscsim: professional idNat %q is empty or repeated", pro.IDNat)
		}
		p.pros[pro.IDNat] = pro
		p.order = append(p.order, pro.IDNat)
	}
	for _, c := range cfg.Clients {
		if c.ID == "" || (c.Secret == "" && !c.TLSClientAuth) || (len(c.RedirectURIs) == 0 && !c.ResourceServer) {
			return nil, errors.New("pscsim: a client needs an id, a secret (or tls_client_auth) and a redirect URI (unless it is a resource server)")
		}
		p.clients[c.ID] = c
	}
	return p, nil
}

// Issuer is the provider's issuer URL.
func (p *Provider) Issuer() string { return p.cfg.Issuer }

// SessionsURL is the simulator's page listing its live sessions, from
// which a presenter signs a professional out of Pro Santé Connect.
func (p *Provider) SessionsURL() string { return p.cfg.Issuer + pathSessions }

// ECPSAppURL is the simulator's "e-CPS app": the decoupled sign-in
// requests waiting for a chosen identity, to approve or refuse.
func (p *Provider) ECPSAppURL() string { return p.cfg.Issuer + pathECPSApp }

// StylesheetPath is the path of the simulator's stylesheet, which the
// sandbox's own pages share.
func (p *Provider) StylesheetPath() string { return simstyle.Href(p.basePath) }

// Endpoint paths under the issuer (Keycloak's).
const (
	pathDiscovery       = "/.well-known/openid-configuration"
	pathWalletDiscovery = "/.well-known/wallet-openid-configuration"
	pathAuth            = "/protocol/openid-connect/auth"
	pathToken           = "/protocol/openid-connect/token"
	pathUserinfo        = "/protocol/openid-connect/userinfo"
	pathLogout          = "/protocol/openid-connect/logout"
	pathCerts           = "/protocol/openid-connect/certs"
	pathIntrospect      = "/protocol/openid-connect/token/introspect"
	pathCIBA            = "/protocol/openid-connect/ext/ciba/auth"
	pathStylesheet      = simstyle.Path
	// pathSessions is the simulator's own page (not PSC's): its live
	// sessions, each with a logout button, to show back-channel logout.
	pathSessions = "/sandbox/sessions"
	// pathECPSApp stands in for the professional's e-CPS app (not PSC's
	// either): it approves or refuses decoupled sign-ins.
	pathECPSApp = "/sandbox/ecps-app"
)

// ServeHTTP routes a request under the issuer's path.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, p.basePath)
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch rest {
	case pathDiscovery, pathWalletDiscovery:
		p.serveDiscovery(w, r)
	case pathCerts:
		p.serveJWKS(w, r)
	case pathAuth:
		p.serveAuthorize(w, r)
	case pathToken:
		p.serveToken(w, r)
	case pathUserinfo:
		p.serveUserinfo(w, r)
	case pathLogout:
		p.serveLogout(w, r)
	case pathStylesheet:
		simstyle.Serve(w, r)
	case pathSessions:
		p.serveSessions(w, r)
	case pathIntrospect:
		p.serveIntrospect(w, r)
	case pathCIBA:
		p.serveCIBA(w, r)
	case pathECPSApp:
		p.serveECPSApp(w, r)
	default:
		http.NotFound(w, r)
	}
}

// Stats returns the counters.
func (p *Provider) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

func (p *Provider) count(f func(*Stats)) {
	p.mu.Lock()
	f(&p.stats)
	p.mu.Unlock()
}

// client is read without the lock: clients are fixed at New.
func (p *Provider) client(id string) (Client, bool) {
	c, ok := p.clients[id]
	return c, ok
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
