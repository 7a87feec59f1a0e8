package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

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
	ended, _ := c.Get(ctxSessionEnded).(bool)
	switch {
	case c.QueryParam("expired") == "1":
		f.Notice = "login.expired"
	case c.QueryParam("ended") == "1" || ended:
		f.Notice = "login.ended"
	case c.QueryParam("bye") == "1":
		f.Notice = "login.logged_out"
	}
	return s.render(c, http.StatusOK, views.LoginPage(f))
}

// loginAgain answers GET /login — a reload of the page that answered the
// form, a bookmark, an old link: the login page, keeping a safe return path.
func (s *Server) loginAgain(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, loginPath(c.QueryParam("return")))
}

// loginPath is the login page that leads back to returnTo once signed in.
func loginPath(returnTo string) string {
	return withReturn("/", safeReturn(returnTo))
}

// withReturn is a sign-in path that leads to returnTo, a safe return path,
// once signed in. The home page, where a sign-in leads anyway, is left out.
func withReturn(path, returnTo string) string {
	if returnTo == homePath {
		return path
	}
	return path + "?" + url.Values{"return": {returnTo}}.Encode()
}

// loginForm is the sign-in page leading back to returnTo: the form, and
// the buttons of the configured authorities.
func (s *Server) loginForm(returnTo string) views.LoginForm {
	f := views.LoginForm{ReturnTo: safeReturn(returnTo)}
	if s.pscEnabled() {
		f.PSCLogin = withReturn("/auth/psc/login", f.ReturnTo)
	}
	if s.hinEnabled() {
		f.HINLogin = withReturn("/auth/hin/login", f.ReturnTo)
	}
	return f
}

// login signs a local account in.
func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	f := s.loginForm(c.FormValue("return"))
	// A refusal shows the login page again: its language links lead to
	// the login page, not to this POST-only URL.
	answerAs(c, loginPath(f.ReturnTo))
	cred, err := s.checkCredentials(c, authorityLocal, "login.failed")
	if err != nil {
		return err
	}
	f.Login = cred.login
	if cred.refused != "" {
		f.Error = cred.refused
		return s.render(c, cred.status, views.LoginPage(f))
	}
	acct := cred.account
	if err := s.signIn(ctx, signedIn{
		AccountID:   acct.ID,
		DisplayName: displayName(acct),
		Identifier:  accountIdentifier(acct),
		Authority:   authorityLocal,
	}); err != nil {
		return err
	}
	s.Logger.InfoContext(ctx, "signed in", slog.String("method", authorityLocal), slog.Int64("account", acct.ID))
	s.countSignIn(authorityLocal, outcomeSuccess)
	return c.Redirect(http.StatusSeeOther, f.ReturnTo)
}

// credentials are the login and password a form gave, once checked: the
// account, or the status and message key of the refusal.
type credentials struct {
	login   string // normalised, for the form shown again
	account store.Account
	status  int
	refused string // message key; "" when accepted
}

// checkCredentials checks a local account's login and password, for the
// sign-in form (authorityLocal) and the linking form (the authority whose
// identity waits), by the same rules. An empty form costs no attempt;
// every other attempt counts against the account and the address, and
// success clears the account's count. Unknown account and wrong password
// get the same message, wrong, and take the same time: an unknown one is
// still compared, against a stand-in hash of the same bcrypt cost.
func (s *Server) checkCredentials(c echo.Context, authority, wrong string) (credentials, error) {
	ctx := c.Request().Context()
	cred := credentials{login: normaliseLogin(c.FormValue("login"))}
	pw := c.FormValue("password")
	if cred.login == "" || pw == "" {
		cred.status, cred.refused = http.StatusUnprocessableEntity, "login.missing"
		return cred, nil
	}

	if wait, err := s.signInWait(c, cred.login); err != nil {
		return cred, err
	} else if wait > 0 {
		s.countSignIn(authority, outcomeThrottled)
		setRetryAfter(c, wait)
		cred.status, cred.refused = http.StatusTooManyRequests, "login.throttled"
		return cred, nil
	}

	acct, err := s.Accounts.AccountByLogin(ctx, cred.login)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return cred, err
	}
	if !s.Passwords.Check(acct.PasswordHash, pw) {
		s.Logger.InfoContext(ctx, "sign-in refused", slog.String("method", authority), slog.String("outcome", string(outcomeRefused)),
			slog.String("ip", c.RealIP()))
		s.countSignIn(authority, outcomeRefused)
		cred.status, cred.refused = http.StatusUnauthorized, wrong
		return cred, s.recordSignInFailure(c, cred.login)
	}
	cred.account = acct
	return cred, s.recordSignInSuccess(c, cred.login)
}

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
