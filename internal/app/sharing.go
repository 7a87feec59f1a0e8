package app

import (
	"net/http"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/pscctx"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// newPSCContext is ANS's context-sharing API as the plan says: the
// configured one (INFOPATIENT_PSC_CONTEXT_URL), the sandbox's, or none
// (sharing off).
func newPSCContext(r config.Reach, sb *sandbox.Sandbox, base *http.Client) (*pscctx.Client, error) {
	switch {
	case r.Mode == config.Configured:
		return pscctx.New(r.URL, base)
	case r.Simulated() && sb != nil:
		return pscctx.New(sb.PSCContextURL(), base)
	}
	return nil, nil
}
