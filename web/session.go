package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/store"
)

// touchEvery bounds how often activity is written back: a busy
// professional costs one session write a minute instead of one per
// request. A short idle timeout is written back at a quarter of it, so
// that activity always lands well before the timeout (never more often
// than once a second: activity is kept in whole seconds).
func (s *Server) touchEvery() time.Duration {
	return max(time.Second, min(time.Minute, s.Config.SessionIdleTimeout/4))
}

// NewSessionManager configures scs from the configuration: cookie
// HttpOnly, SameSite=Lax, Secure over https, absolute lifetime. The idle
// timeout is enforced by the sessions middleware (see touchEvery), not by
// scs, whose idle timeout rewrites the session on every request.
func NewSessionManager(store scs.Store, lifetime time.Duration, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.Lifetime = lifetime
	sm.Cookie.Name = "infopatient_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = false
	sm.Codec = jsonCodec{decoded: newDecodedSessions(decodedSessionsPerGeneration)}
	return sm
}

// sessions is an Echo-native scs middleware: it loads the session, ends it
// when idle too long, and commits it just before the response is written.
func (s *Server) sessions(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		var token string
		if ck, err := req.Cookie(s.Sessions.Cookie.Name); err == nil {
			token = ck.Value
		}
		ctx, err := s.freshSession(req, token)
		if err != nil {
			return err
		}
		c.SetRequest(req.WithContext(ctx))
		vary(c.Response().Header(), "Cookie")
		if token != "" && s.Sessions.Token(ctx) == "" {
			// The browser presents a session that no longer exists: ended
			// by Pro Santé Connect (back-channel logout), by a logout
			// elsewhere, or past its lifetime. The next page says so once;
			// the stale cookie is cleared (a session written by this
			// request sets its own cookie after this one).
			c.Set(ctxSessionEnded, true)
			s.Sessions.WriteSessionCookie(ctx, c.Response().Writer, "", time.Time{})
		}
		c.Response().Before(func() { s.commitSession(c) })

		account := s.session(ctx).Account()
		if expired, err := s.checkIdle(ctx); err != nil {
			return err
		} else if expired {
			c.Set(ctxSessionExpired, true)
			c.Set(ctxExpiredAccount, account)
		}
		return next(c)
	}
}

// Request flags set by the sessions middleware: the session was idle too
// long (ended by this request), or the cookie named one that no longer
// exists.
const (
	ctxSessionExpired = "session_expired"
	ctxSessionEnded   = "session_ended"
	ctxExpiredAccount = "expired_account" // the account of a session ended by this request (int64)
)

// checkIdle ends a signed-in session idle for longer than the configured
// timeout, and records activity at most once per touchEvery.
func (s *Server) checkIdle(ctx context.Context) (expired bool, err error) {
	if !s.session(ctx).SignedIn() {
		return false, nil
	}
	now := s.Now()
	seen := s.session(ctx).LastSeen()
	if now.Sub(seen) > s.Config.SessionIdleTimeout {
		return true, s.session(ctx).Destroy()
	}
	if now.Sub(seen) >= s.touchEvery() {
		s.session(ctx).Touch(now)
	}
	return false, nil
}

// commitSession writes a modified session and its cookie, or clears the
// cookie of a destroyed one. It runs right before the headers are sent.
func (s *Server) commitSession(c echo.Context) {
	ctx := c.Request().Context()
	w := c.Response().Writer
	switch s.Sessions.Status(ctx) {
	case scs.Modified:
		stamp := newStamp()
		s.Sessions.Put(ctx, keyStamp, stamp)
		token, expiry, err := s.Sessions.Commit(ctx)
		if errors.Is(err, store.ErrSessionEnded) {
			// Ended (logout elsewhere) while this request ran: it stays
			// ended, and this browser's cookie goes.
			s.Sessions.WriteSessionCookie(ctx, w, "", time.Time{})
			return
		}
		if err != nil {
			s.Logger.ErrorContext(ctx, "session commit failed", slog.Any("err", err))
			return
		}
		s.Sessions.WriteSessionCookie(ctx, w, token, expiry)
		http.SetCookie(w, s.stampCookie(stamp))
	case scs.Destroyed:
		s.Sessions.WriteSessionCookie(ctx, w, "", time.Time{})
	}
}

// stampCookie names the session write a browser saw last. A session
// written by one instance may still be in another's cache for the few
// milliseconds its change notice takes (store.sessionCache): a browser
// sent from a POST on A to a GET on B would see the page before its POST.
// The stamp, written in the session and in this cookie at every write,
// tells B its copy is older than what the browser saw; B then reads the
// session again (freshSession). It costs no query when the stamps agree.
const stampCookie = "infopatient_sv"

func (s *Server) stampCookie(stamp string) *http.Cookie {
	return &http.Cookie{Name: stampCookie, Value: stamp, Path: "/", HttpOnly: true,
		Secure: s.Sessions.Cookie.Secure, SameSite: http.SameSiteLaxMode}
}

// newStamp is a session write's stamp: random, so that no two writes,
// on any instance, share one.
func newStamp() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// freshSession loads the session of token; when the browser saw a later
// write than the copy this instance holds (the stamps differ), the copy
// is dropped and the session read from the database. A store without a
// cache is always fresh.
func (s *Server) freshSession(req *http.Request, token string) (context.Context, error) {
	ctx, err := s.Sessions.Load(req.Context(), token)
	if err != nil || token == "" {
		return ctx, err
	}
	seen, err := req.Cookie(stampCookie)
	if err != nil || seen.Value == s.Sessions.GetString(ctx, keyStamp) {
		return ctx, nil
	}
	cached, ok := s.Sessions.Store.(interface{ ForgetCached(token string) })
	if !ok {
		return ctx, nil
	}
	cached.ForgetCached(token)
	return s.Sessions.Load(req.Context(), token)
}

// Browser is this browser's random id ("" until SetBrowser).
