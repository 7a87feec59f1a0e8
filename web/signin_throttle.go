package web

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Sign-in throttling slows attackers down without locking the owner out:
//
//   - only failures count (a wrong password, a refused HIN code); a
//     success clears its account + address pair;
//   - failures are counted per account + address pair and per address, in
//     a sliding window (INFOPATIENT_LOGIN_WINDOW);
//   - past the free allowance (INFOPATIENT_LOGIN_MAX_PER_ACCOUNT per pair,
//     INFOPATIENT_LOGIN_MAX_PER_ADDRESS per address), each attempt waits
//     a delay that doubles with every further failure — 1 s, 2 s, 4 s … at
//     most the window — counted from the last failure; an attempt during
//     the wait is answered 429 without being checked or counted, with
//     Retry-After giving the real time left;
//   - a browser that signed in to an account keeps a signed device cookie
//     naming it, which exempts that account from the address-wide delay:
//     behind a busy NAT, the owner on a known device still signs in.

// SignInFailures keeps failed sign-ins for the throttle (the store).
type SignInFailures interface {
	RecordSignInFailure(ctx context.Context, key string, window time.Duration, now time.Time) error
	SignInFailures(ctx context.Context, key string, window time.Duration, now time.Time) (int, time.Time, error)
	ClearSignInFailures(ctx context.Context, key string) error
}

func pairKey(login, ip string) string { return "pair:" + login + "|" + ip }
func addressKey(ip string) string     { return "addr:" + ip }

// throttleDelay is the wait after n failures when free are allowed.
func throttleDelay(n, free int, window time.Duration) time.Duration {
	if n < free {
		return 0
	}
	d := time.Duration(math.Pow(2, float64(min(n-free, 30)))) * time.Second
	return min(d, window)
}

// failures, when it can, reads the throttle's store from the limiter.
func (s *Server) failures() SignInFailures {
	f, _ := s.Limiter.(SignInFailures)
	return f
}

// waitOf is how long key must still wait at now.
func (s *Server) waitOf(ctx context.Context, key string, free int) (time.Duration, error) {
	f := s.failures()
	if f == nil {
		return 0, nil
	}
	now := s.Now()
	n, last, err := f.SignInFailures(ctx, key, s.Config.LoginWindow, now)
	if err != nil || n == 0 {
		return 0, err
	}
	// Never more than the delay itself: another instance's clock a little
	// ahead must not stretch it, nor make a free attempt wait.
	delay := throttleDelay(n, free, s.Config.LoginWindow)
	return min(delay, max(0, last.Add(delay).Sub(now))), nil
}

// signInWait is how long this attempt must wait: for the account + address
// pair (login "" for a sign-in naming no account), and for the address
// unless this browser is a known device of login.
func (s *Server) signInWait(c echo.Context, login string) (time.Duration, error) {
	ctx, ip := c.Request().Context(), c.RealIP()
	var wait time.Duration
	if login != "" {
		w, err := s.waitOf(ctx, pairKey(login, ip), s.Config.LoginMaxPerAccount)
		if err != nil {
			return 0, err
		}
		wait = w
		if s.knownDevice(c, login) {
			return wait, nil
		}
	}
	w, err := s.waitOf(ctx, addressKey(ip), s.Config.LoginMaxPerAddress)
	return max(wait, w), err
}

// setRetryAfter tells the client the real time left, in whole seconds.
func setRetryAfter(c echo.Context, wait time.Duration) {
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
}

// recordSignInFailure counts a failure against the pair and the address.
func (s *Server) recordSignInFailure(c echo.Context, login string) error {
	f := s.failures()
	if f == nil {
		return nil
	}
	ctx, ip, now := c.Request().Context(), c.RealIP(), s.Now()
	if login != "" {
		if err := f.RecordSignInFailure(ctx, pairKey(login, ip), s.Config.LoginWindow, now); err != nil {
			return err
		}
	}
	return f.RecordSignInFailure(ctx, addressKey(ip), s.Config.LoginWindow, now)
}

// recordSignInSuccess clears the pair's failures and remembers this
// browser as a known device of login.
func (s *Server) recordSignInSuccess(c echo.Context, login string) error {
	c.SetCookie(&http.Cookie{Name: s.deviceCookie(), Value: s.deviceValue(login), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode})
	if f := s.failures(); f != nil {
		return f.ClearSignInFailures(c.Request().Context(), pairKey(login, c.RealIP()))
	}
	return nil
}

func (s *Server) deviceCookie() string {
	if s.Config.SecureCookies() {
		return "__Host-infopatient_device"
	}
	return "infopatient_device"
}

func (s *Server) deviceValue(login string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(login)) + "." + enc.EncodeToString(s.csrfBox().Sign("device", []byte(login)))
}

// knownDevice reports whether the browser holds a device cookie for login.
func (s *Server) knownDevice(c echo.Context, login string) bool {
	ck, err := c.Cookie(s.deviceCookie())
	if err != nil {
		return false
	}
	name, mac, ok := strings.Cut(ck.Value, ".")
	if !ok {
		return false
	}
	enc := base64.RawURLEncoding
	n, err1 := enc.DecodeString(name)
	m, err2 := enc.DecodeString(mac)
	return err1 == nil && err2 == nil && hmac.Equal(n, []byte(login)) && s.csrfBox().Verify("device", n, m)
}
