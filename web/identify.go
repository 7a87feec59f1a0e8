package web

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/views"
)

// identifyPage is "IDENTIFIEZ VOTRE PATIENT(E)".
func (s *Server) identifyPage(c echo.Context) error {
	return s.render(c, http.StatusOK, s.identifyPageOf(views.IdentifyForm{}))
}

// identifyPageOf is the identification page showing f, with the portal's
// options.
func (s *Server) identifyPageOf(f views.IdentifyForm) templ.Component {
	f.Swiss = s.swissEnabled()
	return views.IdentifyPage(f)
}

// swissEnabled says whether Swiss insurance cards can be looked up.
func (s *Server) swissEnabled() bool { return s.Covercard != nil }
