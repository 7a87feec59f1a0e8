package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/store"
)

// startSignIn records a pending sign-in for authority and returns its state.
func (s *Server) startSignIn(c echo.Context, authority string, p store.PendingLogin) (store.PendingLogin, error) {
	ctx := c.Request().Context()
	p.State = randomToken(32)
	p.Authority = authority
	p.Browser = s.signInBrowser(c)
	if p.ReturnTo == "" {
		p.ReturnTo = safeReturn(c.QueryParam("return"))
	}
	p.ExpiresAt = s.Now().Add(s.Config.StateTimeout)
	return p, s.Logins.SavePendingLogin(ctx, p)
}

// takeSignIn consumes the pending sign-in named by the callback's state. It
// fails for an unknown, reused or expired state, one started by another
// browser, or one that went to another authority than authority or also
// (HIN's callback also takes its directory's authorization). A refusal is
// counted under authority.
func (s *Server) takeSignIn(c echo.Context, authority string, also ...string) (store.PendingLogin, error) {
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
	case p.Authority != authority && !slices.Contains(also, p.Authority):
		return p, s.refuseSignIn(ctx, authority, outcomeState, errors.New("state of another authority"))
	case !s.sameSignInBrowser(c, p.Browser):
		return p, s.refuseSignIn(ctx, authority, outcomeState, errors.New("state of another browser"))
	}
	return p, nil
}

// randomToken returns n random bytes, URL-safe base64 encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
