package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/store"
)

// Session keys. The header's data lives in the session so that an
// authenticated page costs one database query: the session load.
const (
	keyAccount = "account_id"
	keyName    = "display_name"
	keyIdent   = "identifier"
	keyMethod  = "method"
	keySeen    = "seen"    // unix seconds of the last activity, for the idle timeout
	keyFlash   = "flash"   // message key shown once on the next page
	keyBrowser = "browser" // random id binding pending sign-ins to this browser
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
	sm.Codec = jsonCodec{}
	return sm
}

// jsonCodec stores session values as JSON. scs's default, gob, describes
// every type again in each session it decodes, which made decoding the
// dearest step of an authenticated request; every value InfoPatient keeps
// in a session is a string, which JSON round-trips exactly.
type jsonCodec struct{}

type encodedSession struct {
	Deadline time.Time         `json:"d"`
	Values   map[string]string `json:"v"`
}

func (jsonCodec) Encode(deadline time.Time, values map[string]interface{}) ([]byte, error) {
	e := encodedSession{Deadline: deadline, Values: make(map[string]string, len(values))}
	for k, v := range values {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("session value %q is a %T: only strings are kept", k, v)
		}
		e.Values[k] = s
	}
	return json.Marshal(e)
}

func (jsonCodec) Decode(b []byte) (time.Time, map[string]interface{}, error) {
	var e encodedSession
	if err := json.Unmarshal(b, &e); err != nil {
		return time.Time{}, nil, err
	}
	values := make(map[string]interface{}, len(e.Values))
	for k, v := range e.Values {
		values[k] = v
	}
	return e.Deadline, values, nil
}

// sessionInt reads a number kept as a string (0 when absent).
func (s *Server) sessionInt(ctx context.Context, key string) int64 {
	n, _ := strconv.ParseInt(s.Sessions.GetString(ctx, key), 10, 64)
	return n
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
		ctx, err := s.Sessions.Load(req.Context(), token)
		if err != nil {
			return err
		}
		c.SetRequest(req.WithContext(ctx))
		c.Response().Header().Add("Vary", "Cookie")
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

		if expired, err := s.checkIdle(ctx); err != nil {
			return err
		} else if expired {
			c.Set(ctxSessionExpired, true)
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
)

// checkIdle ends a signed-in session idle for longer than the configured
// timeout, and records activity at most once per touchEvery.
func (s *Server) checkIdle(ctx context.Context) (expired bool, err error) {
	if !s.Sessions.Exists(ctx, keyAccount) {
		return false, nil
	}
	now := s.Now()
	seen := time.Unix(s.sessionInt(ctx, keySeen), 0)
	if now.Sub(seen) > s.Config.SessionIdleTimeout {
		return true, s.Sessions.Destroy(ctx)
	}
	if now.Sub(seen) >= s.touchEvery() {
		s.Sessions.Put(ctx, keySeen, strconv.FormatInt(now.Unix(), 10))
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
	case scs.Destroyed:
		s.Sessions.WriteSessionCookie(ctx, w, "", time.Time{})
	}
}
