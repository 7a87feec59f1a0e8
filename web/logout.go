package web

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
)

// logout ends the local session (POST only, with its CSRF token). The
// session is destroyed in the store, so the old cookie is worthless even
// if kept.
func (s *Server) logout(c echo.Context) error {
	ctx := c.Request().Context()
	id := s.accountID(ctx)
	if err := s.Sessions.Destroy(ctx); err != nil {
		return err
	}
	if id != 0 {
		s.Logger.InfoContext(ctx, "signed out", slog.Int64("account", id))
	}
	return c.Redirect(http.StatusSeeOther, "/?bye=1")
}
