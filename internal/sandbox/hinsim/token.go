package hinsim

import (
	"crypto/subtle"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// tokenResponse is HIN's answer, as in its guide.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	ExpiresIn    int64  `json:"expires_in"`
	HINID        string `json:"hin_id"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// Error codes of the token endpoint. HIN documents the statuses and
// {"error":"invalid_request"} for a bad code; the others follow RFC 6749.
const (
	errInvalidRequest       = "invalid_request"        // 400: missing or bad parameter, bad or used code
	errInvalidGrant         = "invalid_grant"          // 400: bad, used or expired refresh token
	errUnsupportedGrantType = "unsupported_grant_type" // 400
	errInvalidClient        = "invalid_client"         // 403: unknown client, wrong secret or token group
	errUnauthorizedClient   = "unauthorized_client"    // 404: client not allowed for the group, or unknown group
	// errRateLimited answers, with 429 and Retry-After, a client-credentials
	// request sooner than ClientCredentialsInterval after the previous one
	// with the same secret (HIN: "max 0.3 per second").
	errRateLimited = "rate_limited"
)

const maxFormBytes = 64 << 10

// serveToken is GetAccessToken; tokenGroup is the path segment after it
// (client credentials only), empty for the grant flow's endpoint.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, tokenGroup string) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeTokenError(w, http.StatusMethodNotAllowed, errInvalidRequest, "POST only")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeTokenError(w, http.StatusBadRequest, errInvalidRequest, "the body is not a form")
		return
	}
	// Parameters come from the body only: secrets do not belong in URLs.
	form := r.PostForm
	grant := form.Get("grant_type")
	s.countRequest(grant)
	if !s.applyFault(w, r, form) {
		return
	}
	clientID, secret, ok := clientCredentials(r, form)
	if !ok {
		writeTokenError(w, http.StatusBadRequest, errInvalidRequest, "client_id and client_secret are required, in the body or in Basic authentication, not both")
		return
	}
	switch {
	case tokenGroup != "":
		if grant != "client_credentials" {
			writeTokenError(w, http.StatusBadRequest, errUnsupportedGrantType, "this endpoint serves client_credentials")
			return
		}
		s.grantClientCredentials(w, clientID, secret, tokenGroup)
	case grant == "authorization_code":
		s.grantAuthorizationCode(w, clientID, secret, form)
	case grant == "refresh_token":
		s.grantRefreshToken(w, clientID, secret, form)
	case grant == "":
		writeTokenError(w, http.StatusBadRequest, errInvalidRequest, "grant_type is required")
	case grant == "client_credentials":
		writeTokenError(w, http.StatusBadRequest, errInvalidRequest, "client_credentials needs the token group in the path")
	default:
		writeTokenError(w, http.StatusBadRequest, errUnsupportedGrantType, "unknown grant_type")
	}
}

// clientCredentials reads the client's id and secret from the form or
// from HTTP Basic authentication (RFC 6749 2.3.1: form-encoded, then
// base64). Using both at once is refused, as the RFC requires.
func clientCredentials(r *http.Request, form url.Values) (id, secret string, ok bool) {
	formID, formSecret := form.Get("client_id"), form.Get("client_secret")
	basicID, basicSecret, basic := r.BasicAuth()
	if basic {
		if formSecret != "" {
			return "", "", false
		}
		id, err1 := url.QueryUnescape(basicID)
		secret, err2 := url.QueryUnescape(basicSecret)
		if err1 != nil || err2 != nil || (formID != "" && formID != id) {
			return "", "", false
		}
		return id, secret, id != "" && secret != ""
	}
	return formID, formSecret, formID != "" && formSecret != ""
}

func sameSecret(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// answer is a token endpoint reply, built under the lock and written
// after it is released.
type answer struct {
	status     int
	tokens     tokenResponse
	code, desc string
	retryAfter time.Duration
}

func refusal(status int, code, desc string) answer {
	return answer{status: status, code: code, desc: desc}
}

func granted(t tokenResponse) answer { return answer{status: http.StatusOK, tokens: t} }

func (a answer) write(w http.ResponseWriter) {
	if a.status == http.StatusOK {
		writeJSON(w, http.StatusOK, a.tokens)
		return
	}
	if a.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(a.retryAfter.Seconds()))))
	}
	writeTokenError(w, a.status, a.code, a.desc)
}

func (s *Server) grantAuthorizationCode(w http.ResponseWriter, clientID, secret string, form url.Values) {
	client, ok := s.clients[clientID]
	if !ok || !sameSecret(client.Secret, secret) {
		writeTokenError(w, http.StatusForbidden, errInvalidClient, "unknown client or wrong secret")
		return
	}
	code := form.Get("code")
	if code == "" {
		writeTokenError(w, http.StatusBadRequest, errInvalidRequest, "code is required")
		return
	}
	s.redeemCode(client, code, form.Get("redirect_uri")).write(w)
}

func (s *Server) redeemCode(client Client, code, redirectURI string) answer {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.grants.codes[code]
	if !ok || (c.clientID != "" && c.clientID != client.ID) {
		return refusal(http.StatusBadRequest, errInvalidRequest, "invalid code")
	}
	// A code is single-use: any attempt by a client that may redeem it
	// spends it.
	delete(s.grants.codes, code)
	switch {
	case !now.Before(c.expiry):
		return refusal(http.StatusBadRequest, errInvalidRequest, "invalid code")
	case c.redirectURI != redirectURI:
		return refusal(http.StatusBadRequest, errInvalidRequest, "redirect_uri differs from the authorization request")
	case !allowed(client, c.tokenGroup):
		return refusal(http.StatusNotFound, errUnauthorizedClient, "client not allowed for this token group")
	}
	return granted(s.issueLocked(now, client.ID, c.tokenGroup, c.hinID, false))
}

func (s *Server) grantRefreshToken(w http.ResponseWriter, clientID, secret string, form url.Values) {
	if !s.authenticates(clientID, secret) {
		writeTokenError(w, http.StatusForbidden, errInvalidClient, "unknown client or wrong secret")
		return
	}
	rt := form.Get("refresh_token")
	if rt == "" {
		writeTokenError(w, http.StatusBadRequest, errInvalidRequest, "refresh_token is required")
		return
	}
	s.rotateRefreshToken(clientID, rt).write(w)
}

func (s *Server) rotateRefreshToken(clientID, rt string) answer {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.grants.refresh[rt]
	if !ok || g.clientID != clientID || !now.Before(g.expiry) {
		return refusal(http.StatusBadRequest, errInvalidGrant, "invalid refresh token")
	}
	// Rotation: the refresh token is spent, its successor comes back.
	delete(s.grants.refresh, rt)
	return granted(s.issueLocked(now, clientID, g.tokenGroup, g.hinID, g.device))
}

func (s *Server) grantClientCredentials(w http.ResponseWriter, clientID, secret, tokenGroup string) {
	if !s.groups[tokenGroup] {
		writeTokenError(w, http.StatusNotFound, errUnauthorizedClient, "unknown token group")
		return
	}
	d, ok := s.devices[clientID]
	switch {
	case !ok || !sameSecret(d.Secret, secret):
		writeTokenError(w, http.StatusForbidden, errInvalidClient, "unknown client or wrong secret")
		return
	case d.TokenGroup != tokenGroup:
		writeTokenError(w, http.StatusForbidden, errInvalidClient, "secret not valid for this token group")
		return
	}
	s.issueDeviceToken(d).write(w)
}

func (s *Server) issueDeviceToken(d Device) answer {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if last, seen := s.lastCC[d.ClientID]; seen && now.Sub(last) < s.cfg.ClientCredentialsInterval {
		a := refusal(http.StatusTooManyRequests, errRateLimited,
			"at most one client_credentials request every "+s.cfg.ClientCredentialsInterval.String()+" per secret")
		a.retryAfter = s.cfg.ClientCredentialsInterval - now.Sub(last)
		return a
	}
	s.lastCC[d.ClientID] = now
	hinID := d.HINID
	if hinID == "" {
		hinID = d.ClientID
	}
	return granted(s.issueLocked(now, d.ClientID, d.TokenGroup, hinID, true))
}

func (s *Server) authenticates(clientID, secret string) bool {
	if c, ok := s.clients[clientID]; ok {
		return sameSecret(c.Secret, secret)
	}
	if d, ok := s.devices[clientID]; ok {
		return sameSecret(d.Secret, secret)
	}
	return false
}

func allowed(c Client, tokenGroup string) bool {
	for _, g := range c.TokenGroups {
		if g == tokenGroup {
			return true
		}
	}
	return false
}

// issueLocked creates an access token and its refresh token; s.mu is held.
func (s *Server) issueLocked(now time.Time, clientID, tokenGroup, hinID string, device bool) tokenResponse {
	s.grants.prune(now)
	access, refresh := newSecretValue(), newSecretValue()
	s.grants.access[access] = TokenInfo{
		HINID: hinID, TokenGroup: tokenGroup, ClientID: clientID,
		Expiry: now.Add(s.cfg.AccessTokenTTL), ClientCredentials: device,
	}
	s.grants.refresh[refresh] = refreshGrant{
		clientID: clientID, tokenGroup: tokenGroup, hinID: hinID, device: device,
		expiry: now.Add(s.cfg.RefreshTokenTTL),
	}
	s.stats.Issued++
	return tokenResponse{
		AccessToken:  access,
		ExpiresIn:    int64(s.cfg.AccessTokenTTL / time.Second),
		HINID:        hinID,
		TokenType:    "Bearer",
		RefreshToken: refresh,
	}
}

func writeTokenError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// countRequest records a token request by grant type, on arrival.
func (s *Server) countRequest(grant string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch strings.TrimSpace(grant) {
	case "authorization_code":
		s.stats.AuthorizationCode++
	case "refresh_token":
		s.stats.RefreshToken++
	case "client_credentials":
		s.stats.ClientCredentials++
	default:
		s.stats.Other++
	}
}
