package web

import (
	"context"

	"github.com/infopatient/infopatient/internal/store"
)

// linkRefusal says why an authority's identity may not be linked to an
// account by its own password ("" when it may): an account with an RPPS
// takes only the e-CPS identity of that RPPS (PSC's idNat is "8" + RPPS),
// an account with a GLN refuses a HIN identity whose directory GLN is
// another (a GLN not known — no directory, not read, none in the profile
// — does not refuse), and an account takes one identity per authority — an
// administrator links more with the command line.
func (s *Server) linkRefusal(ctx context.Context, id verifiedIdentity, acct store.Account) (string, error) {
	authority, subject := id.Authority, id.LinkSubject
	if authority == authorityPSC && acct.RPPS != "" && subject != "8"+acct.RPPS {
		return "link.mismatch", nil
	}
	if authority == authorityHIN && acct.GLN != "" && id.HINProfile != nil && id.HINProfile.GLN != "" && id.HINProfile.GLN != acct.GLN {
		return "link.gln_mismatch", nil
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
