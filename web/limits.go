package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/views"
)

// maxRequestURI bounds a request's path and query: no page of the portal
// needs more, and a longer one (a 500 KB query) is refused before any
// handler or page repeats it.
const maxRequestURI = 8 << 10

var errURITooLong = &pageError{view: views.ErrorView{
	Status: http.StatusRequestURITooLong, Title: "error.uri_too_long.title", Message: "error.uri_too_long.body",
}}

// limitURI answers 414 to an overlong URL.
func (s *Server) limitURI(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if len(c.Request().RequestURI) > maxRequestURI {
			return errURITooLong
		}
		return next(c)
	}
}
