package web

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/infopatient/infopatient/internal/covercard"
	"github.com/infopatient/infopatient/internal/hin"
)

// A professional's own HIN token that HIN refuses to renew (401, 404:
// hin.ErrRejected) is theirs to sort out by signing in with HIN again, not
// the practice's access being refused; the practice's refused access stays
// the administrator's business.
func TestClassifyLookupErrorOfARejectedRefresh(t *testing.T) {
	rejected := fmt.Errorf("covercard: getting an access token: %w", hin.ErrRejected)
	afterRetry := fmt.Errorf("%w: refreshing: %w", covercard.ErrUnauthorized, hin.ErrRejected)
	tests := []struct {
		name string
		err  error
		via  lookupVia
		want lookupFailure
	}{
		{"stale HIN token, refresh rejected", rejected, viaHIN, lookupFailure{lookupReauth, http.StatusUnauthorized, "identify.error.card_hin_refused"}},
		{"refused HIN token, refresh rejected", afterRetry, viaHIN, lookupFailure{lookupReauth, http.StatusUnauthorized, "identify.error.card_hin_refused"}},
		{"HIN token refused, sign in again", fmt.Errorf("x: %w", hin.ErrReauthRequired), viaHIN, lookupFailure{lookupReauth, http.StatusUnauthorized, "identify.error.card_reauth"}},
		{"practice's token rejected", rejected, viaService, lookupFailure{lookupForbidden, http.StatusBadGateway, "identify.error.card_practice"}},
		{"HIN unavailable", fmt.Errorf("x: %w", hin.ErrUnavailable), viaHIN, lookupFailure{lookupServiceError, http.StatusBadGateway, "identify.error.card_service"}},
		{"Covercard down", fmt.Errorf("x: %w", covercard.ErrUnavailable), viaService, lookupFailure{lookupServiceError, http.StatusBadGateway, "identify.error.card_service"}},
		{"Covercard's answer unreadable", fmt.Errorf("%w: no root element", covercard.ErrMalformed), viaService, lookupFailure{lookupMalformed, http.StatusBadGateway, "identify.error.card_malformed"}},
	}
	for _, tt := range tests {
		if got := classifyLookupError(tt.err, tt.via); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
