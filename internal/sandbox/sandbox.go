// Package sandbox runs offline simulators of the outside parties — Pro
// Santé Connect, HIN, Covercard and ADRi (rights) — so that InfoPatient's whole
// journey works on a laptop with no network, and tests never reach the
// internet. It imports nothing of the portal: it is the other party, and
// the portal talks to it over HTTP exactly as to the real services.
package sandbox

import (
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/covercardsim"
	"github.com/infopatient/infopatient/internal/sandbox/ctxsim"
	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
	"github.com/infopatient/infopatient/internal/sandbox/insisim"
	"github.com/infopatient/infopatient/internal/sandbox/internal/simstyle"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
	"github.com/infopatient/infopatient/internal/sandbox/rightssim"
)

// The relying party registered with every simulator: the demo portal.
// These are fictitious credentials of an offline sandbox, not secrets.
const (
	PSCClientID           = "infopatient-demo"
	PSCClientSecret       = "infopatient-demo-psc-secret"
	HINClientID           = "ch.infopatient-demo"
	HINClientSecret       = "infopatient-demo-hin-secret"
	CovercardClientID     = "ch.infopatient-covercard"
	CovercardClientSecret = "infopatient-demo-covercard-secret"
	TokenGroup            = "hin_covercard"
	// INSiIDAM is the software authorisation number the INSi simulator
	// knows; INSiSandboxCN the certificate name the demo portal announces
	// to it over plain HTTP on loopback (insisim.SandboxCNHeader).
	INSiIDAM      = insisim.DefaultIDAM
	INSiSandboxCN = "INSI-AUTO"
)

// ADRiIDAM is the software authorisation number (IDAM) the simulated
// ADRi knows: a sandbox value, not a CNDA one.
const ADRiIDAM = "INFOPATIENT-SANDBOX"

// Paths of each simulator under the sandbox's base URL.
const (
	pscPrefix       = "/psc"
	hinPrefix       = "/hin"
	covercardPrefix = "/covercard"
	// pscContextPrefix is ANS's context-sharing API.
	pscContextPrefix = "/psc-context"
	adriPrefix       = "/adri"
	insiPrefix       = "/insi"
	// pscRealm mirrors the real issuer's path.
	pscRealm = "/auth/realms/esante-wallet"
	// covercardServlet mirrors the real Covercard URL's path.
	covercardServlet = "/covercard/servlet/ch.ofac.ca.covercard.CaValidationHorizontale"
)

// Config describes the sandbox and the portal registered with it.
type Config struct {
	// BaseURL is where the sandbox is served, e.g. http://127.0.0.1:8080/sandbox.
	BaseURL string
	// PortalURL is the registered relying party's public URL: its
	// callbacks are registered as redirect URIs.
	PortalURL string
	// Data holds psc-professionals.json, hin-identities.json, covercard-cards.json and insi-identities.json.
	Data fs.FS
	// KeyFile persists the PSC signing key ("" = a new key per run).
	KeyFile string
	Now     func() time.Time
	// HTTPClient posts back-channel logout tokens to the portal.
	HTTPClient *http.Client
	// Logger reports what the simulators could not do (a failed
	// back-channel post); discarded when nil.
	Logger *slog.Logger
	// PSC's token and SSO session lifetimes (2 min, 30 min, 4 h, 30 min
	// idle when zero), shortened by tests.
	PSCAccessTokenTTL, PSCRefreshTokenTTL time.Duration
	PSCSessionMax, PSCSessionIdle         time.Duration
	// HIN lifetimes, short in tests and demos; HIN's own values when zero:
	// access tokens 1 hour, refresh tokens 30 days, codes (and sign-in
	// pages) 10 minutes.
	HINAccessTokenTTL  time.Duration
	HINRefreshTokenTTL time.Duration
	HINCodeTTL         time.Duration
	// HINClientCredentialsInterval is the client-credentials rate limit; HIN's 0.3/s when zero.
	HINClientCredentialsInterval time.Duration
	// Demo is the demo portal's accounts and patients, for the index.
	Demo Demo
}

// KeyFile is where the PSC simulator's signing key is kept under a data
// directory: <dataDir>/keys/psc-sandbox.pem, created on first use, so that
// a restarted demo signs with the same key and sessions survive.
func KeyFile(dataDir string) string { return filepath.Join(dataDir, "keys", "psc-sandbox.pem") }

// Sandbox is the three simulators behind one handler.
type Sandbox struct {
	PSC       *pscsim.Provider
	HIN       *hinsim.Server
	Covercard *covercardsim.Server
	// PSCContext is ANS's context-sharing API; it checks tokens by
	// introspection at the PSC simulator, as the demo client.
	PSCContext *ctxsim.Server
	ADRi       *rightssim.Server
	INSi       *insisim.Server

	cfg Config
	mux *http.ServeMux
	// The test identities and cards the simulators loaded, for the index.
	pros  []pscsim.Professional
	ids   []hinsim.Identity
	cards []covercardsim.Card
	insi  []insisim.Identity
}

// New loads the test identities and cards and builds the simulators.
func New(cfg Config) (*Sandbox, error) {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("sandbox: base URL %q is not absolute", cfg.BaseURL)
	}
	cfg.PortalURL = strings.TrimRight(cfg.PortalURL, "/")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	pros, err := pscsim.LoadProfessionals(cfg.Data, "sandbox/psc-professionals.json")
	if err != nil {
		return nil, err
	}
	ids, err := hinsim.LoadIdentities(cfg.Data, "sandbox/hin-identities.json")
	if err != nil {
		return nil, err
	}
	cards, err := covercardsim.LoadCards(cfg.Data, "sandbox/covercard-cards.json")
	if err != nil {
		return nil, err
	}
	beneficiaries, err := rightssim.LoadBeneficiaries(cfg.Data, "sandbox/adri-beneficiaries.json")
	if err != nil {
		return nil, err
	}
	insiIDs, err := insisim.LoadIdentities(cfg.Data, "sandbox/insi-identities.json")
	if err != nil {
		return nil, err
	}
	sb := &Sandbox{cfg: cfg, mux: http.NewServeMux(), pros: pros, ids: ids, cards: cards, insi: insiIDs}
	sb.PSC, err = pscsim.New(pscsim.Config{
		Issuer:        sb.PSCIssuer(),
		KeyFile:       cfg.KeyFile,
		Professionals: pros,
		Clients: []pscsim.Client{{
			ID:                     PSCClientID,
			Secret:                 PSCClientSecret,
			RedirectURIs:           []string{cfg.PortalURL + "/auth/psc/callback"},
			PostLogoutRedirectURIs: []string{cfg.PortalURL + "/auth/psc/logout-callback"},
			BackchannelLogoutURI:   cfg.PortalURL + "/auth/psc/backchannel-logout",
		}},
		Now:            cfg.Now,
		HTTPClient:     cfg.HTTPClient,
		Logger:         cfg.Logger,
		AccessTokenTTL: cfg.PSCAccessTokenTTL, RefreshTokenTTL: cfg.PSCRefreshTokenTTL,
		SessionMax: cfg.PSCSessionMax, SessionIdle: cfg.PSCSessionIdle,
	})
	if err != nil {
		return nil, fmt.Errorf("sandbox: pro santé connect: %w", err)
	}
	sb.HIN, err = hinsim.New(hinsim.Config{
		BaseURL:    cfg.BaseURL + hinPrefix,
		Identities: ids,
		Clients: []hinsim.Client{{
			ID: HINClientID, Secret: HINClientSecret, Name: "InfoPatient",
			RedirectURIs: []string{cfg.PortalURL + "/auth/hin/callback"},
			TokenGroups:  []string{TokenGroup, hinsim.SDSTokenGroup},
		}},
		Devices:                   []hinsim.Device{{ClientID: CovercardClientID, Secret: CovercardClientSecret, TokenGroup: TokenGroup}},
		AccessTokenTTL:            cfg.HINAccessTokenTTL,
		RefreshTokenTTL:           cfg.HINRefreshTokenTTL,
		CodeTTL:                   cfg.HINCodeTTL,
		ClientCredentialsInterval: cfg.HINClientCredentialsInterval,
		Now:                       cfg.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("sandbox: hin: %w", err)
	}
	sb.Covercard, err = covercardsim.New(covercardsim.Config{Cards: cards, Tokens: sb.HIN, TokenGroup: TokenGroup, Now: cfg.Now})
	if err != nil {
		return nil, fmt.Errorf("sandbox: covercard: %w", err)
	}
	sb.PSCContext, err = ctxsim.New(ctxsim.Config{
		IntrospectionURL: sb.PSCIntrospectionURL(),
		ClientID:         PSCClientID, ClientSecret: PSCClientSecret,
		HTTPClient: cfg.HTTPClient, Now: cfg.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("sandbox: psc context sharing: %w", err)
	}
	sb.mux.Handle(base.Path+pscContextPrefix+"/", sb.PSCContext)
	sb.ADRi, err = rightssim.New(rightssim.Config{Beneficiaries: beneficiaries, IDAMs: []string{ADRiIDAM}, Now: cfg.Now})
	if err != nil {
		return nil, fmt.Errorf("sandbox: adri: %w", err)
	}
	sb.mux.Handle(base.Path+adriPrefix+"/", sb.ADRi)
	known := map[string]bool{}
	for _, p := range pros {
		known[p.IDNat] = true
	}
	sb.INSi, err = insisim.New(insisim.Config{Identities: insiIDs, IDAMs: []string{INSiIDAM}, KnownIDNat: func(id string) bool { return known[id] }})
	if err != nil {
		return nil, fmt.Errorf("sandbox: insi: %w", err)
	}
	sb.mux.Handle(base.Path+insiPrefix+"/", sb.INSi)
	sb.mux.Handle(base.Path+pscPrefix+"/", sb.PSC)
	sb.mux.Handle(base.Path+hinPrefix+"/", sb.HIN)
	sb.mux.Handle(base.Path+covercardPrefix+"/", sb.Covercard)
	sb.mux.HandleFunc(base.Path+"/{$}", sb.serveIndex)
	sb.mux.HandleFunc(base.Path+simstyle.Path, simstyle.Serve)
	return sb, nil
}

// URL is the sandbox's index page: the simulators, their key URLs, and
// the test identities and cards.
func (sb *Sandbox) URL() string { return sb.cfg.BaseURL + "/" }

// ServeHTTP serves every simulator under the base URL's path, and the
// index page at the base URL itself.
func (sb *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) { sb.mux.ServeHTTP(w, r) }

// PSCIssuer is the simulated Pro Santé Connect issuer.
func (sb *Sandbox) PSCIssuer() string { return sb.cfg.BaseURL + pscPrefix + pscRealm }

// PSCSessionsURL is the simulator's page of live PSC sessions, from which
// a professional is signed out (back-channel logout).
func (sb *Sandbox) PSCSessionsURL() string { return sb.PSC.SessionsURL() }

// PSCECPSAppURL is the simulator's e-CPS app, where a presenter approves
// or refuses the portal's decoupled sign-ins ("Recevoir une notification
// e-CPS").
func (sb *Sandbox) PSCECPSAppURL() string { return sb.PSC.ECPSAppURL() }

// HINAuthorizeURL, HINTokenURL and HINManualURL are the simulated HIN endpoints.
func (sb *Sandbox) HINAuthorizeURL() string { return sb.HIN.AuthorizeURL() }

// HINTokenURL is the simulated GetAccessToken endpoint.
func (sb *Sandbox) HINTokenURL() string { return sb.HIN.TokenURL() }

// HINManualURL is the simulated manual code page, with the {tokenGroup}
// placeholder the HIN client fills in.
func (sb *Sandbox) HINManualURL() string {
	return strings.Replace(sb.HIN.ManualURL("TOKENGROUP"), "TOKENGROUP", "{tokenGroup}", 1)
}

// CovercardURL is the simulated CaValidationHorizontale servlet.
func (sb *Sandbox) CovercardURL() string { return sb.cfg.BaseURL + covercardPrefix + covercardServlet }

// PSCIntrospectionURL is the PSC simulator's RFC 7662 endpoint, where
// PSC has it: {issuer}/protocol/openid-connect/token/introspect.
func (sb *Sandbox) PSCIntrospectionURL() string {
	return sb.PSCIssuer() + "/protocol/openid-connect/token/introspect"
}

// PSCContextURL is the simulated context-sharing API's base
// (INFOPATIENT_PSC_CONTEXT_URL); its endpoint is PSCContextURL()+"/share".
func (sb *Sandbox) PSCContextURL() string { return sb.cfg.BaseURL + pscContextPrefix }

// HINSDSURL is the simulated HIN directory's base (INFOPATIENT_HIN_SDS_URL),
// the stand-in for https://oauth2.sds.hin.ch; the demo client may ask for
// tokens of its group, hinsim.SDSTokenGroup.
func (sb *Sandbox) HINSDSURL() string { return sb.HIN.SDSURL() }

// ADRiURL is the simulated ADRi endpoint (INFOPATIENT_ADRI_URL).
func (sb *Sandbox) ADRiURL() string { return sb.cfg.BaseURL + rightssim.EndpointPath }

// INSiURL is the simulated INSi endpoint (SOAP 1.2, both operations).
func (sb *Sandbox) INSiURL() string { return sb.cfg.BaseURL + insisim.Path }
