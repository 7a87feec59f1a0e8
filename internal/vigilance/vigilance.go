// Package vigilance is the French identity-vigilance domain (RNIV): the
// four trust statuses of a patient identity, its attributes, the moves
// between statuses, what may be sent to INSi or shared, and how an INS is
// shown. It does no I/O: the store keeps identities, the pages show them,
// and both ask this package what is allowed.
package vigilance

import (
	"errors"
	"fmt"
	"strings"

	"github.com/infopatient/infopatient/internal/nir"
)

// Status is one of the four RNIV trust statuses; its value is the FR Core
// identityReliability code, as stored.
type Status string

// The statuses (RNIV EXI SI 07, codes of FR Core).
const (
	// Provisoire: not retrieved from INSi, not checked against a
	// high-trust document.
	Provisoire Status = "PROV"
	// Recuperee: retrieved from INSi, not yet checked against a document.
	Recuperee Status = "RECUP"
	// Validee: checked against a high-trust document, not from INSi.
	Validee Status = "VALI"
	// Qualifiee: retrieved from INSi and checked against a document.
	Qualifiee Status = "QUAL"
)

// Statuses lists the statuses in the RNIV's order.
var Statuses = []Status{Provisoire, Recuperee, Validee, Qualifiee}

// Errors of the transitions. They name no trait: they end up in logs.
var (
	ErrUnknownStatus = errors.New("vigilance: unknown status")
	// ErrBlocked: the identity is douteuse or fictive; it is neither sent
	// to INSi nor qualified (guide INS EXI ID 26).
	ErrBlocked = errors.New("vigilance: identity marked douteuse or fictive")
	// ErrAttributes: fictive with another attribute; only douteuse and
	// homonyme combine (EXI ID 24).
	ErrAttributes = errors.New("vigilance: attributes cannot be combined")
	// ErrNotRetrieved: qualification needs an identity retrieved from INSi.
	ErrNotRetrieved = errors.New("vigilance: identity not retrieved from INSi")
	// ErrAlreadyQualified: a qualified identity keeps its first
	// qualification (who, when, which document).
	ErrAlreadyQualified = errors.New("vigilance: identity already qualified")
	ErrUnknownDocument  = errors.New("vigilance: unknown identity document code")
	// ErrLowTrust: the document is in FR Core's list but is not a
	// high-trust one (driving licence, military card…).
	ErrLowTrust = errors.New("vigilance: identity document is not high-trust")
)

// ParseStatus reads a stored code.
func ParseStatus(code string) (Status, error) {
	for _, s := range Statuses {
		if string(s) == code {
			return s, nil
		}
	}
	return "", fmt.Errorf("%w %q", ErrUnknownStatus, code)
}

// Label is the RNIV's French name of the status; pages translate the
// code themselves, this is for logs and exports.
func (s Status) Label() string {
	switch s {
	case Provisoire:
		return "Identité provisoire"
	case Recuperee:
		return "Identité récupérée"
	case Validee:
		return "Identité validée"
	case Qualifiee:
		return "Identité qualifiée"
	}
	return string(s)
}

// Shareable reports whether the matricule INS and its OID may be shown
// as shareable or sent: only for a qualified identity (FR Core, RNIV).
func (s Status) Shareable() bool { return s == Qualifiee }

// NeedsWarning reports whether pages must warn that the identity is not
// qualified: every status but qualifiée.
func (s Status) NeedsWarning() bool { return s != Qualifiee }

// FromINSi reports whether the status says the identity came from INSi.
func (s Status) FromINSi() bool { return s == Recuperee || s == Qualifiee }

// Attributes are the RNIV attributes an identity may carry.
type Attributes struct {
	Homonyme bool
	Douteuse bool
	Fictive  bool
}

// Check refuses the combinations the guide forbids: fictive goes alone.
func (a Attributes) Check() error {
	if a.Fictive && (a.Douteuse || a.Homonyme) {
		return ErrAttributes
	}
	return nil
}

// Blocked reports whether the identity must not be sent to INSi nor
// qualified, and its INS not used.
func (a Attributes) Blocked() bool { return a.Douteuse || a.Fictive }

// Identity is what the rules need of a patient identity.
type Identity struct {
	Status     Status
	Attributes Attributes
}

// Effective is the status to show and act on: douteuse or fictive force
// provisoire whatever was recorded (EXI ID 26).
func (i Identity) Effective() Status {
	if i.Attributes.Blocked() {
		return Provisoire
	}
	return i.Status
}

// Shareable reports whether the INS may be shown as shareable.
func (i Identity) Shareable() bool { return i.Effective().Shareable() }

// CanQueryINSi refuses a douteuse or fictive identity, which is never sent
// to INSi nor qualified (and a forbidden combination of attributes).
func (i Identity) CanQueryINSi() error {
	if err := i.Attributes.Check(); err != nil {
		return err
	}
	if i.Attributes.Blocked() {
		return ErrBlocked
	}
	return nil
}

// Retrieved is the identity after INSi answered 00 for it: provisoire
// becomes récupérée, validée becomes qualifiée (both conditions then
// hold); récupérée and qualifiée stay.
func (i Identity) Retrieved() (Identity, error) {
	if err := i.CanQueryINSi(); err != nil {
		return i, err
	}
	switch i.Status {
	case Provisoire, "":
		i.Status = Recuperee
	case Validee:
		i.Status = Qualifiee
	case Recuperee, Qualifiee:
	default:
		return i, fmt.Errorf("%w %q", ErrUnknownStatus, i.Status)
	}
	return i, nil
}

// Validate is the identity after its traits were checked against doc:
// provisoire becomes validée, récupérée becomes qualifiée.
func (i Identity) Validate(doc Document) (Identity, error) {
	if err := i.CanQueryINSi(); err != nil {
		return i, err
	}
	if err := doc.CheckHighTrust(); err != nil {
		return i, err
	}
	switch i.Status {
	case Provisoire, "":
		i.Status = Validee
	case Recuperee:
		i.Status = Qualifiee
	case Validee:
	case Qualifiee:
		return i, ErrAlreadyQualified
	default:
		return i, fmt.Errorf("%w %q", ErrUnknownStatus, i.Status)
	}
	return i, nil
}

// Qualify is Validate for an identity retrieved from INSi, the portal's
// case: anything but récupérée is refused.
func (i Identity) Qualify(doc Document) (Identity, error) {
	if err := i.CanQueryINSi(); err != nil {
		return i, err
	}
	switch i.Status {
	case Recuperee:
		return i.Validate(doc)
	case Qualifiee:
		return i, ErrAlreadyQualified
	}
	return i, ErrNotRetrieved
}

// Mark sets the attributes; douteuse or fictive bring the status back to
// provisoire, since the INS may no longer be used.
func (i Identity) Mark(a Attributes) (Identity, error) {
	if err := a.Check(); err != nil {
		return i, err
	}
	i.Attributes = a
	if a.Blocked() {
		i.Status = Provisoire
	}
	return i, nil
}

// FormatMatricule groups a 13-character matricule and its key as the
// carte Vitale prints them: "2 75 12 63 220 749 74". Anything else is
// returned trimmed, as given.
func FormatMatricule(num, key string) string {
	num, key = strings.TrimSpace(num), strings.TrimSpace(key)
	if len(num) != 13 {
		return strings.TrimSpace(num + " " + key)
	}
	return strings.TrimSpace(nir.Group(num) + " " + key)
}
