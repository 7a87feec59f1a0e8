package pscsim

import "net/http"

// serveIntrospect is the token introspection endpoint (RFC 7662), with
// client authentication as the token endpoint's (Basic for PSC's API
// clients). Any registered client may introspect, as in Keycloak: a
// resource server learns whether the token a professional presented is
// active. An access token's answer carries SubjectNameID, the
// professional's idNat, as PSC's does (authorities-today §1.5); a
// refresh token's does not. Unknown, expired or ended tokens are
// {"active": false}, nothing more (RFC 7662 2.2).
func (p *Provider) serveIntrospect(w http.ResponseWriter, r *http.Request) {
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
	if _, ok := p.authenticate(r); !ok {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	token := r.PostForm.Get("token")
	if token == "" {
		tokenError(w, http.StatusBadRequest, "invalid_request", "token is required")
		return
	}
	hint := r.PostForm.Get("token_type_hint")
	now := p.cfg.Now()
	p.mu.Lock()
	g, isAccess := p.access[token]
	kind := "Bearer"
	if !isAccess || hint == "refresh_token" {
		if rg, ok := p.refresh[token]; ok {
			g, isAccess, kind = rg, false, "Refresh"
		}
	}
	var live bool
	var sub string
	answer := map[string]any{"active": false}
	if g != nil {
		s := p.sessions[g.sid]
		live = s != nil && !now.After(g.expires) && !now.After(s.expires)
	}
	p.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	if !live {
		writeJSON(w, http.StatusOK, answer)
		return
	}
	sub = p.subject(g.idNat)
	answer = map[string]any{
		"active": true, "exp": g.expires.Unix(), "sub": sub, "client_id": g.clientID, "azp": g.clientID,
		"scope": "openid scope_all", "token_type": kind, "sid": g.sid, "acr": g.acr, "iss": p.cfg.Issuer,
	}
	if isAccess {
		answer["SubjectNameID"] = g.idNat
	}
	writeJSON(w, http.StatusOK, answer)
}
