package app

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/web"
)

// newHIN is the one HIN client for the sign-in and the practice's client
// credentials: the sandbox's when simulated, else HIN's configured (or
// production) endpoints. Professionals sign in with it unless plan is off;
// even then its token URL may serve the configured Covercard's client
// credentials.
func newHIN(cfg *config.Config, plan config.Reach, sb *sandbox.Sandbox, d authorityDeps, base *http.Client) (*hin.Client, error) {
	hc := hinConfig(cfg, plan, sb, d.now)
	if plan.Mode == config.Configured {
		// The loader checked each variable; this checks what they make
		// together (the redirect URL comes from INFOPATIENT_BASE_URL).
		if errs := hc.Validate(); len(errs) > 0 {
			return nil, fmt.Errorf("HIN configuration: %w", errors.Join(errs...))
		}
	}
	hc.Observe = d.observe
	return hin.New(hc, base), nil
}

// newHINDirectory is HIN's directory as the plan says — the configured
// SDS (INFOPATIENT_HIN_SDS_URL, read with a token of
// INFOPATIENT_HIN_SDS_TOKEN_GROUP), the sandbox's, or none — and the
// sign-in client for its token group. Nil without HIN sign-in: the
// directory's token is a second authorization of that sign-in.
func newHINDirectory(cfg *config.Config, r config.Reach, sb *sandbox.Sandbox, signIn *hin.Client, base *http.Client) (*hin.ProfileClient, *hin.Client, error) {
	if signIn == nil {
		return nil, nil, nil
	}
	var url, group string
	switch {
	case r.Mode == config.Configured:
		url, group = r.URL, cfg.HINDirectory.TokenGroup
	case r.Simulated() && sb != nil:
		url, group = sb.HINSDSURL(), hin.SDSTokenGroup
	default:
		return nil, nil, nil
	}
	profiles, err := hin.NewProfileClient(url, base)
	if err != nil {
		return nil, nil, err
	}
	return profiles, signIn.ForTokenGroup(group), nil
}

// webHINDirectory is the directory as the web server takes it, nil when
// off.
func (a *authorities) webHINDirectory() *web.HINDirectory {
	if a.hinDirectory == nil || a.hinDirectoryAuth == nil {
		return nil
	}
	return &web.HINDirectory{Auth: a.hinDirectoryAuth, Profiles: a.hinDirectory}
}

// hinConfig is the HIN client's configuration: the configured HIN, or
// the sandbox's when simulated.
func hinConfig(cfg *config.Config, plan config.Reach, sb *sandbox.Sandbox, now func() time.Time) hin.Config {
	c := hin.Config{
		AuthorizeURL: cfg.HIN.AuthorizeURL, TokenURL: cfg.HIN.TokenURL, ManualURL: cfg.HIN.ManualURL,
		ClientID: cfg.HIN.ClientID, ClientSecret: cfg.HIN.ClientSecret, TokenGroup: cfg.HIN.TokenGroup,
		RedirectURL: cfg.BaseURL + "/auth/hin/callback", HTTPTimeout: cfg.HTTPTimeout, Now: now,
	}
	if plan.Simulated() {
		c.AuthorizeURL, c.TokenURL, c.ManualURL = sb.HINAuthorizeURL(), sb.HINTokenURL(), sb.HINManualURL()
		c.ClientID, c.ClientSecret, c.TokenGroup = sandbox.HINClientID, sandbox.HINClientSecret, sandbox.TokenGroup
	}
	return c
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
