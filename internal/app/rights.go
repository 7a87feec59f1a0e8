package app

import (
	"cmp"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/rights"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// newRights is the client of the ADRi-shaped service French patients'
// rights are read from, as the plan says: the configured one, the
// sandbox's, or none (the French page then says it is not configured).
func newRights(cfg *config.Config, reach config.Reach, sb *sandbox.Sandbox, now func() time.Time, base *http.Client) (*rights.Client, error) {
	a := cfg.ADRi
	rc := rights.Config{
		Auth:         rights.AuthMode(a.Auth),
		SoftwareName: a.SoftwareName, SoftwareVersion: cmp.Or(a.SoftwareVersion, buildVersion()),
		Timeout: cfg.HTTPTimeout, Now: now,
	}
	switch {
	case reach.Mode == config.Configured:
		rc.URL, rc.IDAM = a.URL, a.IDAM
		if len(a.ClientCert) > 0 {
			cert, err := rights.LoadCertificate(a.ClientCert, a.ClientKey, a.ClientCertPassword)
			if err != nil {
				return nil, err
			}
			rc.Certificate = &cert
		}
		if len(a.CA) > 0 {
			roots, err := rights.LoadRoots(a.CA)
			if err != nil {
				return nil, err
			}
			rc.RootCAs = roots
		}
	case reach.Mode == config.Simulated && sb != nil:
		// The sandbox knows its own IDAM; a configured one lets a demo
		// show ADRi refusing the software.
		rc.URL, rc.IDAM = sb.ADRiURL(), cmp.Or(a.IDAM, sandbox.ADRiIDAM)
	default:
		return nil, nil
	}
	return rights.New(rc, base)
}

// buildVersion is the module version the binary was built from ("dev"
// for a build from a work tree).
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
