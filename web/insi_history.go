package web

import (
	"strconv"
	"strings"

	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// historyRow is one audit row as "Historique" shows it. INSi calls and
// identity-vigilance changes are written by the store in its own words
// ("insi-traits" / "00", "identity-qualify" / "QUAL CN" or "refused: …");
// they are named here with the catalogue's keys (history.kind.insi_traits,
// outcome.insi_00…), and an identity by its number, never its traits.
func historyRow(l store.Lookup) views.LookupRow {
	r := views.LookupRow{ID: l.ID, At: l.At, Kind: l.Kind, Identifier: l.Identifier, Outcome: l.Outcome,
		PatientName: l.PatientName, Reopened: l.ReopenedFrom != 0}
	if l.Shown != "" {
		r.Outcome = l.Shown
	}
	switch l.Kind {
	case auditINSiTraits, auditINSiDemo:
		r.Kind = strings.ReplaceAll(l.Kind, "-", "_")
		r.Outcome = "insi_" + l.Outcome
		if strings.HasPrefix(l.Outcome, "00 refused") {
			// INSi found it, the portal kept it unchanged: douteuse or fictive.
			r.Outcome = "insi_blocked"
		}
	case store.AuditQualify, store.AuditMark:
		r.Kind = strings.ReplaceAll(l.Kind, "-", "_")
		n := strings.TrimPrefix(l.Identifier, "patient-identity:")
		r.Identifier = "#" + n
		if id, err := strconv.ParseInt(n, 10, 64); err == nil && id > 0 {
			r.Link = identityPath(id)
		}
		switch {
		case strings.HasPrefix(l.Outcome, "refused"):
			r.Outcome = "identity_refused"
		case l.Kind == store.AuditQualify:
			r.Outcome = "identity_qualified"
		default:
			r.Outcome = "identity_marked"
		}
	}
	return r
}
