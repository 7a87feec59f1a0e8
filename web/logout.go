package web

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
)

// logout ends the local session (POST only, with its CSRF token): the
// session is destroyed in the store, so the old cookie is worthless even if
// kept, and the HIN tokens are forgotten. After a Pro Santé Connect sign-in
// the browser then goes to PSC to end its own session too.
func (s *Server) logout(c echo.Context) error {
	ctx := c.Request().Context()
	id := s.accountID(ctx)
	authority := s.session(ctx).Authority()
	// The ID token (the hint of PSC's logout) is read before its record
	// is forgotten and the session destroyed.
	var idToken string
	if token := s.session(ctx).Token(); token != "" && authority == authorityPSC {
		var err error
		if idToken, err = s.pscIDToken(ctx); err != nil {
			return err
		}
		if idToken == "" {
			idToken = s.session(ctx).LegacyPSCIDToken()
		}
		if err := s.ProviderSessions.ForgetSessionToken(ctx, token); err != nil {
			return err
		}
	}
	if authority == authorityHIN && s.HINTokens != nil {
		if err := s.HINTokens.Forget(ctx, id); err != nil {
			return err
		}
	}
	if err := s.session(ctx).Destroy(); err != nil {
		return err
	}
	if id != 0 {
		s.Logger.InfoContext(ctx, "signed out", slog.Int64("account", id), slog.String("method", authority))
	}
	if authority != authorityPSC || idToken == "" {
		return c.Redirect(http.StatusSeeOther, "/?bye=1")
	}
	return s.endAtPSC(c, idToken, "/?bye=1")
}

// endAtPSC sends the browser to Pro Santé Connect to end its own
// session too (RP-initiated logout: id_token_hint, post_logout_redirect_uri
// and a state), after which the logout callback lands on done, a local
// page. The local session has already ended, or holds nothing signed in:
// a fresh anonymous session remembers the state PSC must send back. When
// PSC's end-session endpoint is unknown, the browser goes to done directly.
func (s *Server) endAtPSC(c echo.Context, idToken, done string) error {
	ctx := c.Request().Context()
	if s.PSC == nil {
		return c.Redirect(http.StatusSeeOther, done)
	}
	state := randomToken(24)
	target, err := s.PSC.LogoutURL(ctx, idToken, state)
	if err != nil {
		s.Logger.WarnContext(ctx, "pro santé connect logout unavailable", slog.Any("err", err))
		return c.Redirect(http.StatusSeeOther, done)
	}
	if err := s.renewToken(ctx); err != nil {
		return err
	}
	s.session(ctx).SetLogoutReturn(state, done, s.Now())
	return c.Redirect(http.StatusSeeOther, target)
}
