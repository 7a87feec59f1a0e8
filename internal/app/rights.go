package app

import (
	"net/http"
	"time"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/rights"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// newRights is the ADRi-shaped rights service's client: the sandbox's in
// demo mode; nil when there is none (the French page then says so).
func newRights(cfg *config.Config, sb *sandbox.Sandbox, now func() time.Time, base *http.Client) (*rights.Client, error) {
	if sb == nil {
		return nil, nil
	}
	return rights.New(rights.Config{
		URL: sb.ADRiURL(), IDAM: sandbox.ADRiIDAM, SoftwareName: "InfoPatient",
		Timeout: cfg.HTTPTimeout, Now: now,
	}, base)
}
