package store

import (
	"errors"
	"strconv"
	"strings"

	"github.com/infopatient/infopatient/internal/vigilance"
)

// auditIdentity names an identity in the audit trail by its row id, not
// by its traits or matricule.
func auditIdentity(id int64) string { return "patient-identity:" + strconv.FormatInt(id, 10) }

// refusal is the audit outcome of a change identity vigilance refused.
func refusal(err error) string {
	switch {
	case errors.Is(err, vigilance.ErrBlocked):
		return "douteuse or fictive"
	case errors.Is(err, vigilance.ErrLowTrust):
		return "document not high-trust"
	case errors.Is(err, vigilance.ErrUnknownDocument):
		return "unknown document"
	case errors.Is(err, vigilance.ErrNotRetrieved):
		return "not retrieved from INSi"
	case errors.Is(err, vigilance.ErrAlreadyQualified):
		return "already qualified"
	}
	return "invalid"
}

// attributesOutcome is the audit outcome of a marking: the attributes
// set, "none" for none.
func attributesOutcome(a vigilance.Attributes) string {
	var out []string
	if a.Homonyme {
		out = append(out, "homonyme")
	}
	if a.Douteuse {
		out = append(out, "douteuse")
	}
	if a.Fictive {
		out = append(out, "fictive")
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, " ")
}
