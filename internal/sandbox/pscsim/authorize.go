package pscsim

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// acrLevels are PSC's authentication levels, weakest first.
var acrLevels = []string{"eidas1", "eidas2", "eidas3"}

// pendingAuth is an authorization request waiting for the professional to
// pick a card and type its code. The form carries only its id.
type pendingAuth struct {
	clientID, redirectURI, state, nonce string
	challenge, challengeMethod          string
	acr, scope, lang                    string
	expires                             time.Time
}

// authCode is a code waiting to be exchanged: single use, 60 s.
type authCode struct {
	clientID, redirectURI, challenge, challengeMethod, nonce, acr string
	idNat, sid                                                    string
	authTime, expires                                             time.Time
}

// session is a professional's session at the provider (what "sid" names).
type session struct {
	sid, idNat, clientID string
}

func newID() string { return rand.Text() }

func (p *Provider) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		p.startAuthorization(w, r)
	case http.MethodPost:
		p.finishAuthorization(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// startAuthorization checks the request; errors that cannot be trusted to
// go back to the client (unknown client, unregistered redirect URI) are a
// page, never a redirect.
func (p *Provider) startAuthorization(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lang := pageLanguage(q.Get("ui_locales"), r.Header.Get("Accept-Language"))
	c, ok := p.client(q.Get("client_id"))
	if !ok {
		p.renderError(w, http.StatusBadRequest, lang, "error.client")
		return
	}
	redirect := q.Get("redirect_uri")
	if !slices.Contains(c.RedirectURIs, redirect) {
		p.renderError(w, http.StatusBadRequest, lang, "error.redirect")
		return
	}
	state := q.Get("state")
	fail := func(code, desc string) {
		p.redirectBack(w, r, redirect, url.Values{"error": {code}, "error_description": {desc}, "state": {state}})
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "only the authorization code flow is supported")
		return
	case !slices.Contains(strings.Fields(q.Get("scope")), "openid"):
		fail("invalid_scope", "scope must contain openid")
		return
	case q.Get("code_challenge") != "" && q.Get("code_challenge_method") != "S256" && q.Get("code_challenge_method") != "plain" && q.Get("code_challenge_method") != "":
		fail("invalid_request", "unsupported code_challenge_method")
		return
	}
	acr := q.Get("acr_values")
	if acr == "" {
		acr = "eidas1"
	}
	if !slices.Contains(acrLevels, strings.Fields(acr)[0]) {
		fail("invalid_request", "unsupported acr_values")
		return
	}
	method := q.Get("code_challenge_method")
	if q.Get("code_challenge") != "" && method == "" {
		method = "plain"
	}
	pa := &pendingAuth{
		clientID: c.ID, redirectURI: redirect, state: state, nonce: q.Get("nonce"),
		challenge: q.Get("code_challenge"), challengeMethod: method,
		acr: strings.Fields(acr)[0], scope: q.Get("scope"), lang: lang,
		expires: p.cfg.Now().Add(pendingTTL),
	}
	id := newID()
	p.mu.Lock()
	p.pending[id] = pa
	p.mu.Unlock()
	p.renderCardPage(w, http.StatusOK, id, pa, "", "")
}

// finishAuthorization takes the chosen card and its code.
func (p *Provider) finishAuthorization(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	id := r.PostForm.Get("pending")
	p.mu.Lock()
	pa, ok := p.pending[id]
	if ok && p.cfg.Now().After(pa.expires) {
		delete(p.pending, id)
		ok = false
	}
	p.mu.Unlock()
	if !ok {
		p.renderError(w, http.StatusBadRequest, pageLanguage("", r.Header.Get("Accept-Language")), "error.expired")
		return
	}
	if r.PostForm.Get("action") == "cancel" {
		p.dropPending(id)
		p.redirectBack(w, r, pa.redirectURI, url.Values{"error": {"access_denied"}, "error_description": {"the professional cancelled"}, "state": {pa.state}})
		return
	}
	idNat := r.PostForm.Get("professional")
	if _, known := p.pros[idNat]; !known {
		p.renderCardPage(w, http.StatusUnprocessableEntity, id, pa, idNat, "error.choose")
		return
	}
	if r.PostForm.Get("code") != CardCode {
		p.renderCardPage(w, http.StatusUnprocessableEntity, id, pa, idNat, "error.code")
		return
	}
	p.dropPending(id)
	now := p.cfg.Now()
	code, sid := newID(), newID()
	p.mu.Lock()
	p.sessions[sid] = &session{sid: sid, idNat: idNat, clientID: pa.clientID}
	p.codes[code] = &authCode{
		clientID: pa.clientID, redirectURI: pa.redirectURI, challenge: pa.challenge, challengeMethod: pa.challengeMethod,
		nonce: pa.nonce, acr: pa.acr, idNat: idNat, sid: sid, authTime: now, expires: now.Add(codeTTL),
	}
	p.mu.Unlock()
	p.redirectBack(w, r, pa.redirectURI, url.Values{"code": {code}, "state": {pa.state}})
}

func (p *Provider) dropPending(id string) {
	p.mu.Lock()
	delete(p.pending, id)
	p.mu.Unlock()
}

// redirectBack sends the browser to the client with the answer and the
// issuer (RFC 9207), never dropping an empty state the client did not send.
func (p *Provider) redirectBack(w http.ResponseWriter, r *http.Request, redirectURI string, v url.Values) {
	if v.Get("state") == "" {
		v.Del("state")
	}
	v.Set("iss", p.cfg.Issuer)
	u, err := url.Parse(redirectURI)
	if err != nil {
		http.Error(w, "bad redirect URI", http.StatusBadRequest)
		return
	}
	q := u.Query()
	for k, vals := range v {
		q[k] = vals
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}
