package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/views"
)

// signedIn is the professional a session belongs to.
type signedIn struct {
	AccountID   int64
	DisplayName string // "VIRGINIE MEDECIN"
	Identifier  string // "RPPS 99700218896", shown beside the name
	Method      string // "local", "psc" or "hin"
}

// viewer returns the header's view of the signed-in professional, or nil.
func (s *Server) viewer(ctx context.Context) *views.Viewer {
	if !s.Sessions.Exists(ctx, keyAccount) {
		return nil
	}
	return &views.Viewer{
		DisplayName: s.Sessions.GetString(ctx, keyName),
		Identifier:  s.Sessions.GetString(ctx, keyIdent),
		Method:      s.Sessions.GetString(ctx, keyMethod),
	}
}

// accountID is the signed-in account (0 when none).
func (s *Server) accountID(ctx context.Context) int64 {
	return s.sessionInt(ctx, keyAccount)
}

// signIn starts an authenticated session. The token is renewed first so
// that a session id planted before sign-in is worthless (fixation).
func (s *Server) signIn(ctx context.Context, who signedIn) error {
	if err := s.renewToken(ctx); err != nil {
		return err
	}
	s.Sessions.Put(ctx, keyAccount, strconv.FormatInt(who.AccountID, 10))
	s.Sessions.Put(ctx, keyName, who.DisplayName)
	s.Sessions.Put(ctx, keyIdent, who.Identifier)
	s.Sessions.Put(ctx, keyMethod, who.Method)
	s.Sessions.Put(ctx, keySeen, strconv.FormatInt(s.Now().Unix(), 10))
	// The patient a previous professional looked up in this browser is
	// not the new one's to see again.
	s.Sessions.Remove(ctx, keyLastLookup)
	return nil
}

// renewToken gives the session a new token; the old one's session is
// deleted from the store. The record of the Pro Santé Connect session it
// belonged to, ID token and claims with it, goes too: a professional
// signing in on a browser where another did not sign out gets none of it.
func (s *Server) renewToken(ctx context.Context) error {
	old := s.Sessions.Token(ctx)
	wasPSC := s.Sessions.GetString(ctx, keyMethod) == authorityPSC
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	if old == "" || !wasPSC {
		return nil
	}
	return s.ProviderSessions.ForgetSessionToken(ctx, old)
}

// requireUser sends anonymous visitors of a protected page to the login
// page, remembering where they were going (GET pages only).
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.accountID(c.Request().Context()) != 0 {
			noStore(c)
			return next(c)
		}
		q := url.Values{}
		if c.Request().Method == http.MethodGet {
			q.Set("return", c.Request().URL.RequestURI())
		}
		if expired, _ := c.Get(ctxSessionExpired).(bool); expired {
			q.Set("expired", "1")
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

// homePath is the identification page: where a sign-in leads unless told
// otherwise, and where a signed-in professional is sent back to.
const homePath = "/identification"

// safeReturn accepts only a path on this site as a post-login destination;
// anything else (other hosts, schemes, protocol-relative or backslash
// tricks, control characters) becomes the identification page.
func safeReturn(raw string) string {
	if raw == "" || len(raw) > 2048 {
		return homePath
	}
	// Check the value as given and once unescaped, since browsers and
	// proxies may decode it before following it.
	for _, v := range []string{raw, unescapeOnce(raw)} {
		if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || strings.ContainsAny(v, `\`) {
			return homePath
		}
		if strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0 {
			return homePath
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return homePath
	}
	if u.Path == "/" || u.Path == "/login" {
		return homePath
	}
	return u.RequestURI()
}

func unescapeOnce(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return ""
}

// randomToken returns n random bytes, URL-safe base64 encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
