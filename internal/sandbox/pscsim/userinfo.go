package pscsim

import (
	"net/http"
	"strings"
)

// serveUserinfo answers the professional's attributes for a bearer access
// token: the PSC claim set as JSON, or as a signed JWT (with iss and aud)
// for a client registered so.
func (p *Provider) serveUserinfo(w http.ResponseWriter, r *http.Request) {
	p.count(func(s *Stats) { s.Userinfo++ })
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	token := bearerToken(r.Header.Get("Authorization"))
	now := p.cfg.Now()
	p.mu.Lock()
	g, known := p.access[token]
	live := known && p.sessions[g.sid] != nil && !now.After(g.expires)
	p.mu.Unlock()
	if token == "" || !live {
		w.Header().Set("WWW-Authenticate", `Bearer realm="esante-wallet", error="invalid_token"`)
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token", "error_description": "unknown or expired access token"})
		return
	}
	c, _ := p.client(g.clientID)
	if c.TLSClientAuth && !hasClientCertificate(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="esante-wallet", error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token", "error_description": "client certificate required"})
		return
	}
	faults := p.takeFaults(c.ID, atUserinfo)
	if p.failWith(w, r, faults) {
		return
	}
	claims := map[string]any{}
	for k, v := range p.pros[g.idNat].Claims {
		claims[k] = v
	}
	claims["sub"] = p.subject(g.idNat)
	if faults[UserinfoSubMismatch] {
		claims["sub"] = p.subject("899999999999")
	}
	w.Header().Set("Cache-Control", "no-store")
	if !c.UserinfoAsJWT {
		writeJSON(w, http.StatusOK, claims)
		return
	}
	claims["iss"], claims["aud"] = p.cfg.Issuer, c.ID
	if faults[UserinfoWrongAudience] {
		claims["aud"] = "another-client"
	}
	jwt, err := sign(p.signingKey(), claims, true, "JWT")
	if err != nil {
		http.Error(w, "signing failed", http.StatusInternalServerError)
		return
	}
	if faults[UserinfoBadSignature] {
		jwt = corrupt(jwt)
	}
	w.Header().Set("Content-Type", "application/jwt")
	_, _ = w.Write([]byte(jwt))
}

// bearerToken is the token of an Authorization header; the scheme name is
// case-insensitive (RFC 9110 11.1), so "bearer" and "BEARER" are Bearer.
func bearerToken(header string) string {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}
