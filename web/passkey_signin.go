package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/passkey"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// Ceremony purposes: a state begun for one is never taken by another.
const (
	ceremonySignIn   = "signin"
	ceremonySecond   = "second"
	ceremonyLink     = "link"
	ceremonyRegister = "register"
)

// passkeyOptions answers the script with a ceremony's options (JSON) and
// keeps its state in the session. A ceremony begun without a session (the
// login page) starts one; CSRF tokens being bound to the session's token,
// the answer then carries the page's new token, which the script puts in
// every form of the page.
func (s *Server) passkeyOptions(c echo.Context, purpose string, options, state []byte) error {
	w := s.session(c.Request().Context())
	if err := w.SetPasskeyCeremony(purpose, state); err != nil {
		return err
	}
	if w.Token() == "" {
		if err := w.RenewToken(); err != nil { // the session's token, now
			return err
		}
		c.Response().Header().Set(csrfHeader, s.csrfToken("session:"+w.Token()))
	}
	noStore(c)
	return c.JSONBlob(http.StatusOK, options)
}

// optionsRefused answers the script when no ceremony can begin; the
// script then says so in the page's language.
func optionsRefused(c echo.Context, status int) error {
	noStore(c)
	return c.JSON(status, map[string]string{"error": http.StatusText(status)})
}

// signInOptions begins a discoverable sign-in (login page, button or
// autofill).
func (s *Server) signInOptions(c echo.Context) error {
	if !s.passkeysEnabled() {
		return optionsRefused(c, http.StatusNotFound)
	}
	options, state, err := s.rp.BeginSignIn(nil)
	if err != nil {
		return err
	}
	return s.passkeyOptions(c, ceremonySignIn, options, state)
}

// passkeySignIn signs in with a passkey alone.
func (s *Server) passkeySignIn(c echo.Context) error {
	ctx := c.Request().Context()
	if !s.passkeysEnabled() {
		return echo.ErrNotFound
	}
	f := s.loginForm(c.FormValue("return"))
	answerAs(c, loginPath(f.ReturnTo))
	state := s.session(ctx).PopPasskeyCeremony(ceremonySignIn)
	var acct store.Account
	v, err := s.rp.FinishSignIn(state, []byte(c.FormValue("credential")), s.findPasskeyOwner(ctx, &acct))
	if err == nil {
		err = s.recordUse(ctx, v)
	}
	if err != nil {
		key, status, ok := passkeyRefusal(err)
		if !ok {
			return err
		}
		s.logRefusal(ctx, ceremonySignIn, err)
		f.Error = key
		return s.render(c, status, views.LoginPage(f))
	}
	if err := s.signIn(ctx, localSignedIn(acct)); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "signed in", slog.String("method", authorityPasskey), slog.Int64("account", acct.ID))
	s.countSignIn(authorityPasskey, outcomeSuccess)
	return c.Redirect(http.StatusSeeOther, f.ReturnTo)
}

// pendingSecondStep is the password sign-in waiting for its passkey, if
// still valid.
func (s *Server) pendingSecondStep(c echo.Context) (passkeyPending, bool) {
	p, ok := s.session(c.Request().Context()).PasskeyPending()
	if !ok || s.Now().Unix() > p.Expires || !s.passkeysEnabled() {
		return p, false
	}
	return p, true
}

// secondStepPage asks for a passkey after the password.
func (s *Server) secondStepPage(c echo.Context) error {
	if _, ok := s.pendingSecondStep(c); !ok {
		return c.Redirect(http.StatusSeeOther, "/?expired=1")
	}
	noStore(c)
	return s.render(c, http.StatusOK, views.PasskeyStepPage(views.PasskeyStepView{Origin: s.passkeyOrigin()}))
}

// secondStepOptions begins the second step: only the account's passkeys.
func (s *Server) secondStepOptions(c echo.Context) error {
	ctx := c.Request().Context()
	p, ok := s.pendingSecondStep(c)
	if !ok {
		return optionsRefused(c, http.StatusBadRequest)
	}
	acct, err := s.Accounts.AccountByID(ctx, p.Account)
	if err != nil {
		return err
	}
	u, _, err := s.passkeyUser(ctx, acct)
	if err != nil {
		return err
	}
	options, state, err := s.rp.BeginSignIn(&u)
	if errors.Is(err, passkey.ErrUnknownCredential) {
		return optionsRefused(c, http.StatusConflict) // its passkeys went meanwhile
	} else if err != nil {
		return err
	}
	return s.passkeyOptions(c, ceremonySecond, options, state)
}

// secondStep finishes a password sign-in with one of the account's
// passkeys.
func (s *Server) secondStep(c echo.Context) error {
	ctx := c.Request().Context()
	answerAs(c, "/auth/passkey/second")
	p, ok := s.pendingSecondStep(c)
	if !ok {
		return &pageError{view: views.ErrorView{Status: http.StatusBadRequest, Title: "auth.state.title", Message: "passkey.error.expired"}}
	}
	state := s.session(ctx).PopPasskeyCeremony(ceremonySecond)
	acct, err := s.Accounts.AccountByID(ctx, p.Account)
	if err != nil {
		return err
	}
	find := func(_, handle []byte) (passkey.User, error) {
		u, _, err := s.passkeyUser(ctx, acct)
		return u, err
	}
	v, err := s.rp.FinishSignIn(state, []byte(c.FormValue("credential")), find)
	if err == nil {
		err = s.recordUse(ctx, v)
	}
	if err != nil {
		key, status, ok := passkeyRefusal(err)
		if !ok {
			return err
		}
		s.logRefusal(ctx, ceremonySecond, err)
		noStore(c)
		return s.render(c, status, views.PasskeyStepPage(views.PasskeyStepView{Error: key, Origin: s.passkeyOrigin()}))
	}
	if err := s.signIn(ctx, localSignedIn(acct)); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "signed in", slog.String("method", authorityLocal), slog.Int64("account", acct.ID),
		slog.String("second_step", authorityPasskey))
	s.countSignIn(authorityLocal, outcomeSuccess)
	return c.Redirect(http.StatusSeeOther, safeReturn(p.ReturnTo))
}

// cancelSecondStep forgets the password sign-in waiting for its passkey.
func (s *Server) cancelSecondStep(c echo.Context) error {
	s.session(c.Request().Context()).ForgetPasskeyPending()
	return c.Redirect(http.StatusSeeOther, "/")
}

// linkOptions begins a discoverable sign-in on the linking page.
func (s *Server) linkOptions(c echo.Context) error {
	if _, ok := s.pendingLink(c.Request().Context()); !ok || !s.passkeysEnabled() {
		return optionsRefused(c, http.StatusBadRequest)
	}
	options, state, err := s.rp.BeginSignIn(nil)
	if err != nil {
		return err
	}
	return s.passkeyOptions(c, ceremonyLink, options, state)
}

// linkWithPasskey links the waiting identity to the account of the
// passkey presented, instead of its password.
func (s *Server) linkWithPasskey(c echo.Context) error {
	ctx := c.Request().Context()
	answerAs(c, "/auth/link")
	id, ok := s.pendingLink(ctx)
	if !ok || !s.passkeysEnabled() {
		return &pageError{view: views.ErrorView{Status: http.StatusBadRequest, Title: "auth.state.title", Message: "link.expired"}}
	}
	f := views.LinkForm{Authority: id.Authority, Who: id.who(), PasskeyOrigin: s.passkeyOrigin()}
	state := s.session(ctx).PopPasskeyCeremony(ceremonyLink)
	var acct store.Account
	v, err := s.rp.FinishSignIn(state, []byte(c.FormValue("credential")), s.findPasskeyOwner(ctx, &acct))
	if err == nil {
		err = s.recordUse(ctx, v)
	}
	if err != nil {
		key, status, ok := passkeyRefusal(err)
		if !ok {
			return err
		}
		s.logRefusal(ctx, ceremonyLink, err)
		f.Error = key
		return s.render(c, status, views.LinkPage(f))
	}
	return s.completeLink(c, id, acct, f)
}
