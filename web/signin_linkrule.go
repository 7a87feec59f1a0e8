package web

import (
	"context"

	"github.com/infopatient/infopatient/internal/store"
)

// linkRefusal says why an authority's identity may not be linked to an
// account by its own password ("" when it may): an account with an RPPS
// takes only the e-CPS identity of that RPPS (PSC's idNat is "8" + RPPS),
// and an account takes one identity per authority — an administrator
// links more with the command line.
func (s *Server) linkRefusal(ctx context.Context, authority, subject string, acct store.Account) (string, error) {
	if authority == authorityPSC && acct.RPPS != "" && subject != "8"+acct.RPPS {
		return "link.mismatch", nil
	}
	linked, err := s.Identities.IdentitiesOf(ctx, acct.ID)
	if err != nil {
		return "", err
	}
	for _, l := range linked {
		if l.Provider == authority && l.Subject != subject {
			return "link.one_per_authority", nil
		}
	}
	return "", nil
}
