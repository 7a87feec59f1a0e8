package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/secretbox"
	"github.com/infopatient/infopatient/views"
)

// The CSRF token is bound to what the browser holds that an attacker
// cannot choose: the signed-in (or otherwise stored) session's token, or
// before any session a random nonce cookie. The token is an HMAC of that
// binding under the configured key, so a value planted as a cookie and
// repeated in a form is worth nothing, and a sign-in, which renews the
// session's token, rotates it. It is read from the form body or the
// X-CSRF-Token header only, never from the query string.
//
// Sec-Fetch-Site may only refuse, never excuse: a state-changing request
// a browser marks cross-site is refused at once, whatever it carries.

// csrfHeader is where a script-free client may send the token instead of
// the form body.
const csrfHeader = "X-CSRF-Token"

// csrfNonceCookie names the nonce cookie: __Host- over https, so that no
// sibling host (nor plain http) can plant it.
func (s *Server) csrfNonceCookie() string {
	if s.Config.SecureCookies() {
		return "__Host-infopatient_csrf"
	}
	return "infopatient_csrf"
}

// csrfKey signs the tokens: derived from the token key, shared by every
// instance (a key of its own when the server has no box, as in tests
// that build one bare).
func (s *Server) csrfBox() *secretbox.Box {
	if s.Box != nil {
		return s.Box
	}
	s.csrfFallback.Do(func() { s.csrfFallbackBox, _ = secretbox.New(secretbox.GenerateKey()) })
	return s.csrfFallbackBox
}

// csrfBinding is what this request's token is bound to: the session's
// token, else the nonce cookie (created when absent and create is set).
func (s *Server) csrfBinding(c echo.Context, create bool) string {
	if tok := s.Sessions.Token(c.Request().Context()); tok != "" {
		return "session:" + tok
	}
	if ck, err := c.Cookie(s.csrfNonceCookie()); err == nil && len(ck.Value) >= 32 && len(ck.Value) <= 64 {
		return "nonce:" + ck.Value
	}
	if !create {
		return ""
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	c.SetCookie(&http.Cookie{Name: s.csrfNonceCookie(), Value: nonce, Path: "/", HttpOnly: true,
		Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode})
	// The request itself sees it too (a page and its form share one).
	c.Request().AddCookie(&http.Cookie{Name: s.csrfNonceCookie(), Value: nonce})
	return "nonce:" + nonce
}

func (s *Server) csrfToken(binding string) string {
	return base64.RawURLEncoding.EncodeToString(s.csrfBox().Sign("csrf", []byte(binding)))
}

// validCSRF reports whether the request carries the token of its binding
// in its form body or header. A session this very request found idle too
// long (and ended) still vouches for the form it served: the request goes
// on anonymous, to be told the session expired rather than 403.
func (s *Server) validCSRF(c echo.Context) bool {
	bindings := []string{s.csrfBinding(c, false)}
	if expired, _ := c.Get(ctxSessionExpired).(bool); expired {
		if ck, err := c.Cookie(s.Sessions.Cookie.Name); err == nil {
			bindings = append(bindings, "session:"+ck.Value)
		}
	}
	sent := c.Request().Header.Get(csrfHeader)
	if sent == "" {
		sent = c.Request().PostFormValue(views.CSRFField) // the body, never the query
	}
	mac, err := base64.RawURLEncoding.DecodeString(sent)
	if err != nil || len(mac) == 0 {
		return false
	}
	for _, b := range bindings {
		if b != "" && s.csrfBox().Verify("csrf", []byte(b), mac) {
			return true
		}
	}
	return false
}

// csrf refuses a state-changing request without its session's token, and
// hands the page its token (c.Get("csrf")) for the forms.
func (s *Server) csrf() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if !safeMethod(req.Method) {
				if req.Header.Get(echo.HeaderSecFetchSite) == "cross-site" || !s.validCSRF(c) {
					return errCSRF
				}
			}
			// Pages whose session changes while they are served (a sign-in)
			// redirect: the next page gets the new session's token.
			c.Set("csrf", s.csrfToken(s.csrfBinding(c, true)))
			return next(c)
		}
	}
}
