package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/i18n"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// hinLogin starts a HIN sign-in (redirect variant): GetAuthCode with the
// token group and a one-time state.
func (s *Server) hinLogin(c echo.Context) error {
	if s.HIN == nil {
		return errAuthorityOff
	}
	p, err := s.startSignIn(c, authorityHIN, store.PendingLogin{})
	if err != nil {
		return err
	}
	noStore(c)
	// HIN's pages speak the portal's language (OpenID Connect's ui_locales).
	lang := i18n.From(c.Request().Context()).Lang
	return c.Redirect(http.StatusFound, s.HIN.AuthCodeURL(p.State, psc.UILocales(lang)))
}

// hinCallback is the redirect URI registered with HIN. HIN's guide spells
// the parameter both "code" and "Code": both are accepted.
func (s *Server) hinCallback(c echo.Context) error {
	callbackPage(c)
	if s.HIN == nil {
		return errAuthorityOff
	}
	// The directory's authorization comes back here too: its pending
	// sign-in says which flow the code belongs to.
	pending, err := s.takeSignIn(c, authorityHIN, authorityHINDirectory)
	if err != nil {
		return err
	}
	if pending.Authority == authorityHINDirectory {
		return s.hinDirectoryCallback(c, pending)
	}
	if err := hin.CallbackError(c.QueryParams()); err != nil {
		return s.authorityFailed(c.Request().Context(), authorityHIN, err)
	}
	code := hin.CallbackCode(c.QueryParams())
	if code == "" {
		return s.refuseSignIn(c.Request().Context(), authorityHIN, outcomeRejected, errors.New("callback without code"))
	}
	return s.hinExchange(c, code, false, pending.ReturnTo)
}

// hinManualPage offers the manual variant: the professional copies a code
// from HIN's page and pastes it here.
func (s *Server) hinManualPage(c echo.Context) error {
	if s.HIN == nil {
		return errAuthorityOff
	}
	return s.render(c, http.StatusOK, s.manualCodePage(""))
}

// manualCodePage is the form a HIN code is pasted in, with the message key
// of what went wrong ("" for none).
func (s *Server) manualCodePage(errorKey string) templ.Component {
	return views.HINManualPage(views.HINManualForm{CodeURL: s.HIN.ManualCodeURL(), Error: errorKey})
}

// hinManual exchanges a pasted code (with an empty redirect_uri, as HIN
// expects for codes copied from its page). Each code pasted is sent to
// HIN with the client secret: the address is throttled first, as for a
// password, so that the form is no free oracle for guessed codes.
func (s *Server) hinManual(c echo.Context) error {
	if s.HIN == nil {
		return errAuthorityOff
	}
	code := strings.TrimSpace(c.FormValue("code"))
	if code == "" {
		return s.render(c, http.StatusUnprocessableEntity, s.manualCodePage("hin_manual.empty"))
	}
	if wait, err := s.signInWait(c, ""); err != nil {
		return err
	} else if wait > 0 {
		s.countSignIn(authorityHIN, outcomeThrottled)
		setRetryAfter(c, wait)
		return s.render(c, http.StatusTooManyRequests, s.manualCodePage("login.throttled"))
	}
	return s.hinExchange(c, code, true, "")
}

func (s *Server) hinExchange(c echo.Context, code string, manual bool, returnTo string) error {
	ctx := c.Request().Context()
	tok, err := s.HIN.Exchange(ctx, code, manual)
	if err != nil {
		failed := s.authorityFailed(ctx, authorityHIN, err)
		switch {
		case !manual:
			return failed
		case errors.Is(err, hin.ErrUnavailable):
			// Trying again takes a new code from HIN's page.
			failed.view.Retry = "/auth/hin/manual"
			return failed
		default:
			// A refused code: the form again, for another one.
			if err := s.recordSignInFailure(c, ""); err != nil {
				return err
			}
			return s.render(c, http.StatusUnauthorized, s.manualCodePage("hin_manual.refused"))
		}
	}
	if tok.HINID == "" {
		return s.refuseSignIn(ctx, authorityHIN, outcomeRejected, errors.New("token answer without hin_id"))
	}
	id := verifiedIdentity{
		Authority:   authorityHIN,
		LinkSubject: tok.HINID,
		Identifier:  "HIN " + tok.HINID,
		ReturnTo:    returnTo,
	}
	if !manual && s.HINDirectory != nil {
		// The name and GLN first, from HIN's directory (hin_directory.go).
		return s.askHINDirectory(c, id, tok)
	}
	return s.signInWith(c, id, tok)
}
