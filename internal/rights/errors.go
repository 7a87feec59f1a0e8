package rights

import (
	"errors"
	"strconv"
)

// Errors of Acquire. Messages never contain a NIR, a name or a date.
var (
	// ErrInvalidRequest: the inputs are not a valid ADRi request; see
	// InputError for the field.
	ErrInvalidRequest = errors.New("rights: invalid request")
	// ErrUnknownBeneficiary: ADRi knows no beneficiary for this NIR,
	// date of birth and rank.
	ErrUnknownBeneficiary = errors.New("rights: unknown beneficiary")
	// ErrUnavailable: the service could not be reached, answered with a
	// server error or a fault saying it is unavailable, or timed out.
	ErrUnavailable = errors.New("rights: service unavailable")
	// ErrRefused: the service refused this software or certificate
	// (IDAM unknown, access level): a configuration matter.
	ErrRefused = errors.New("rights: request refused by the service")
	// ErrMalformed: the answer is not an ADRi answer, or is about another
	// beneficiary.
	ErrMalformed = errors.New("rights: malformed response")
)

var errMissing = errors.New("missing")

// Field names an input of the request.
type Field string

// The inputs.
const (
	FieldNIR       Field = "nir_assure"
	FieldBirthDate Field = "date_naissance"
	FieldRank      Field = "rang_naissance"
	FieldRegime    Field = "code_regime"
)

// InputError says which input is wrong; it wraps ErrInvalidRequest and
// the cause (a *nir.Error for the NIR).
type InputError struct {
	Field Field
	Err   error
}

func (e *InputError) Error() string {
	return ErrInvalidRequest.Error() + ": " + string(e.Field) + ": " + e.Err.Error()
}

// Is makes errors.Is(err, ErrInvalidRequest) hold.
func (e *InputError) Is(target error) bool { return target == ErrInvalidRequest }

func (e *InputError) Unwrap() error { return e.Err }

// FaultError is a SOAP fault of the service: siram:Erreur's code and
// severity, and the fault's text. It wraps ErrUnavailable or ErrRefused.
type FaultError struct {
	Code, Severity, Text string
	Err                  error
}

func (e *FaultError) Error() string {
	return e.Err.Error() + ": fault " + e.Code + " (" + e.Severity + "): " + e.Text
}

func (e *FaultError) Unwrap() error { return e.Err }

// StatusError records the HTTP status behind ErrUnavailable.
type StatusError struct {
	StatusCode int
	Err        error
}

func (e *StatusError) Error() string {
	return e.Err.Error() + " (HTTP " + strconv.Itoa(e.StatusCode) + ")"
}

func (e *StatusError) Unwrap() error { return e.Err }
