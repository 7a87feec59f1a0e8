package app

import (
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/covercard"
	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/insi"
	"github.com/infopatient/infopatient/internal/outbound"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/pscctx"
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
	// pscContext is ANS's context-sharing API (nil when off).
	pscContext *pscctx.Client
	// hin requests the practice's client credentials and, when hinTokens
	// is set, signs professionals in (hinTokens keeping their tokens).
	hin       *hin.Client
	hinTokens *hin.UserTokens
	// hinDirectory reads HIN's directory (SDS) with a token that
	// hinDirectoryAuth's authorization (its token group, hin_sds) gives;
	// both nil when the plan turns it off.
	hinDirectory     *hin.ProfileClient
	hinDirectoryAuth *hin.Client
	serviceTokens    *hin.ServiceTokens
	covercard        *covercard.Client
	insi             *insi.Client
	box              *secretbox.Box
	// rights is the ADRi-shaped service of French patients' rights.
	rights *rights.Client
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

// newAuthorities builds each client as config.Config.Plan says: from its
// configuration, from the in-process sandbox when simulated, or not at
// all when off.
func newAuthorities(d authorityDeps) (*authorities, error) {
	cfg := d.cfg
	// No call to an authority follows a redirect (see internal/outbound).
	base := outbound.NoRedirects(&http.Client{Timeout: cfg.HTTPTimeout})
	out := &authorities{}
	var err error
	if out.box, err = newBox(cfg, d.probe); err != nil {
		return nil, err
	}
	if out.sandbox, err = newSandbox(d, base); err != nil {
		return nil, err
	}
	plan := cfg.Plan()
	warnOff(d.logger, cfg, plan)

	if out.psc, err = newPSC(cfg, out.sandbox, base, d.now); err != nil {
		return nil, err
	}
	warnClientCertificate(d.logger, out.psc, time.Now())
	if ts, ok := d.tokens.(psc.TokenStore); ok && out.psc != nil {
		out.pscTokens = psc.NewTokenKeeper(out.psc, ts, out.box)
	}
	if out.pscContext, err = newPSCContext(plan.PSCContext, out.sandbox, base); err != nil {
		return nil, err
	}
	if out.hin, err = newHIN(cfg, plan.HIN, out.sandbox, d, base); err != nil {
		return nil, err
	}
	if plan.HIN.Mode != config.Off {
		out.hinTokens = hin.NewUserTokens(out.hin, d.tokens, out.box)
	}
	if out.hinDirectory, out.hinDirectoryAuth, err = newHINDirectory(cfg, plan.HINDirectory, out.sandbox, out.hinSignInClient(), base); err != nil {
		return nil, err
	}
	out.serviceTokens = newServiceTokens(cfg, plan.Covercard, out.hin, d.tokens, out.box)
	out.covercard = newCovercard(cfg, plan.Covercard, out.sandbox, d.now, base)
	if out.insi, err = newINSi(cfg, plan.INSi, out.sandbox, base, d.now, d.probe); err != nil {
		return nil, err
	}
	if out.rights, err = newRights(cfg, plan.Rights, out.sandbox, d.now, base); err != nil {
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
	demoData, err := sandboxDemo()
	if err != nil {
		return nil, err
	}
	return sandbox.New(sandbox.Config{
		Demo:       demoData,
		BaseURL:    cfg.BaseURL + "/sandbox",
		PortalURL:  cfg.BaseURL,
		Data:       data.Files,
		KeyFile:    keyFile,
		Now:        d.now,
		HTTPClient: base,
		Logger:     d.logger,
	})
}

// warnOff tells, in demo mode, what is off because only one of HIN and
// Covercard is configured, and how to turn it on.
func warnOff(logger *slog.Logger, cfg *config.Config, plan config.Plan) {
	switch {
	case !cfg.Demo:
	case plan.Covercard.Mode == config.Off:
		logger.Warn("Covercard is off: HIN is the real one, and its tokens must not go to the sandbox's Covercard; set INFOPATIENT_COVERCARD_URL to use the real Covercard",
			slog.String("INFOPATIENT_COVERCARD_URL", covercard.DefaultURL))
	case plan.HIN.Mode == config.Off:
		logger.Warn("HIN sign-in is off: Covercard is the real one, and would refuse the sandbox's HIN tokens; set the INFOPATIENT_HIN_* variables to sign in with HIN")
	case plan.Covercard.Simulated() && cfg.Covercard.ClientID != "":
		logger.Warn("INFOPATIENT_COVERCARD_CLIENT_ID is ignored: Covercard is the sandbox's; set INFOPATIENT_COVERCARD_URL to use the real Covercard")
	}
}
