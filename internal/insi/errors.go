package insi

import (
	"errors"
	"strings"
)

// Errors of a search. Test them with errors.Is; messages never hold the
// traits, the matricule or a token.
var (
	// ErrUnavailable: INSi could not be reached, timed out, answered an
	// unexpected HTTP status, or said it is unavailable (insi_111,
	// siram_40, severity « fatale »).
	ErrUnavailable = errors.New("insi: service unavailable")
	// ErrUnknownSoftware: INSi does not know the software's authorisation
	// number (IDAM), fault desir_550.
	ErrUnknownSoftware = errors.New("insi: software authorisation number (IDAM) unknown")
	// ErrAccessLevel: the caller is not entitled, fault DESIR_560 (in mTLS
	// mode, a certificate whose CN is not INSI-AUTO or INSI-MANU).
	ErrAccessLevel = errors.New("insi: access level insufficient")
	// ErrRefused: any other SIRAM fault.
	ErrRefused = errors.New("insi: request refused")
	// ErrMalformed: the answer is not an INSi answer (bad XML, SOAP 1.1 or
	// another namespace, missing or ill-formed fields, unknown OID, too large).
	ErrMalformed = errors.New("insi: malformed response")
	// ErrBadKey: a matricule in the answer does not match its key; the
	// identity must not be used.
	ErrBadKey = errors.New("insi: matricule key does not verify")
	// ErrRedirect: INSi answered with a redirect, which is never followed.
	ErrRedirect = errors.New("insi: redirect refused")
	// ErrConfig: the client's configuration cannot work (bad URL,
	// certificate, missing IDAM, no professional in psc mode).
	ErrConfig = errors.New("insi: invalid configuration")
)

// Fault is a SIRAM fault (SOAP 1.2 Fault with siram:Erreur in Detail).
// Err is the category: ErrUnknownSoftware, ErrAccessLevel, ErrUnavailable
// or ErrRefused.
type Fault struct {
	// Subcode is the SOAP Subcode value without prefix (siram_100…).
	Subcode string
	// Code and Severity are siram:Erreur's attributes (desir_550, erreur).
	Code, Severity string
	// Reason is the human text INSi gives (French).
	Reason string
	// MessageID is the request's id as INSi echoes it.
	MessageID string
	Err       error
}

func (f *Fault) Error() string {
	s := f.Err.Error() + " (SOAP fault"
	if f.Subcode != "" {
		s += " " + f.Subcode
	}
	if f.Code != "" {
		s += ", " + f.Code
	}
	if f.Severity != "" {
		s += " " + f.Severity
	}
	return s + ")"
}

func (f *Fault) Unwrap() error { return f.Err }

// faultCategory classifies a fault by its codes, case-insensitively:
// INSi writes desir_550 but DESIR_560.
func faultCategory(subcode, code, severity string) error {
	c, sub := strings.ToLower(code), strings.ToLower(subcode)
	switch {
	case c == "desir_550":
		return ErrUnknownSoftware
	case c == "desir_560":
		return ErrAccessLevel
	case c == "insi_111", sub == "siram_40", strings.EqualFold(severity, "fatale"):
		return ErrUnavailable
	}
	return ErrRefused
}
