package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// Authorities a sign-in can go to. Each pending sign-in remembers its
// authority, so that a code one authority issued is never taken at the
// other's callback (mix-up defence).
const (
	authorityPSC = "psc"
	authorityHIN = "hin"
)

// methodLocal is a sign-in with a local account's password.
const methodLocal = "local"

// outcome is how a sign-in attempt ended: the label it is counted under,
// and, for a failure, what its page says.
type outcome string

const (
	outcomeSuccess  outcome = "success"
	outcomeUnlinked outcome = "unlinked" // verified, waiting to be linked to an account
	// Refusals of a local password.
	outcomeThrottled outcome = "throttled"
	outcomeRefused   outcome = "refused"
	// Failures of an authority's sign-in.
	outcomeCancelled   outcome = "cancelled"   // by the professional, at the authority
	outcomeUnavailable outcome = "unavailable" // trying again later may work
	outcomeState       outcome = "state"       // unknown, replayed or foreign state
	outcomeRejected    outcome = "rejected"
)

// countSignIn counts a sign-in attempt by method and outcome.
func (s *Server) countSignIn(method string, o outcome) {
	s.Metrics.SignIn(method, string(o))
}

// startSignIn records a pending sign-in for authority and returns its state.
func (s *Server) startSignIn(c echo.Context, authority string, p store.PendingLogin) (store.PendingLogin, error) {
	ctx := c.Request().Context()
	p.State = randomToken(32)
	p.Authority = authority
	p.Browser = s.signInBrowser(c)
	p.ReturnTo = safeReturn(c.QueryParam("return"))
	p.ExpiresAt = s.Now().Add(s.Config.StateTimeout)
	return p, s.Logins.SavePendingLogin(ctx, p)
}

// takeSignIn consumes the pending sign-in named by the callback's state. It
// fails for an unknown, reused or expired state, one started by another
// browser, or one that went to another authority.
func (s *Server) takeSignIn(c echo.Context, authority string) (store.PendingLogin, error) {
	ctx := c.Request().Context()
	state := c.QueryParam("state")
	if state == "" {
		return store.PendingLogin{}, s.refuseSignIn(ctx, authority, outcomeState, errors.New("no state"))
	}
	p, err := s.Logins.TakePendingLogin(ctx, state, s.Now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return p, s.refuseSignIn(ctx, authority, outcomeState, errors.New("unknown, used or expired state"))
	case err != nil:
		return p, err
	case p.Authority != authority:
		return p, s.refuseSignIn(ctx, authority, outcomeState, errors.New("state of another authority"))
	case !s.sameSignInBrowser(c, p.Browser):
		return p, s.refuseSignIn(ctx, authority, outcomeState, errors.New("state of another browser"))
	}
	return p, nil
}

// authorityFailed explains an authority's failure — an error its callback
// brought back, or its refusal of the code: the professional cancelled,
// the authority is unavailable, or it rejected the sign-in.
func (s *Server) authorityFailed(ctx context.Context, authority string, err error) *pageError {
	o := outcomeRejected
	switch {
	case errors.Is(err, psc.ErrCancelled), errors.Is(err, hin.ErrCancelled):
		o = outcomeCancelled
	case errors.Is(err, psc.ErrUnavailable), errors.Is(err, hin.ErrUnavailable):
		o = outcomeUnavailable
	}
	return s.refuseSignIn(ctx, authority, o, err)
}

// refuseSignIn logs why a sign-in was refused — a replayed state, one from
// another browser or another authority is worth an operator's eye; a
// cancellation is only the professional's choice — and returns the page
// that explains it. cause never carries a code or state.
func (s *Server) refuseSignIn(ctx context.Context, authority string, o outcome, cause error) *pageError {
	level := slog.LevelWarn
	if o == outcomeCancelled {
		level = slog.LevelInfo
	}
	s.Logger.Log(ctx, level, "sign-in refused", slog.String("method", authority), slog.String("outcome", string(o)), slog.Any("err", cause))
	return s.signInFailed(authority, o, cause)
}

// signInFailed counts a failed sign-in and returns the page that explains
// it, with a button to start again.
func (s *Server) signInFailed(authority string, o outcome, cause error) *pageError {
	s.countSignIn(authority, o)
	view := views.ErrorView{Retry: "/auth/" + authority + "/login"}
	switch o {
	case outcomeCancelled:
		view.Status, view.Title, view.Message = http.StatusUnauthorized, "auth.cancelled.title", "auth.cancelled.body"
		view.Info = true // the professional's choice, no error
	case outcomeUnavailable:
		view.Status, view.Title, view.Message = http.StatusBadGateway, "auth.unavailable.title", "auth.unavailable.body."+authority
	case outcomeState:
		view.Status, view.Title, view.Message = http.StatusBadRequest, "auth.state.title", "auth.state.body"
	default:
		view.Status, view.Title, view.Message = http.StatusUnauthorized, "auth.rejected.title", "auth.rejected.body"
	}
	return &pageError{view: view, cause: cause}
}

var errAuthorityOff = &pageError{view: views.ErrorView{
	Status: http.StatusNotFound, Title: "auth.off.title", Message: "auth.off.body",
}}

// callbackPage prepares the answer of a callback, whose URL carries a code
// and a state: it is not sent as referrer, not cached, and not repeated in
// the page's own links — the language switch repeats the page's URL, so on
// a callback it leads to the sign-in page instead.
func callbackPage(c echo.Context) {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	noStore(c)
	answerAs(c, "/")
}
