package hinsim

import (
	"net/http"
	"net/url"
)

// serveConsent takes the Yes/No answer and sends the browser back to the
// application, with a code or with access_denied.
func (s *Server) serveConsent(w http.ResponseWriter, r *http.Request) {
	id, p, ok := s.pendingFromForm(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	hinID := p.hinID
	if hinID != "" {
		delete(s.pending, id) // one answer per sign-in
	}
	s.mu.Unlock()
	if p.manual || hinID == "" {
		s.renderError(w, r, http.StatusBadRequest, p.lang, "err.pending")
		return
	}
	// The language the professional read the pages in goes back with the
	// answer (a sandbox convention), so that a language chosen here
	// carries on in the application.
	params := url.Values{"state": {p.state}, "ui_locales": {p.lang}}
	if r.PostForm.Get("decision") == "yes" {
		params.Set(s.cfg.CallbackCodeParam, s.issueCode(p, hinID))
	} else {
		params.Set("error", "access_denied")
	}
	http.Redirect(w, r, withParams(p.redirectURI, params), http.StatusSeeOther)
}

// issueCode records a single-use code for the pending sign-in. Manual
// codes name no client and no redirect URI: any application of the token
// group may redeem them, with an empty redirect_uri.
func (s *Server) issueCode(p *pendingSignIn, hinID string) string {
	code := newSecretValue()
	c := authCode{tokenGroup: p.tokenGroup, hinID: hinID, expiry: s.now().Add(s.cfg.CodeTTL)}
	if !p.manual {
		c.clientID, c.redirectURI = p.client.ID, p.redirectURI
	}
	s.mu.Lock()
	s.grants.prune(s.now())
	s.grants.codes[code] = c
	s.mu.Unlock()
	return code
}

// withParams adds params to a URL that may already have a query.
func withParams(raw string, params url.Values) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw // registered URIs were validated at start-up
	}
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}
