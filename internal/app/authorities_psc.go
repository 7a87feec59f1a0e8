package app

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// newPSC is the Pro Santé Connect client, nil when there is neither a
// configured PSC nor the sandbox.
func newPSC(cfg *config.Config, sb *sandbox.Sandbox, base *http.Client, now func() time.Time) (*psc.Client, error) {
	c, ok := pscConfig(cfg, sb)
	if !ok {
		return nil, nil
	}
	// The portal's clock: token lifetimes are counted on it (tests move it).
	c.Now = now
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

// pscConfig is the PSC client's configuration as the plan says; false
// when PSC is off.
func pscConfig(cfg *config.Config, sb *sandbox.Sandbox) (psc.Config, bool) {
	var c psc.Config
	switch cfg.Plan().PSC.Mode {
	case config.Configured:
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
	case config.Simulated:
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
