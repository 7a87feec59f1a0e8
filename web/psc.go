package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/infopatient/infopatient/internal/i18n"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// pscLogin starts "SE CONNECTER par e-CPS": a one-time state, nonce and
// PKCE verifier are kept server-side, then the browser goes to PSC.
func (s *Server) pscLogin(c echo.Context) error {
	if s.PSC == nil {
		return errAuthorityOff
	}
	p, err := s.startSignIn(c, authorityPSC, store.PendingLogin{Nonce: randomToken(32), CodeVerifier: oauth2.GenerateVerifier()})
	if err != nil {
		return err
	}
	// PSC's pages speak the portal's language.
	ctx := c.Request().Context()
	target, err := s.PSC.AuthCodeURL(ctx, p.State, p.Nonce, p.CodeVerifier, psc.UILocales(i18n.From(ctx).Lang))
	if err != nil {
		return s.signInFailed(authorityPSC, outcomeUnavailable, err)
	}
	noStore(c)
	return c.Redirect(http.StatusFound, target)
}

// pscCallback is the redirect URI registered with PSC.
func (s *Server) pscCallback(c echo.Context) error {
	callbackPage(c)
	if s.PSC == nil {
		return errAuthorityOff
	}
	pending, err := s.takeSignIn(c, authorityPSC)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := psc.CallbackError(c.QueryParams()); err != nil {
		return s.authorityFailed(ctx, authorityPSC, err)
	}
	code := c.QueryParam("code")
	if code == "" {
		return s.refuseSignIn(ctx, authorityPSC, outcomeRejected, errors.New("callback without code"))
	}
	login, err := s.PSC.Exchange(ctx, code, pending.CodeVerifier, pending.Nonce, c.QueryParam("iss"))
	if err != nil {
		return s.authorityFailed(ctx, authorityPSC, err)
	}
	pro := login.Professional
	if pro.IDNat == "" {
		return s.refuseSignIn(ctx, authorityPSC, outcomeRejected, errors.New("no idNat in the claims"))
	}
	return s.signInWith(c, verifiedIdentity{
		Authority:   authorityPSC,
		LinkSubject: pro.IDNat,
		DisplayName: pro.DisplayName(),
		Identifier:  pro.Identifier(),
		ReturnTo:    pending.ReturnTo,
		IDToken:     login.RawIDToken,
		SID:         login.SID,
		PSCSub:      login.Subject,
		Profile:     newPSCProfile(pro, login.IDTokenClaims, login.UserinfoClaims),
	}, nil)
}

// pscLogoutCallback is where PSC sends the browser back after its logout.
func (s *Server) pscLogoutCallback(c echo.Context) error {
	callbackPage(c)
	ctx := c.Request().Context()
	want, done := s.session(ctx).PopLogoutReturn()
	if want != "" && c.QueryParam("state") == want {
		if done != "/" {
			done = "/?bye=1"
		}
		return c.Redirect(http.StatusSeeOther, done)
	}
	// A replayed, stale or foreign return. It is no sign-in and no failed
	// one: the local session ended before the browser went to PSC. A
	// signed-in browser brought here by a link stays signed in (logout
	// takes a POST with its CSRF token).
	s.Logger.WarnContext(ctx, "pro santé connect logout return refused", slog.String("reason", "state mismatch"))
	if s.accountID(ctx) != 0 {
		return c.Redirect(http.StatusSeeOther, homePath)
	}
	return &pageError{view: views.ErrorView{Status: http.StatusBadRequest, Title: "auth.logout_state.title", Message: "auth.logout_state.body"}}
}

// pscBackchannelLogout ends every local session of a PSC session, on every
// instance, when PSC says that session ended (OpenID back-channel logout).
func (s *Server) pscBackchannelLogout(c echo.Context) error {
	noStore(c)
	if s.PSC == nil {
		return c.NoContent(http.StatusNotFound)
	}
	ctx := c.Request().Context()
	lt, err := s.PSC.VerifyLogoutToken(ctx, c.FormValue("logout_token"))
	if err != nil {
		s.Logger.WarnContext(ctx, "back-channel logout refused", slog.Any("err", err))
		return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid_request"})
	}
	ended, err := s.ProviderSessions.EndByLogoutToken(ctx, store.LogoutToken{
		Provider: authorityPSC, Issuer: lt.Issuer, JTI: lt.JTI,
		SID: lt.SID, Subject: lt.Subject, IssuedAt: lt.IssuedAt, Expiry: lt.Expiry,
	})
	if errors.Is(err, store.ErrReplayed) {
		s.Logger.WarnContext(ctx, "back-channel logout refused", slog.String("reason", "token replayed"))
		return c.JSON(http.StatusBadRequest, map[string]string{"error": "invalid_request"})
	}
	if err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "back-channel logout", slog.Int("sessions", ended))
	return c.NoContent(http.StatusOK)
}
