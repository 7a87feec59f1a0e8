package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// loginPage shows the sign-in form; a signed-in professional goes straight
// to the identification page.
func (s *Server) loginPage(c echo.Context) error {
	ctx := c.Request().Context()
	if s.accountID(ctx) != 0 {
		return c.Redirect(http.StatusSeeOther, safeReturn(c.QueryParam("return")))
	}
	f := s.loginForm(c.QueryParam("return"))
	switch {
	case c.QueryParam("expired") == "1":
		f.Notice = "login.expired"
	case c.QueryParam("bye") == "1":
		f.Notice = "login.logged_out"
	}
	return s.render(c, http.StatusOK, views.LoginPage(f))
}

func (s *Server) loginForm(returnTo string) views.LoginForm {
	r := safeReturn(returnTo)
	return views.LoginForm{ReturnTo: r, PSC: s.pscEnabled(), HIN: s.hinEnabled()}
}

// login checks a local account's credentials. Unknown account and wrong
// password get the same message and take the same time: an unknown one is
// still compared, against a stand-in hash of the same bcrypt cost.
func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	login := normaliseLogin(c.FormValue("login"))
	pw := c.FormValue("password")
	f := s.loginForm(c.FormValue("return"))
	f.Login = login
	if login == "" || pw == "" {
		f.Error = "login.missing"
		return s.render(c, http.StatusUnprocessableEntity, views.LoginPage(f))
	}

	if throttled, err := s.throttled(c, login); err != nil {
		return err
	} else if throttled {
		s.Metrics.SignIn("local", "throttled")
		f.Error = "login.throttled"
		c.Response().Header().Set("Retry-After", retryAfter(s.Config.LoginWindow))
		return s.render(c, http.StatusTooManyRequests, views.LoginPage(f))
	}

	acct, err := s.Accounts.AccountByLogin(ctx, login)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if !s.Passwords.Check(acct.PasswordHash, pw) {
		s.Logger.InfoContext(ctx, "sign-in refused", slog.String("method", "local"), slog.String("ip", c.RealIP()))
		s.Metrics.SignIn("local", "refused")
		f.Error = "login.failed"
		return s.render(c, http.StatusUnauthorized, views.LoginPage(f))
	}

	if err := s.Limiter.ResetRateLimit(ctx, accountLimitKey(login)); err != nil {
		return err
	}
	if err := s.signIn(ctx, SignedIn{
		AccountID:   acct.ID,
		DisplayName: displayName(acct),
		Identifier:  accountIdentifier(acct),
		Method:      "local",
	}); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "signed in", slog.String("method", "local"), slog.Int64("account", acct.ID))
	s.Metrics.SignIn("local", "success")
	return c.Redirect(http.StatusSeeOther, f.ReturnTo)
}

// throttled counts this attempt against the account and the address.
func (s *Server) throttled(c echo.Context, login string) (bool, error) {
	byAddress, err := s.throttledAddress(c)
	if err != nil {
		return false, err
	}
	perAccount, err := s.Limiter.HitRateLimit(c.Request().Context(), accountLimitKey(login), s.Config.LoginWindow, s.Now())
	if err != nil {
		return false, err
	}
	return byAddress || perAccount > s.Config.LoginMaxPerAccount, nil
}

// throttledAddress counts this attempt against the address alone, for a
// sign-in that names no account (a pasted HIN code).
func (s *Server) throttledAddress(c echo.Context) (bool, error) {
	n, err := s.Limiter.HitRateLimit(c.Request().Context(), "login:addr:"+c.RealIP(), s.Config.LoginWindow, s.Now())
	if err != nil {
		return false, err
	}
	return n > s.Config.LoginMaxPerAddress, nil
}

func accountLimitKey(login string) string { return "login:acct:" + login }

// normaliseLogin drops the spaces people type in their number.
func normaliseLogin(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// displayName is the header's "VIRGINIE MEDECIN".
func displayName(a store.Account) string {
	return strings.ToUpper(strings.TrimSpace(a.GivenName + " " + a.FamilyName))
}

// accountIdentifier is what the header shows beside the name.
func accountIdentifier(a store.Account) string {
	if a.RPPS != "" {
		return "RPPS " + a.RPPS
	}
	return "N° AM " + a.Login
}

// forgotPage explains how a password is reset.
func (s *Server) forgotPage(c echo.Context) error {
	return s.render(c, http.StatusOK, views.ForgotPage())
}

// pscEnabled and hinEnabled say whether the login page offers each authority.
func (s *Server) pscEnabled() bool { return s.PSC != nil }
func (s *Server) hinEnabled() bool { return s.HIN != nil }

// retryAfter is the Retry-After header value: the window, in seconds.
func retryAfter(window time.Duration) string {
	return strconv.Itoa(int(window.Seconds()))
}
