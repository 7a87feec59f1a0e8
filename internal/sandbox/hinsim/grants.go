package hinsim

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"maps"
	"time"
)

// Introspection errors.
var (
	ErrUnknownToken = errors.New("hinsim: unknown access token")
	ErrExpiredToken = errors.New("hinsim: access token expired")
)

// TokenInfo is what the simulator knows of an access token; a protected
// application (the Covercard simulator) asks for it.
type TokenInfo struct {
	HINID      string
	TokenGroup string
	ClientID   string
	Expiry     time.Time
	// ClientCredentials marks a device token (no user behind it).
	ClientCredentials bool
}

// authCode is an issued, not yet exchanged authorization code.
type authCode struct {
	clientID    string // empty for a manual code: any client of the group may redeem it
	tokenGroup  string
	redirectURI string // empty for a manual code
	hinID       string
	expiry      time.Time
}

// refreshGrant is a live refresh token.
type refreshGrant struct {
	clientID   string
	tokenGroup string
	hinID      string
	device     bool
	expiry     time.Time
}

// grantStore holds codes and tokens; the Server's mutex guards it.
type grantStore struct {
	codes     map[string]authCode
	access    map[string]TokenInfo
	refresh   map[string]refreshGrant
	nextPrune int
}

const minPrune = 1024

func newGrantStore() grantStore {
	return grantStore{
		codes:     map[string]authCode{},
		access:    map[string]TokenInfo{},
		refresh:   map[string]refreshGrant{},
		nextPrune: minPrune,
	}
}

// prune drops expired entries once the maps have grown, so that a
// long-running demo does not keep every token it ever issued.
func (g *grantStore) prune(now time.Time) {
	size := len(g.codes) + len(g.access) + len(g.refresh)
	if size < g.nextPrune {
		return
	}
	maps.DeleteFunc(g.codes, func(_ string, c authCode) bool { return !now.Before(c.expiry) })
	maps.DeleteFunc(g.access, func(_ string, a TokenInfo) bool { return !now.Before(a.Expiry) })
	maps.DeleteFunc(g.refresh, func(_ string, r refreshGrant) bool { return !now.Before(r.expiry) })
	g.nextPrune = max(minPrune, 2*(len(g.codes)+len(g.access)+len(g.refresh)))
}

// newSecretValue returns a random token, code or refresh token. Real HIN
// tokens carry characters that must be URL-encoded ('#', '+'); these
// always do, so that a client which forgets to encode them fails here
// rather than in production.
func newSecretValue() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)                       // never fails (crypto/rand)
	s := base64.StdEncoding.EncodeToString(b) // 32 characters, no padding
	return s[:10] + "#" + s[10:21] + "+" + s[21:]
}

// newPendingID names a sign-in in progress; it only travels in forms.
func newPendingID() string { return rand.Text() }

// Introspect tells a protected application who an access token belongs
// to. It fails with ErrUnknownToken or ErrExpiredToken.
func (s *Server) Introspect(accessToken string) (TokenInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info, ok := s.grants.access[accessToken]
	if !ok {
		return TokenInfo{}, ErrUnknownToken
	}
	if !s.now().Before(info.Expiry) {
		return TokenInfo{}, ErrExpiredToken
	}
	return info, nil
}

// RevokeAccessToken makes accessToken unknown, as if HIN had withdrawn
// it, so that a protected application answers 401. It reports whether
// the token was live.
func (s *Server) RevokeAccessToken(accessToken string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.grants.access[accessToken]
	delete(s.grants.access, accessToken)
	return ok
}
