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
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/secretbox"
)

// authorities are the clients of the outside parties, and the sandbox that
// stands in for those not configured in demo mode.
type authorities struct {
	sandbox       *sandbox.Sandbox
	psc           *psc.Client
	hin           *hin.Client
	hinTokens     *hin.UserTokens
	serviceTokens *hin.ServiceTokens
	covercard     *covercard.Client
	box           *secretbox.Box
	// Effective endpoints, for `infopatient check`.
	hinTokenURL, covercardURL string
}

// newAuthorities builds each client from its configuration, or points it
// at the in-process sandbox in demo mode. A configured authority always
// wins: in demo mode, setting the PSC variables signs in with the real PSC
// while HIN and Covercard stay simulated. HIN and Covercard are simulated
// together or not at all: configuring one of them turns the other's
// sandbox off (see warnHalfPair).
func (a *App) newAuthorities(opts Options) (*authorities, error) {
	cfg := a.Config
	out := &authorities{}
	base := &http.Client{Timeout: cfg.HTTPTimeout}

	key, err := tokenKey(cfg, opts.probe)
	if err != nil {
		return nil, err
	}
	var previous [][]byte
	if cfg.TokenKeyPrevious != nil {
		previous = append(previous, cfg.TokenKeyPrevious)
	}
	if out.box, err = secretbox.New(key, previous...); err != nil {
		return nil, err
	}
	if cfg.Demo {
		keyFile := sandbox.KeyFile(cfg.DataDir)
		if _, err := os.Stat(keyFile); opts.probe && err != nil {
			keyFile = "" // a check creates no file: a key for this run only
		}
		out.sandbox, err = sandbox.New(sandbox.Config{
			BaseURL:    cfg.BaseURL + "/sandbox",
			PortalURL:  cfg.BaseURL,
			Data:       data.Files,
			KeyFile:    keyFile,
			Now:        opts.Now,
			HTTPClient: base,
			Logger:     a.Logger,
		})
		if err != nil {
			return nil, err
		}
	}
	// HIN and Covercard go in pairs: a token of the sandbox's HIN opens
	// only the sandbox's Covercard, and a real HIN token must never reach
	// the sandbox. So the sandbox stands in for both, or for neither.
	sb := out.sandbox
	pair := sandboxPair(cfg, sb)
	a.warnHalfPair(cfg, sb, pair)

	if pc, ok := pscConfig(cfg, sb); ok {
		if out.psc, err = psc.New(pc, base); err != nil {
			return nil, err
		}
	}
	hc, hinOn := hinConfig(cfg, pair, opts.Now)
	if cfg.HIN.Configured() {
		// The loader checked each variable; this checks what they make
		// together (the redirect URL comes from INFOPATIENT_BASE_URL).
		if errs := hc.Validate(); len(errs) > 0 {
			return nil, fmt.Errorf("HIN configuration: %w", errors.Join(errs...))
		}
	}
	hc.Observe = a.observeTokenRequest
	out.hinTokenURL = hc.TokenURL
	if out.hinTokenURL == "" {
		out.hinTokenURL = hin.DefaultTokenURL
	}
	var tokens hin.TokenStore = a.Store
	// One client for the sign-in and the practice's client credentials:
	// the sandbox's with the sandbox's Covercard, else HIN's configured
	// (or production) endpoints, those of the configured Covercard.
	out.hin = hin.New(hc, base)
	if hinOn {
		out.hinTokens = hin.NewUserTokens(out.hin, tokens, out.box)
	}
	if id, secret, group, ok := serviceCredentials(cfg, pair); ok {
		out.serviceTokens = hin.NewServiceTokens(out.hin, hin.ServiceConfig{ClientID: id, ClientSecret: secret, TokenGroup: group}, tokens, out.box)
	}
	if !hinOn {
		out.hin = nil
	}
	if u, ok := covercardURL(cfg, pair); ok {
		out.covercardURL = u
		out.covercard = covercard.New(covercard.Config{URL: u, Langue: cfg.Covercard.Langue, Timeout: cfg.HTTPTimeout, Now: opts.Now}, base)
	}
	return out, nil
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
		c.ClientCertFile, c.ClientKeyFile = e.ClientCertFile, e.ClientKeyFile
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
// Covercard: demo mode with neither configured. Otherwise nil.
func sandboxPair(cfg *config.Config, sb *sandbox.Sandbox) *sandbox.Sandbox {
	if sb == nil || cfg.HIN.Configured() || cfg.Covercard.Configured() {
		return nil
	}
	return sb
}

// warnHalfPair tells, in demo mode, what is off because only one of HIN
// and Covercard is configured, and how to turn it on.
func (a *App) warnHalfPair(cfg *config.Config, sb, pair *sandbox.Sandbox) {
	switch {
	case sb == nil:
	case cfg.HIN.Configured() && !cfg.Covercard.Configured():
		a.Logger.Warn("Covercard is off: HIN is the real one, and its tokens must not go to the sandbox's Covercard; set INFOPATIENT_COVERCARD_URL to use the real Covercard",
			slog.String("INFOPATIENT_COVERCARD_URL", covercard.DefaultURL))
	case !cfg.HIN.Configured() && cfg.Covercard.Configured():
		a.Logger.Warn("HIN sign-in is off: Covercard is the real one, and would refuse the sandbox's HIN tokens; set the INFOPATIENT_HIN_* variables to sign in with HIN")
	case pair != nil && cfg.Covercard.ClientID != "":
		a.Logger.Warn("INFOPATIENT_COVERCARD_CLIENT_ID is ignored: Covercard is the sandbox's; set INFOPATIENT_COVERCARD_URL to use the real Covercard")
	}
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

// serviceCredentials are the practice's client credentials: the
// sandbox's device with the sandbox pair, else the configured ones.
func serviceCredentials(cfg *config.Config, pair *sandbox.Sandbox) (id, secret, group string, ok bool) {
	switch {
	case pair != nil:
		return sandbox.CovercardClientID, sandbox.CovercardClientSecret, sandbox.TokenGroup, true
	case cfg.Covercard.ClientID != "":
		return cfg.Covercard.ClientID, cfg.Covercard.ClientSecret, cfg.Covercard.TokenGroup, true
	}
	return "", "", "", false
}

func covercardURL(cfg *config.Config, pair *sandbox.Sandbox) (string, bool) {
	switch {
	case cfg.Covercard.Configured():
		return cfg.Covercard.URL, true
	case pair != nil:
		return pair.CovercardURL(), true
	}
	return "", false
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
