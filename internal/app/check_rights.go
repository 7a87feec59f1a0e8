package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/infopatient/infopatient/internal/rights"
)

// The beneficiary `infopatient check` asks ADRi about: ADRDEUX GUNTHER,
// the test case of a public ADRi client, on an invented assuré NIR. The
// sandbox knows him; a real ADRi answers that it knows no such
// beneficiary, which proves as well that it accepted the software and
// its certificate. Either way no patient's data is read.
const (
	checkAssure    = "1700647123045"
	checkBirthDate = "2001-06-17"
)

// rightsCheck makes one harmless ADRi call.
func rightsCheck(ctx context.Context, c *rights.Client) Check {
	ch := Check{Authority: "ADRi", What: "rights request", Target: c.URL()}
	req, err := rights.NewRequest(checkAssure, checkBirthDate, "1")
	if err != nil {
		ch.Detail = err.Error()
		return ch
	}
	if c.Auth() == rights.AuthPSC {
		// psc mode needs a signed-in professional: none at the command line.
		ch.Skipped, ch.Detail = true, "psc mode: a request needs a signed-in professional"
		return ch
	}
	start := time.Now()
	_, err = c.Acquire(ctx, req)
	took := time.Since(start).Round(time.Millisecond)
	switch {
	case err == nil:
		ch.OK, ch.Detail = true, fmt.Sprintf("answered with the test beneficiary's rights in %s", took)
	case errors.Is(err, rights.ErrUnknownBeneficiary):
		ch.OK, ch.Detail = true, fmt.Sprintf("accepted the request (test beneficiary unknown, as expected outside the sandbox) in %s", took)
	case errors.Is(err, rights.ErrRefused):
		ch.Detail = "refused this software or certificate (check INFOPATIENT_ADRI_IDAM and the client certificate): " + err.Error()
	default:
		ch.Detail = err.Error()
	}
	return ch
}
