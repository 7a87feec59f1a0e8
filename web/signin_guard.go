package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/views"
)

// viewer returns the header's view of the signed-in professional, or nil.
func (s *Server) viewer(ctx context.Context) *views.Viewer {
	w := s.session(ctx)
	if !w.SignedIn() {
		return nil
	}
	return &views.Viewer{DisplayName: w.DisplayName(), Identifier: w.Identifier(), Authority: w.Authority()}
}

// accountID is the signed-in account (0 when none).
func (s *Server) accountID(ctx context.Context) int64 {
	return s.session(ctx).Account()
}

// requireUser sends anonymous visitors of a protected page to the login
// page, remembering where they were going (GET pages only).
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.accountID(c.Request().Context()) != 0 {
			noStore(c)
			// An account the policy wants a passkey of does nothing else
			// until it has registered one.
			if s.session(c.Request().Context()).MustRegisterPasskey() && !strings.HasPrefix(c.Path(), securityPath) {
				return c.Redirect(http.StatusSeeOther, securityPath)
			}
			return next(c)
		}
		q := url.Values{}
		if c.Request().Method == http.MethodGet {
			q.Set("return", c.Request().URL.RequestURI())
		}
		if expired, _ := c.Get(ctxSessionExpired).(bool); expired {
			q.Set("expired", "1")
			s.keepDraft(c)
		} else if ended, _ := c.Get(ctxSessionEnded).(bool); ended {
			q.Set("ended", "1")
		}
		target := "/"
		if len(q) > 0 {
			target += "?" + q.Encode()
		}
		return c.Redirect(http.StatusSeeOther, target)
	}
}

// keepDraft keeps the number being looked up when the session expired
// under it, for the identification page after the sign-in again.
func (s *Server) keepDraft(c echo.Context) {
	account, _ := c.Get(ctxExpiredAccount).(int64)
	if c.Request().Method != http.MethodPost || c.Path() != "/patient" || account == 0 {
		return
	}
	number := strings.TrimSpace(c.FormValue("identifier"))
	if number == "" || len(number) > maxDraftLength {
		return
	}
	s.session(c.Request().Context()).KeepDraft(account, number, s.Now())
}

// maxDraftLength bounds what is kept: a card number with a reader's
// sentinels and spaces fits well within it.
const maxDraftLength = 64
