// Package hinsim is an offline HIN: the OAuth2 authorization server that
// Swiss healthcare applications use (plain OAuth2, no OpenID Connect; the
// user's identity comes back as hin_id in the token answer). It serves
// the HIN e-ID sign-in and consent pages of the grant flow, the manual
// code page of apps.hin.ch, and the token endpoint with the authorization
// code, refresh token and client credentials grants, with HIN's status
// codes and limits. Its pages speak French, German and English, each with a
// language switcher. It imports nothing of the portal: it is the other
// party, for demos without network and for tests.
//
// Paths, under the path of Config.BaseURL:
//
//	GET  /REST/v1/OAuth/GetAuthCode/<TokenGroup>  sign-in, then consent (grant flow)
//	GET  /apps?app=HinCredMgrOAuth&tokenGroup=<TG> sign-in, then a code to copy (manual)
//	POST /e-id/signin, /e-id/consent             the pages' forms
//	GET  /e-id/signin?pending=<id>&lang=<l>       a sign-in's page again, in another language
//	POST /REST/v1/OAuth/GetAccessToken            authorization_code, refresh_token
//	POST /REST/v1/OAuth/GetAccessToken/<TG>       client_credentials
//	GET  /sds/api/public/v1/self/                 the directory's profile (token group hin_sds)
package hinsim

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/internal/misbehave"
	"github.com/infopatient/infopatient/internal/sandbox/internal/simstyle"
)

// Route suffixes under the base path.
const (
	pathAuthorize = "/REST/v1/OAuth/GetAuthCode/"
	pathToken     = "/REST/v1/OAuth/GetAccessToken"
	pathApps      = "/apps"
	pathSignIn    = "/e-id/signin"
	pathConsent   = "/e-id/consent"
	// pathCopyScript is the code page's copy button (a sandbox page's
	// own asset, not a HIN address).
	pathCopyScript = "/e-id/copy.js"
)

// Server is the simulated HIN. It is safe for concurrent use.
type Server struct {
	cfg        Config
	basePath   string
	identities []Identity
	byHINID    map[string]Identity
	clients    map[string]Client
	devices    map[string]Device
	groups     map[string]bool // every token group a client or device knows

	// faults and sdsFaults (the directory's) have a lock of their own.
	faults    misbehave.Switch[Fault]
	sdsFaults misbehave.Switch[Fault]

	mu      sync.Mutex
	grants  grantStore
	stats   Stats
	lastCC  map[string]time.Time // client id → last client-credentials request
	pending map[string]*pendingSignIn
	sso     map[string]ssoSession // simulated HIN sessions, by cookie
}

// New checks cfg and returns a server with no grant issued yet.
func New(cfg Config) (*Server, error) {
	cfg.applyDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	u, _ := url.Parse(cfg.BaseURL) // validated
	s := &Server{
		cfg:        cfg,
		basePath:   strings.TrimSuffix(u.Path, "/"),
		identities: append([]Identity(nil), cfg.Identities...),
		byHINID:    map[string]Identity{},
		clients:    map[string]Client{},
		devices:    map[string]Device{},
		groups:     map[string]bool{},
		grants:     newGrantStore(),
		lastCC:     map[string]time.Time{},
		pending:    map[string]*pendingSignIn{},
		sso:        map[string]ssoSession{},
	}
	for _, id := range cfg.Identities {
		s.byHINID[id.HINID] = id
	}
	for _, c := range cfg.Clients {
		s.clients[c.ID] = c
		for _, g := range c.TokenGroups {
			s.groups[g] = true
		}
	}
	for _, d := range cfg.Devices {
		s.devices[d.ClientID] = d
		s.groups[d.TokenGroup] = true
	}
	return s, nil
}

// AuthorizeURL is the GetAuthCode endpoint, to which a client appends
// "/<TokenGroup>".
func (s *Server) AuthorizeURL() string { return s.cfg.BaseURL + strings.TrimSuffix(pathAuthorize, "/") }

// TokenURL is the GetAccessToken endpoint.
func (s *Server) TokenURL() string { return s.cfg.BaseURL + pathToken }

// ManualURL is the manual code page for tokenGroup, the offline stand-in
// for https://apps.hin.ch/#app=HinCredMgrOAuth;tokenGroup=<TG>.
func (s *Server) ManualURL(tokenGroup string) string {
	return s.cfg.BaseURL + pathApps + "?" + url.Values{"app": {manualApp}, "tokenGroup": {tokenGroup}}.Encode()
}

// Identities lists the test identities, in configuration order.
func (s *Server) Identities() []Identity { return append([]Identity(nil), s.identities...) }

func (s *Server) now() time.Time { return s.cfg.Now() }

// ServeHTTP routes a request whose path starts with the base path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, s.basePath)
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch {
	case rest == pathToken:
		s.serveToken(w, r, "")
	case strings.HasPrefix(rest, pathToken+"/"):
		s.serveToken(w, r, strings.TrimPrefix(rest, pathToken+"/"))
	case rest == strings.TrimSuffix(pathAuthorize, "/"):
		s.serveAuthorize(w, r, "") // HIN's guide shows the link without a group
	case strings.HasPrefix(rest, pathAuthorize):
		s.serveAuthorize(w, r, strings.TrimPrefix(rest, pathAuthorize))
	case rest == pathApps:
		s.serveManual(w, r)
	case rest == simstyle.Path:
		simstyle.Serve(w, r)
	case rest == pathSignIn:
		s.serveSignIn(w, r)
	case rest == pathConsent:
		s.serveConsent(w, r)
	case rest == pathCopyScript:
		serveCopyScript(w, r)
	case rest == pathSDSSelf || rest == strings.TrimSuffix(pathSDSSelf, "/"):
		s.serveSelf(w, r)
	default:
		http.NotFound(w, r)
	}
}
