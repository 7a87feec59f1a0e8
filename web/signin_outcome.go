package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/views"
)

// outcome is how a sign-in attempt ended: the label it is counted under,
// and, for a failure, what its page says.
type outcome string

// countSignIn counts a sign-in attempt by authority and outcome (its metric label is still "method").
func (s *Server) countSignIn(authority string, o outcome) {
	s.Metrics.SignIn(authority, string(o))
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

const (
	outcomeSuccess  outcome = "success"
	outcomeUnlinked outcome = "unlinked" // verified, waiting to be linked to an account
	// outcomeLinkedGLN: a HIN identity linked on its own to the account of
	// its directory GLN (then counted a success too, as a link is).
	outcomeLinkedGLN outcome = "linked_gln"
	// Refusals of a local password.
	outcomeThrottled outcome = "throttled"
	outcomeRefused   outcome = "refused"
	// Failures of an authority's sign-in.
	outcomeCancelled   outcome = "cancelled"   // by the professional, at the authority
	outcomeUnavailable outcome = "unavailable" // trying again later may work
	outcomeState       outcome = "state"       // unknown, replayed or foreign state
	outcomeRejected    outcome = "rejected"
)
