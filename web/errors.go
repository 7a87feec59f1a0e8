package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/views"
)

// pageError is an error a handler returns to show a specific error page.
type pageError struct {
	view views.ErrorView
	// cause is logged, never shown.
	cause error
}

func (e *pageError) Error() string {
	if e.cause != nil {
		return e.view.Title + ": " + e.cause.Error()
	}
	return e.view.Title
}

func (e *pageError) Unwrap() error { return e.cause }

var errCSRF = &pageError{view: views.ErrorView{Status: http.StatusForbidden, Title: "error.csrf.title", Message: "error.csrf.body"}}

// standardPages maps the statuses Echo raises itself to their pages.
var standardPages = map[int]views.ErrorView{
	http.StatusBadRequest:            {Title: "error.bad_request.title", Message: "error.bad_request.body"},
	http.StatusNotFound:              {Title: "error.not_found.title", Message: "error.not_found.body"},
	http.StatusMethodNotAllowed:      {Title: "error.method.title", Message: "error.method.body"},
	http.StatusRequestEntityTooLarge: {Title: "error.too_large.title", Message: "error.too_large.body"},
	http.StatusForbidden:             {Title: "error.csrf.title", Message: "error.csrf.body"},
}

// handleError renders every error as a page in the user's language. The
// cause of a 5xx is logged (with the request id, from the context); the
// user sees none of it.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	view := views.ErrorView{Status: http.StatusInternalServerError, Title: "error.internal.title", Message: "error.internal.body"}
	var pe *pageError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &pe):
		view = pe.view
	case errors.As(err, &he):
		if v, ok := standardPages[he.Code]; ok {
			view = v
			view.Status = he.Code
		}
	}
	if view.Status >= 500 {
		s.Logger.ErrorContext(c.Request().Context(), "request failed",
			slog.String("route", c.Path()), slog.Any("err", err))
	}
	if req := c.Request(); req.Context().Err() != nil {
		// The server cancelled the request (its body could not be read):
		// the error page is still rendered and its real status logged.
		c.SetRequest(req.WithContext(context.WithoutCancel(req.Context())))
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(view.Status)
		return
	}
	if rerr := s.render(c, view.Status, views.ErrorPage(view)); rerr != nil {
		s.Logger.ErrorContext(c.Request().Context(), "error page failed", slog.Any("err", rerr))
	}
}

// render writes a templ component as an HTML response. The page is built
// in memory first, so a failing template still yields a proper error page.
func (s *Server) render(c echo.Context, status int, page templ.Component) error {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledPage {
			buf.Reset()
			renderBuffers.Put(buf)
		}
	}()
	if err := page.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// renderBuffers are reused across pages: growing a fresh buffer to a
// page's size was the largest allocation of a signed-in request.
var renderBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 16<<10)) }}

// maxPooledPage keeps an unusually large page's buffer out of the pool.
const maxPooledPage = 256 << 10
