package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/covercard"
	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/rights"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/secretbox"
)

// authorities are the clients of the outside parties, and the sandbox that
// stands in for those not configured in demo mode.
type authorities struct {
	sandbox *sandbox.Sandbox
	psc     *psc.Client
	// pscTokens keeps PSC sign-ins' access and refresh tokens (nil for a
	// check); the portal's calls on a professional's behalf take theirs
	// from pscTokens.For(session token).
	pscTokens *psc.TokenKeeper
	// hin requests the practice's client credentials and, when hinTokens
	// is set, signs professionals in (hinTokens keeping their tokens).
	hin           *hin.Client
	hinTokens     *hin.UserTokens
	serviceTokens *hin.ServiceTokens
	covercard     *covercard.Client
	// rights is the ADRi-shaped service of French patients' rights.
	rights *rights.Client
	box    *secretbox.Box
}

// authorityDeps is what the authorities are built from.
type authorityDeps struct {
	cfg    *config.Config
	logger *slog.Logger
	// tokens keeps the HIN tokens; nil for a check, which requests none.
	tokens hin.TokenStore
	now    func() time.Time
	// observe hears of every HIN token request (metrics); may be nil.
	observe func(hin.Op, error)
	// probe: built for `infopatient check`, which creates no key file.
	probe bool
}

// newAuthorities builds each client from its configuration, or points it
// at the in-process sandbox in demo mode. A configured authority always
// wins: in demo mode, setting the PSC variables signs in with the real PSC
// while HIN and Covercard stay simulated. HIN and Covercard are simulated
// together or not at all: configuring one of them turns the other's
// sandbox off (see warnHalfPair).
func newAuthorities(d authorityDeps) (*authorities, error) {
	cfg := d.cfg
	base := &http.Client{Timeout: cfg.HTTPTimeout}
	out := &authorities{}
	var err error
	if out.box, err = newBox(cfg, d.probe); err != nil {
		return nil, err
	}
	if out.sandbox, err = newSandbox(d, base); err != nil {
		return nil, err
	}
	// The sandbox stands in for HIN and Covercard together, or for
	// neither: config.Config.Simulated says why.
	pair := sandboxPair(cfg, out.sandbox)
	warnHalfPair(d.logger, cfg, out.sandbox, pair)

	if out.psc, err = newPSC(cfg, out.sandbox, base); err != nil {
		return nil, err
	}
	warnClientCertificate(d.logger, out.psc, time.Now())
	if ts, ok := d.tokens.(psc.TokenStore); ok && out.psc != nil {
		out.pscTokens = psc.NewTokenKeeper(out.psc, ts, out.box)
	}
	var signIn bool
	if out.hin, signIn, err = newHIN(cfg, pair, d, base); err != nil {
		return nil, err
	}
	if signIn {
		out.hinTokens = hin.NewUserTokens(out.hin, d.tokens, out.box)
	}
	out.serviceTokens = newServiceTokens(cfg, pair, out.hin, d.tokens, out.box)
	out.covercard = newCovercard(cfg, pair, d.now, base)
	if out.rights, err = newRights(cfg, out.sandbox, d.now, base); err != nil {
		return nil, err
	}
	return out, nil
}

// hinSignInClient is the HIN client professionals sign in with, nil when
// that sign-in is off: web offers HIN's button when it has one.
func (a *authorities) hinSignInClient() *hin.Client {
	if a.hinTokens == nil {
		return nil
	}
	return a.hin
}

// newBox encrypts the stored tokens with the token key, still opening
// those sealed with the previous one.
func newBox(cfg *config.Config, probe bool) (*secretbox.Box, error) {
	key, err := tokenKey(cfg, probe)
	if err != nil {
		return nil, err
	}
	var previous [][]byte
	if cfg.TokenKeyPrevious != nil {
		previous = append(previous, cfg.TokenKeyPrevious)
	}
	return secretbox.New(key, previous...)
}

// tokenKey is the key encrypting stored tokens: configured, or in demo
// mode created once under the data directory. A check (probe) stores no
// token and creates no file: it makes do with a key of its own.
func tokenKey(cfg *config.Config, probe bool) ([]byte, error) {
	if cfg.TokenKey != nil {
		return cfg.TokenKey, nil
	}
	if probe {
		return secretbox.GenerateKey(), nil
	}
	return secretbox.LoadOrCreateKeyFile(filepath.Join(cfg.DataDir, "keys", "token.key"))
}

// newSandbox is the in-process sandbox in demo mode, nil otherwise.
func newSandbox(d authorityDeps, base *http.Client) (*sandbox.Sandbox, error) {
	cfg := d.cfg
	if !cfg.Demo {
		return nil, nil
	}
	keyFile := sandbox.KeyFile(cfg.DataDir)
	if _, err := os.Stat(keyFile); d.probe && err != nil {
		keyFile = "" // a check creates no file: a key for this run only
	}
	return sandbox.New(sandbox.Config{
		BaseURL:    cfg.BaseURL + "/sandbox",
		PortalURL:  cfg.BaseURL,
		Data:       data.Files,
		KeyFile:    keyFile,
		Now:        d.now,
		HTTPClient: base,
		Logger:     d.logger,
	})
}

// newPSC is the Pro Santé Connect client, nil when there is neither a
// configured PSC nor the sandbox.
func newPSC(cfg *config.Config, sb *sandbox.Sandbox, base *http.Client) (*psc.Client, error) {
	c, ok := pscConfig(cfg, sb)
	if !ok {
		return nil, nil
	}
	return psc.New(c, base)
}

// warnClientCertificate tells at start-up of a PSC client certificate
// that expires within 30 days or does not name the client id.
func warnClientCertificate(logger *slog.Logger, p *psc.Client, now time.Time) {
	if p == nil {
		return
	}
	warnings, err := psc.CertificateWarnings(p.Config(), now)
	if err != nil {
		logger.Warn("Pro Santé Connect client certificate unreadable", slog.Any("err", err))
	}
	for _, w := range warnings {
		logger.Warn("Pro Santé Connect: " + w)
	}
}

func pscConfig(cfg *config.Config, sb *sandbox.Sandbox) (psc.Config, bool) {
	var c psc.Config
	switch {
	case cfg.PSC.Configured():
		e := cfg.PSC
		if e.Env != "" {
			c, _ = psc.Preset(e.Env) // the value was validated
			if e.Issuer != "" && e.Issuer != c.Issuer {
				// Another issuer: the preset's wallet host and realm
				// endpoints are another provider's. Its discovery, or the
				// endpoints configured, say where to go.
				c = psc.Config{}
			}
		}
		set := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		set(&c.Issuer, e.Issuer)
		set(&c.DiscoveryURL, e.DiscoveryURL)
		set(&c.AuthURL, e.AuthorizeURL)
		set(&c.TokenURL, e.TokenURL)
		set(&c.UserinfoURL, e.UserinfoURL)
		set(&c.JWKSURL, e.JWKSURL)
		set(&c.EndSessionURL, e.EndSessionURL)
		c.ClientID, c.ClientSecret, c.AuthMethod = e.ClientID, e.ClientSecret, e.AuthMethod
		c.ClientCertFile, c.ClientKeyFile, c.ClientCertPassword = e.ClientCertFile, e.ClientKeyFile, e.ClientCertPassword
	case sb != nil:
		c = psc.Config{Issuer: sb.PSCIssuer(), ClientID: sandbox.PSCClientID, ClientSecret: sandbox.PSCClientSecret}
	default:
		return c, false
	}
	c.Scopes, c.ACRValues = cfg.PSC.Scopes, cfg.PSC.ACRValues
	c.RedirectURL = cfg.BaseURL + "/auth/psc/callback"
	c.PostLogoutRedirectURL = cfg.BaseURL + "/auth/psc/logout-callback"
	c.HTTPTimeout = cfg.HTTPTimeout
	return c, true
}

// sandboxPair is the sandbox when it stands in for both HIN and
// Covercard (see config.Config.Simulated). Otherwise nil.
func sandboxPair(cfg *config.Config, sb *sandbox.Sandbox) *sandbox.Sandbox {
	if _, pair := cfg.Simulated(); !pair {
		return nil
	}
	return sb
}

// warnHalfPair tells, in demo mode, what is off because only one of HIN
// and Covercard is configured, and how to turn it on.
func warnHalfPair(logger *slog.Logger, cfg *config.Config, sb, pair *sandbox.Sandbox) {
	switch {
	case sb == nil:
	case cfg.HIN.Configured() && !cfg.Covercard.Configured():
		logger.Warn("Covercard is off: HIN is the real one, and its tokens must not go to the sandbox's Covercard; set INFOPATIENT_COVERCARD_URL to use the real Covercard",
			slog.String("INFOPATIENT_COVERCARD_URL", covercard.DefaultURL))
	case !cfg.HIN.Configured() && cfg.Covercard.Configured():
		logger.Warn("HIN sign-in is off: Covercard is the real one, and would refuse the sandbox's HIN tokens; set the INFOPATIENT_HIN_* variables to sign in with HIN")
	case pair != nil && cfg.Covercard.ClientID != "":
		logger.Warn("INFOPATIENT_COVERCARD_CLIENT_ID is ignored: Covercard is the sandbox's; set INFOPATIENT_COVERCARD_URL to use the real Covercard")
	}
}

// newHIN is the one HIN client for the sign-in and the practice's client
// credentials: the sandbox's with the sandbox's Covercard, else HIN's
// configured (or production) endpoints, those of the configured
// Covercard. signIn says whether professionals sign in with it.
func newHIN(cfg *config.Config, pair *sandbox.Sandbox, d authorityDeps, base *http.Client) (c *hin.Client, signIn bool, err error) {
	hc, signIn := hinConfig(cfg, pair, d.now)
	if cfg.HIN.Configured() {
		// The loader checked each variable; this checks what they make
		// together (the redirect URL comes from INFOPATIENT_BASE_URL).
		if errs := hc.Validate(); len(errs) > 0 {
			return nil, false, fmt.Errorf("HIN configuration: %w", errors.Join(errs...))
		}
	}
	hc.Observe = d.observe
	return hin.New(hc, base), signIn, nil
}

// hinConfig is the HIN client's configuration: the configured HIN, or
// the sandbox's when it stands in for HIN and Covercard (pair). The bool
// says whether professionals sign in with it.
func hinConfig(cfg *config.Config, pair *sandbox.Sandbox, now func() time.Time) (hin.Config, bool) {
	c := hin.Config{
		AuthorizeURL: cfg.HIN.AuthorizeURL, TokenURL: cfg.HIN.TokenURL, ManualURL: cfg.HIN.ManualURL,
		ClientID: cfg.HIN.ClientID, ClientSecret: cfg.HIN.ClientSecret, TokenGroup: cfg.HIN.TokenGroup,
		RedirectURL: cfg.BaseURL + "/auth/hin/callback", HTTPTimeout: cfg.HTTPTimeout, Now: now,
	}
	switch {
	case cfg.HIN.Configured():
		return c, true
	case pair != nil:
		c.AuthorizeURL, c.TokenURL, c.ManualURL = pair.HINAuthorizeURL(), pair.HINTokenURL(), pair.HINManualURL()
		c.ClientID, c.ClientSecret, c.TokenGroup = sandbox.HINClientID, sandbox.HINClientSecret, sandbox.TokenGroup
		return c, true
	}
	// Not signing in with HIN; the token URL may still serve the
	// practice's client credentials.
	return c, false
}

// newServiceTokens is the practice's own Covercard access, with the
// sandbox's device beside the sandbox pair, else with the configured
// client credentials; nil without any.
func newServiceTokens(cfg *config.Config, pair *sandbox.Sandbox, client *hin.Client, tokens hin.TokenStore, box *secretbox.Box) *hin.ServiceTokens {
	var sc hin.ServiceConfig
	switch {
	case pair != nil:
		sc = hin.ServiceConfig{ClientID: sandbox.CovercardClientID, ClientSecret: sandbox.CovercardClientSecret, TokenGroup: sandbox.TokenGroup}
	case cfg.Covercard.ClientID != "":
		sc = hin.ServiceConfig{ClientID: cfg.Covercard.ClientID, ClientSecret: cfg.Covercard.ClientSecret, TokenGroup: cfg.Covercard.TokenGroup}
	default:
		return nil
	}
	return hin.NewServiceTokens(client, sc, tokens, box)
}

// newCovercard is the configured Covercard's client, or the sandbox's
// with the sandbox pair; nil otherwise.
func newCovercard(cfg *config.Config, pair *sandbox.Sandbox, now func() time.Time, base *http.Client) *covercard.Client {
	var u string
	switch {
	case cfg.Covercard.Configured():
		u = cfg.Covercard.URL
	case pair != nil:
		u = pair.CovercardURL()
	default:
		return nil
	}
	return covercard.New(covercard.Config{URL: u, Langue: cfg.Covercard.Langue, Timeout: cfg.HTTPTimeout, Now: now}, base)
}

// observeTokenRequest counts HIN token requests by kind and outcome.
func (a *App) observeTokenRequest(op hin.Op, err error) {
	var kind string
	switch op {
	case hin.OpExchange:
		kind = "sign_in"
	case hin.OpRefresh:
		kind = "user_refresh"
	case hin.OpClientCredentials:
		kind = "service"
	}
	outcome := "ok"
	switch {
	case errors.Is(err, hin.ErrInvalidGrant):
		outcome = "invalid_grant"
	case errors.Is(err, hin.ErrUnavailable):
		outcome = "unavailable"
	case err != nil:
		outcome = "refused"
	}
	a.Metrics.TokenRefresh(kind, outcome)
}
