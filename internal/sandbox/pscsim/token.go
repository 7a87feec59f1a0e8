package pscsim

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"time"
)

// grant is what an access or refresh token stands for. family is the
// code it descends from, so that a replayed code revokes all of them.
type grant struct {
	clientID, idNat, sid, acr, nonce, family string
	// authMode is the means of a decoupled sign-in (CARD, MOBILE), put
	// in its ID token; empty for the redirect flow.
	authMode          string
	authTime, expires time.Time
}

// tokenError answers an RFC 6749 (5.2) error.
func tokenError(w http.ResponseWriter, status int, code, desc string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="esante-wallet"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// authenticate checks client_secret_basic or client_secret_post, and the
// client certificate when the client is registered for tls_client_auth.
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
	if ok && c.Secret == "" {
		// tls_client_auth alone: client_id in the form, no secret anywhere.
		return c, !basic && secret == "" && hasClientCertificate(r)
	}
	if !ok || subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1 {
		return Client{}, false
	}
	if c.TLSClientAuth && !hasClientCertificate(r) {
		return Client{}, false
	}
	return c, true
}

func hasClientCertificate(r *http.Request) bool {
	return r.TLS != nil && len(r.TLS.PeerCertificates) > 0
}

func (p *Provider) serveToken(w http.ResponseWriter, r *http.Request) {
	p.count(func(s *Stats) { s.Token++ })
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		tokenError(w, http.StatusMethodNotAllowed, "invalid_request", "POST only")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
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
	case cibaGrant:
		p.pollCIBA(w, r, c)
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "authorization_code, refresh_token or "+cibaGrant)
	}
}

func (p *Provider) exchangeCode(w http.ResponseWriter, r *http.Request, c Client) {
	code := r.PostForm.Get("code")
	now := p.cfg.Now()
	p.mu.Lock()
	ac, ok := p.codes[code]
	delete(p.codes, code) // single use, even when the exchange fails
	_, replayed := p.usedCodes[code]
	if ok {
		p.usedCodes[code] = now.Add(p.cfg.RefreshTokenTTL)
	} else if replayed {
		// RFC 6749 4.1.2: a code used twice revokes what it gave.
		p.revokeFamilyLocked(code)
	}
	p.mu.Unlock()
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
	// The professional has reached the client: the session is listed and
	// its lifetimes start.
	p.mu.Lock()
	if s := p.sessions[ac.sid]; s != nil && !s.reached {
		s.reached = true
		p.touch(s, now)
	}
	p.mu.Unlock()
	p.issue(w, c, grant{clientID: c.ID, idNat: ac.idNat, sid: ac.sid, acr: ac.acr, nonce: ac.nonce, family: code, authTime: ac.authTime})
}

// revokeFamilyLocked drops every token descending from code. p.mu is held.
func (p *Provider) revokeFamilyLocked(code string) {
	for _, m := range []map[string]*grant{p.access, p.refresh} {
		for t, g := range m {
			if g.family == code {
				delete(m, t)
			}
		}
	}
}

func (p *Provider) refreshGrant(w http.ResponseWriter, r *http.Request, c Client) {
	rt := r.PostForm.Get("refresh_token")
	now := p.cfg.Now()
	p.mu.Lock()
	g, ok := p.refresh[rt]
	delete(p.refresh, rt) // rotation: a refresh token works once
	s := p.sessions[p.sidOf(g)]
	live := ok && s != nil && !now.After(s.expires)
	if live {
		p.touch(s, now) // a refresh is a use: the idle time starts again
	}
	p.mu.Unlock()
	switch {
	case !ok || g.clientID != c.ID:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "unknown or used refresh token")
		return
	case now.After(g.expires) || !live:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "session ended")
		return
	}
	refreshed := *g
	refreshed.nonce = "" // a refreshed ID token carries no nonce (OIDC core 12.2)
	p.issue(w, c, refreshed)
}

func (p *Provider) sidOf(g *grant) string {
	if g == nil {
		return ""
	}
	return g.sid
}

// pkceMatches checks the verifier. Without a challenge no verifier may be
// sent either: accepting one would let a PKCE downgrade go unnoticed
// (RFC 9700 2.1.1).
func pkceMatches(challenge, method, verifier string) bool {
	if challenge == "" {
		return verifier == ""
	}
	if !pkceChallenge.MatchString(verifier) {
		return false
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
	ag.expires, rg.expires = now.Add(p.cfg.AccessTokenTTL), now.Add(p.cfg.RefreshTokenTTL)
	p.mu.Lock()
	if s := p.sessions[g.sid]; s != nil && rg.expires.After(s.expires) {
		rg.expires = s.expires // as Keycloak: never beyond the session
	}
	p.mu.Unlock()
	p.mu.Lock()
	ended := p.sweepLocked()
	p.access[access] = &ag
	p.refresh[refresh] = &rg
	p.mu.Unlock()
	p.notifyEnded(ended)

	idToken, err := p.idToken(c, g, access, now)
	if err != nil {
		tokenError(w, http.StatusInternalServerError, "server_error", "signing failed")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token":       access,
		"token_type":         "Bearer",
		"expires_in":         int(p.cfg.AccessTokenTTL.Seconds()),
		"refresh_token":      refresh,
		"refresh_expires_in": int(rg.expires.Sub(now).Seconds()),
		"id_token":           idToken,
		"scope":              "openid scope_all",
		"session_state":      g.sid,
		"not-before-policy":  0,
	})
}
