package app

import (
	"net/http"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/pscctx"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// newPSCContext is ANS's context-sharing API: the configured one
// (INFOPATIENT_PSC_CONTEXT_URL), else the sandbox's in demo mode when the
// portal signs in with the sandbox's PSC (the sandbox's API checks tokens
// at the sandbox's PSC only); nil when sharing is off.
func newPSCContext(cfg *config.Config, sb *sandbox.Sandbox, base *http.Client) (*pscctx.Client, error) {
	switch {
	case cfg.PSCContext.URL != "":
		return pscctx.New(cfg.PSCContext.URL, base)
	case sb != nil && !cfg.PSC.Configured():
		return pscctx.New(sb.PSCContextURL(), base)
	}
	return nil, nil
}
