package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/views"
)

// historyLength is how many lookups a page of "Historique" lists.
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
		Loc:                   s.loc,
	}
	// Only what this sign-in's authority said: a previous sign-in in the
	// same browser may have left its own.
	switch v.Authority {
	case authorityHIN:
		v.HINID = s.session(ctx).HINID()
		v.HINProfile = s.hinProfileView(s.session(ctx).HINProfile())
		v.Notice, v.Warning = s.session(ctx).PopFlash(), s.session(ctx).PopWarning()
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

// historyPage is "Historique": the professional's own lookups, newest
// first, a page at a time (?page=2…).
func (s *Server) historyPage(c echo.Context) error {
	ctx := c.Request().Context()
	page, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || page < 1 {
		page = 1
	}
	// One more than a page: whether there is an older page.
	lookups, err := s.Audit.LookupPage(ctx, s.accountID(ctx), (page-1)*historyLength, historyLength+1)
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
	v := views.HistoryView{First: (page-1)*historyLength + 1}
	if len(lookups) > historyLength {
		lookups = lookups[:historyLength]
		v.Older = historyPath(page + 1)
	}
	if page > 1 {
		v.Newer = historyPath(page - 1)
	}
	v.Lookups = lookupRows(lookups)
	return s.render(c, http.StatusOK, views.HistoryPage(v, s.loc))
}

func historyPath(page int) string {
	if page <= 1 {
		return "/historique"
	}
	return "/historique?page=" + strconv.Itoa(page)
}
