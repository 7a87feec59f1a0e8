package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

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

// browserID is a random id kept in this browser's session: a pending
// sign-in is only completed by the browser that started it.
func (s *Server) browserID(ctx context.Context) string {
	id := s.Sessions.GetString(ctx, keyBrowser)
	if id == "" {
		id = randomToken(18)
		s.Sessions.Put(ctx, keyBrowser, id)
	}
	return id
}

// startSignIn records a pending sign-in for authority and returns its state.
func (s *Server) startSignIn(c echo.Context, authority string, p store.PendingLogin) (store.PendingLogin, error) {
	ctx := c.Request().Context()
	p.State = randomToken(32)
	p.Authority = authority
	p.Browser = s.browserID(ctx)
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
		return store.PendingLogin{}, errState(authority, errors.New("no state"))
	}
	p, err := s.Logins.TakePendingLogin(ctx, state, s.Now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return p, errState(authority, errors.New("unknown, used or expired state"))
	case err != nil:
		return p, err
	case p.Authority != authority:
		return p, errState(authority, errors.New("state of another authority"))
	case p.Browser != s.Sessions.GetString(ctx, keyBrowser):
		return p, errState(authority, errors.New("state of another browser"))
	}
	return p, nil
}

func errState(authority string, cause error) error {
	return &pageError{cause: cause, view: views.ErrorView{
		Status: http.StatusBadRequest, Title: "auth.state.title", Message: "auth.state.body",
		Retry: "/auth/" + authority + "/login",
	}}
}

func errCancelled(authority string) error {
	return &pageError{view: views.ErrorView{
		Status: http.StatusUnauthorized, Title: "auth.cancelled.title", Message: "auth.cancelled.body",
		Retry: "/auth/" + authority + "/login",
	}}
}

func errUnavailable(authority string, cause error) error {
	return &pageError{cause: cause, view: views.ErrorView{
		Status: http.StatusBadGateway, Title: "auth.unavailable.title", Message: "auth.unavailable.body." + authority,
		Retry: "/auth/" + authority + "/login",
	}}
}

func errRejected(authority string, cause error) error {
	return &pageError{cause: cause, view: views.ErrorView{
		Status: http.StatusUnauthorized, Title: "auth.rejected.title", Message: "auth.rejected.body",
		Retry: "/auth/" + authority + "/login",
	}}
}

var errAuthorityOff = &pageError{view: views.ErrorView{
	Status: http.StatusNotFound, Title: "auth.off.title", Message: "auth.off.body",
}}

// noReferrer keeps codes and states in callback URLs from leaking.
func noReferrer(c echo.Context) {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	noStore(c)
}
