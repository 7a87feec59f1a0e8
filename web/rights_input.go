package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/infopatient/infopatient/internal/rights"
	"github.com/infopatient/infopatient/views"
)

// isoDate reads a date as typed — JJ/MM/AAAA (also with dots or dashes,
// or the eight digits alone), or AAAA-MM-JJ as a date picker sends it —
// and writes it AAAA-MM-JJ. What it cannot read is returned as typed,
// for the request's own check to refuse.
func isoDate(typed string) string {
	s := strings.TrimSpace(typed)
	var d, m, y string
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		return s
	case len(s) == 10 && s[2] == s[5] && strings.ContainsRune("/.-", rune(s[2])):
		d, m, y = s[0:2], s[3:5], s[6:10]
	case len(s) == 8 && allDigits(s):
		d, m, y = s[0:2], s[2:4], s[4:8]
	default:
		return s
	}
	if !allDigits(d + m + y) {
		return s
	}
	return y + "-" + m + "-" + d
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// errFuture: a date of birth after today.
var errFuture = errors.New("in the future")

// rightsInputError is the message and field of a refused input.
func rightsInputError(err error, birthDate string) (key, field string) {
	var ie *rights.InputError
	if !errors.As(err, &ie) {
		return "identify.error.nir_invalid", ""
	}
	switch ie.Field {
	case rights.FieldNIR:
		return nirErrorKey(ie.Err), ""
	case rights.FieldBirthDate:
		switch {
		case birthDate == "":
			return "rights.error.birth_date_missing", views.FieldBirthDate
		case errors.Is(ie.Err, errFuture):
			return "rights.error.birth_date_future", views.FieldBirthDate
		}
		return "rights.error.birth_date_invalid", views.FieldBirthDate
	case rights.FieldRank:
		return "rights.error.rank", views.FieldRank
	}
	return "identify.error.nir_invalid", ""
}

// classifyRightsError maps a failed ADRi call to its audit outcome, its
// status and what the professional is told.
func classifyRightsError(err error) lookupFailure {
	switch {
	case errors.Is(err, rights.ErrUnknownBeneficiary):
		return lookupFailure{lookupNotFound, http.StatusNotFound, "rights.error.not_found"}
	case errors.Is(err, rights.ErrRefused):
		return lookupFailure{lookupRefused, http.StatusBadGateway, "rights.error.refused"}
	case errors.Is(err, rights.ErrMalformed):
		return lookupFailure{lookupMalformed, http.StatusBadGateway, "rights.error.malformed"}
	case timedOut(err):
		return lookupFailure{lookupServiceError, http.StatusGatewayTimeout, "rights.error.timeout"}
	}
	return lookupFailure{lookupServiceError, http.StatusBadGateway, "rights.error.unavailable"}
}

// timedOut says whether a call failed for want of an answer in time.
func timedOut(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
