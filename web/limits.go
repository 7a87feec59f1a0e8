package web

import (
	"errors"
	"net"
	"net/http"
	"strings"

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

// readForm reads a form body before anything else looks at it, so that a
// body that cannot be read is answered for what it is: 408 when the client
// stopped sending (the server's read timeout), 400 when unreadable — never
// the empty form a handler would otherwise see, answered 200. Too large a
// body stays Echo's 413.
func (s *Server) readForm(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if safeMethod(req.Method) || req.Body == nil || req.Body == http.NoBody ||
			!strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEApplicationForm) {
			return next(c)
		}
		if err := req.ParseForm(); err != nil {
			var he *echo.HTTPError
			var ne net.Error
			switch {
			case errors.As(err, &he):
				return he
			case errors.As(err, &ne) && ne.Timeout():
				return errBodyTimeout
			default:
				return errBadForm
			}
		}
		return next(c)
	}
}

var errBodyTimeout = &pageError{view: views.ErrorView{
	Status: http.StatusRequestTimeout, Title: "error.body_timeout.title", Message: "error.body_timeout.body",
}}

var errBadForm = &pageError{view: views.ErrorView{
	Status: http.StatusBadRequest, Title: "error.bad_form.title", Message: "error.bad_form.body",
}}
