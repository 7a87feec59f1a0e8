package app

import (
	"net/http"
	"time"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/covercard"
	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/secretbox"
)

// newServiceTokens is the practice's own Covercard access, with the
// sandbox's device when Covercard is simulated, else with the configured
// client credentials; nil without any.
func newServiceTokens(cfg *config.Config, covercardPlan config.Reach, client *hin.Client, tokens hin.TokenStore, box *secretbox.Box) *hin.ServiceTokens {
	var sc hin.ServiceConfig
	switch {
	case covercardPlan.Simulated():
		sc = hin.ServiceConfig{ClientID: sandbox.CovercardClientID, ClientSecret: sandbox.CovercardClientSecret, TokenGroup: sandbox.TokenGroup}
	case cfg.Covercard.ClientID != "":
		sc = hin.ServiceConfig{ClientID: cfg.Covercard.ClientID, ClientSecret: cfg.Covercard.ClientSecret, TokenGroup: cfg.Covercard.TokenGroup}
	default:
		return nil
	}
	return hin.NewServiceTokens(client, sc, tokens, box)
}

// newCovercard is the configured Covercard's client, or the sandbox's
// when simulated; nil when off.
func newCovercard(cfg *config.Config, plan config.Reach, sb *sandbox.Sandbox, now func() time.Time, base *http.Client) *covercard.Client {
	var u string
	switch plan.Mode {
	case config.Configured:
		u = plan.URL
	case config.Simulated:
		u = sb.CovercardURL()
	default:
		return nil
	}
	return covercard.New(covercard.Config{URL: u, Langue: cfg.Covercard.Langue, Timeout: cfg.HTTPTimeout, Now: now}, base)
}
