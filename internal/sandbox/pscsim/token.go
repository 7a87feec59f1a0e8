package pscsim

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// grant is what an access or refresh token stands for.
type grant struct {
	clientID, idNat, sid, acr, nonce string
	authTime, expires                time.Time
}

// tokenError answers an RFC 6749 error.
func tokenError(w http.ResponseWriter, status int, code, desc string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="esante-wallet"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// authenticate checks client_secret_basic or client_secret_post.
func (p *Provider) authenticate(r *http.Request) (Client, bool) {
	id, secret, basic := r.BasicAuth()
	if basic {
		// RFC 6749 2.3.1: both are form-urlencoded before base64.
		if u, err := url.QueryUnescape(id); err == nil {
			id = u
		}
		if u, err := url.QueryUnescape(secret); err == nil {
			secret = u
		}
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	c, ok := p.client(id)
	if !ok || subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1 {
		return Client{}, false
	}
	return c, true
}

func (p *Provider) serveToken(w http.ResponseWriter, r *http.Request) {
	p.count(func(s *Stats) { s.Token++ })
	if r.Method != http.MethodPost {
		tokenError(w, http.StatusMethodNotAllowed, "invalid_request", "POST only")
		return
	}
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "malformed form")
		return
	}
	c, ok := p.authenticate(r)
	if !ok {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	if p.failWith(w, r, p.takeFaults(c.ID, atToken)) {
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		p.exchangeCode(w, r, c)
	case "refresh_token":
		p.refreshGrant(w, r, c)
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "authorization_code or refresh_token")
	}
}

func (p *Provider) exchangeCode(w http.ResponseWriter, r *http.Request, c Client) {
	code := r.PostForm.Get("code")
	p.mu.Lock()
	ac, ok := p.codes[code]
	delete(p.codes, code) // single use, even when the exchange fails
	p.mu.Unlock()
	now := p.cfg.Now()
	switch {
	case !ok:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "unknown or used code")
		return
	case now.After(ac.expires):
		tokenError(w, http.StatusBadRequest, "invalid_grant", "code expired")
		return
	case ac.clientID != c.ID:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "code of another client")
		return
	case ac.redirectURI != r.PostForm.Get("redirect_uri"):
		tokenError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request")
		return
	case !pkceMatches(ac.challenge, ac.challengeMethod, r.PostForm.Get("code_verifier")):
		tokenError(w, http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
		return
	}
	p.issue(w, c, grant{clientID: c.ID, idNat: ac.idNat, sid: ac.sid, acr: ac.acr, nonce: ac.nonce, authTime: ac.authTime})
}

func (p *Provider) refreshGrant(w http.ResponseWriter, r *http.Request, c Client) {
	rt := r.PostForm.Get("refresh_token")
	p.mu.Lock()
	g, ok := p.refresh[rt]
	delete(p.refresh, rt) // rotation: a refresh token works once
	live := ok && p.sessions[g.sid] != nil
	p.mu.Unlock()
	switch {
	case !ok || g.clientID != c.ID:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "unknown or used refresh token")
		return
	case p.cfg.Now().After(g.expires) || !live:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "session ended")
		return
	}
	g.nonce = "" // a refreshed ID token carries no nonce
	p.issue(w, c, *g)
}

// pkceMatches checks the verifier; no challenge means PKCE was not used.
func pkceMatches(challenge, method, verifier string) bool {
	if challenge == "" {
		return verifier == ""
	}
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		verifier = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(challenge), []byte(verifier)) == 1
}

// issue answers access, refresh and ID tokens for g.
func (p *Provider) issue(w http.ResponseWriter, c Client, g grant) {
	now := p.cfg.Now()
	access, refresh := newID(), newID()
	ag, rg := g, g
	ag.expires, rg.expires = now.Add(accessTokenTTL), now.Add(refreshTTL)
	p.mu.Lock()
	p.access[access] = &ag
	p.refresh[refresh] = &rg
	p.mu.Unlock()

	idToken, err := p.idToken(c, g, now)
	if err != nil {
		tokenError(w, http.StatusInternalServerError, "server_error", "signing failed")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token":       access,
		"token_type":         "Bearer",
		"expires_in":         int(accessTokenTTL.Seconds()),
		"refresh_token":      refresh,
		"refresh_expires_in": int(refreshTTL.Seconds()),
		"id_token":           idToken,
		"scope":              "openid scope_all",
		"session_state":      g.sid,
	})
}

// subject is PSC's opaque sub, f:<uuid>:<idNat>, stable per professional.
func subject(idNat string) string {
	h := sha1.Sum([]byte("pscsim:" + idNat))
	h[6] = (h[6] & 0x0f) | 0x50 // a name-based (v5-shaped) UUID
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("f:%x-%x-%x-%x-%x:%s", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16], idNat)
}

func (p *Provider) idToken(c Client, g grant, now time.Time) (string, error) {
	faults := p.takeFaults(c.ID, atIDToken)
	claims := map[string]any{
		"iss": p.cfg.Issuer, "sub": subject(g.idNat), "aud": c.ID, "azp": c.ID,
		"exp": now.Add(idTokenTTL).Unix(), "iat": now.Unix(), "auth_time": g.authTime.Unix(),
		"acr": g.acr, "sid": g.sid, "preferred_username": g.idNat, "typ": "ID",
		"jti": newID(),
	}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	if faults[WrongIssuer] {
		claims["iss"] = "https://auth.esw.esante.gouv.fr/auth/realms/another-realm"
	}
	if faults[WrongAudience] {
		claims["aud"], claims["azp"] = "another-client", "another-client"
	}
	if faults[MissingAudience] {
		delete(claims, "aud")
	}
	if faults[MissingSub] {
		delete(claims, "sub")
	}
	if faults[MissingIAT] {
		delete(claims, "iat")
	}
	if faults[WrongNonce] {
		claims["nonce"] = "not-the-nonce-you-sent"
	}
	if faults[ExpiredIDToken] {
		claims["iat"], claims["exp"] = now.Add(-2*idTokenTTL).Unix(), now.Add(-idTokenTTL).Unix()
	}
	if faults[LowACR] {
		i := slices.Index(acrLevels, g.acr)
		claims["acr"] = "eidas0"
		if i > 0 {
			claims["acr"] = acrLevels[i-1]
		}
	}
	withKID := !faults[NoKID] && !faults[NoKIDSeveralKeys]
	tok, err := sign(p.signingKey(), claims, withKID, "JWT")
	if err == nil && faults[BadSignature] {
		tok = corrupt(tok)
	}
	return tok, err
}

func (p *Provider) serveUserinfo(w http.ResponseWriter, r *http.Request) {
	p.count(func(s *Stats) { s.Userinfo++ })
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	p.mu.Lock()
	g, known := p.access[token]
	p.mu.Unlock()
	if !ok || !known || p.cfg.Now().After(g.expires) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "invalid token", http.StatusUnauthorized)
		return
	}
	c, _ := p.client(g.clientID)
	faults := p.takeFaults(c.ID, atUserinfo)
	if p.failWith(w, r, faults) {
		return
	}
	claims := map[string]any{}
	for k, v := range p.pros[g.idNat].Claims {
		claims[k] = v
	}
	claims["sub"] = subject(g.idNat)
	if faults[UserinfoSubMismatch] {
		claims["sub"] = subject("899999999999")
	}
	w.Header().Set("Cache-Control", "no-store")
	if !c.UserinfoAsJWT {
		writeJSON(w, http.StatusOK, claims)
		return
	}
	claims["iss"], claims["aud"] = p.cfg.Issuer, c.ID
	jwt, err := sign(p.signingKey(), claims, true, "JWT")
	if err != nil {
		http.Error(w, "signing failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/jwt")
	_, _ = w.Write([]byte(jwt))
}
