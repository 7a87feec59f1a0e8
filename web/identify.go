package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/views"
)

// identifyPage is "IDENTIFIEZ VOTRE PATIENT(E)".
func (s *Server) identifyPage(c echo.Context) error {
	return s.render(c, http.StatusOK, views.IdentifyPage(s.identifyForm("")))
}

func (s *Server) identifyForm(value string) views.IdentifyForm {
	return views.IdentifyForm{Value: value, Swiss: s.swissEnabled()}
}

// swissEnabled says whether Swiss insurance cards can be looked up.
func (s *Server) swissEnabled() bool { return s.Covercard != nil }
