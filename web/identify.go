package web

import (
	"context"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/views"
)

// identifyPage is "IDENTIFIEZ VOTRE PATIENT(E)".
// It shows the one-time notice a previous step left (an identity just
// linked), and forgets it.
func (s *Server) identifyPage(c echo.Context) error {
	ctx := c.Request().Context()
	f := views.IdentifyForm{Notice: s.session(ctx).PopFlash(), Warning: s.session(ctx).PopWarning()}
	// A number typed when the session expired, back after the sign-in.
	if number, ok := s.session(ctx).PopDraft(s.accountID(ctx), s.Now()); ok {
		f.Value = number
		if f.Notice == "" {
			f.Notice = "identify.draft"
		}
	}
	return s.render(c, http.StatusOK, s.identifyPageOf(ctx, f))
}

// identifyPageOf is the identification page showing f, with the portal's
// options.
func (s *Server) identifyPageOf(ctx context.Context, f views.IdentifyForm) templ.Component {
	f.Swiss = s.swissEnabled()
	if f.Traits == nil && s.insiEnabled() {
		f.Traits = &views.TraitsForm{}
	}
	f.SharedPatient = s.sharingOn(ctx)
	return views.IdentifyPage(f)
}

// swissEnabled says whether Swiss insurance cards can be looked up.
func (s *Server) swissEnabled() bool { return s.Covercard != nil }
