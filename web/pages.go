package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/views"
)

// historyLength is how many lookups "Historique" lists.
const historyLength = 50

// profilePage is "Mes informations": the account, and everything the
// authority said about the professional at sign-in.
func (s *Server) profilePage(c echo.Context) error {
	ctx := c.Request().Context()
	acct, err := s.Accounts.AccountByID(ctx, s.accountID(ctx))
	if err != nil {
		return err
	}
	ids, err := s.Identities.IdentitiesOf(ctx, acct.ID)
	if err != nil {
		return err
	}
	v := views.ProfileView{
		Account:               accountView(acct),
		AccountProfessionCode: psc.ProfessionCode(acct.Profession),
		Identities:            identityViews(ids),
		Authority:             s.session(ctx).Authority(),
	}
	// Only what this sign-in's authority said: a previous sign-in in the
	// same browser may have left its own.
	switch v.Authority {
	case authorityHIN:
		v.HINID = s.session(ctx).HINID()
	case authorityPSC:
		// Recorded with the record of this session's PSC session, under its token.
		p, err := s.pscSessionProfile(ctx)
		if err != nil {
			return err
		}
		if p != nil {
			v.Professional, v.Claims = p.views()
		}
	}
	return s.render(c, http.StatusOK, views.ProfilePage(v))
}

// historyPage is "Historique": the professional's own recent lookups.
func (s *Server) historyPage(c echo.Context) error {
	ctx := c.Request().Context()
	lookups, err := s.Audit.RecentLookups(ctx, s.accountID(ctx), historyLength)
	if err != nil {
		return err
	}
	if s.Passkeys != nil {
		events, err := s.Passkeys.RecentSecurityEvents(ctx, s.accountID(ctx), historyLength)
		if err != nil {
			return err
		}
		c.SetRequest(c.Request().WithContext(views.WithSecurityEvents(ctx, securityEventRows(events))))
	}
	return s.render(c, http.StatusOK, views.HistoryPage(lookupRows(lookups), s.loc))
}
