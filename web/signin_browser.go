package web

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/views"
)

// A sign-in in flight costs little and lasts as long as its state: the
// browser that started it is named by a random cookie that expires with
// the state (INFOPATIENT_STATE_TIMEOUT), not by a server session, and the
// pending row in the database expires at the same time. Starting
// sign-ins is limited per address (INFOPATIENT_SIGNIN_STARTS_PER_ADDRESS a
// minute), so that anonymous requests cannot fill the database.

// signInCookie names the cookie: __Host- over https.
func (s *Server) signInCookie() string {
	if s.Config.SecureCookies() {
		return "__Host-infopatient_signin"
	}
	return "infopatient_signin"
}

// signInBrowser is this browser's sign-in id: the cookie's, renewed for
// the state's lifetime, or a new one.
func (s *Server) signInBrowser(c echo.Context) string {
	id := ""
	if ck, err := c.Cookie(s.signInCookie()); err == nil && len(ck.Value) == 24 {
		id = ck.Value
	}
	if id == "" {
		id = randomToken(18)
	}
	c.SetCookie(&http.Cookie{Name: s.signInCookie(), Value: id, Path: "/", MaxAge: int(s.Config.StateTimeout.Seconds()),
		HttpOnly: true, Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode})
	return id
}

// sameSignInBrowser reports whether this request comes from the browser
// that started the sign-in named browser.
func (s *Server) sameSignInBrowser(c echo.Context, browser string) bool {
	ck, err := c.Cookie(s.signInCookie())
	return err == nil && browser != "" && subtle.ConstantTimeCompare([]byte(ck.Value), []byte(browser)) == 1
}

// signInStartWindow is the sliding minute starts are counted in.
const signInStartWindow = time.Minute

// limitSignInStarts answers 429 to an address that starts more sign-ins
// than allowed in a minute.
func (s *Server) limitSignInStarts(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		n, err := s.Limiter.HitRateLimit(c.Request().Context(), "signin:start:"+c.RealIP(), signInStartWindow, s.Now())
		if err != nil {
			return err
		}
		if n > s.Config.SignInStartsPerAddress {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(signInStartWindow.Seconds())))
			return errTooManyStarts
		}
		return next(c)
	}
}

var errTooManyStarts = &pageError{view: views.ErrorView{
	Status: http.StatusTooManyRequests, Title: "signin.starts.title", Message: "signin.starts.body",
}}
