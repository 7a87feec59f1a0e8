package pscsim

import (
	"cmp"
	"crypto/rand"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
)

// acrLevels are PSC's authentication levels, weakest first.
var acrLevels = []string{"eidas1", "eidas2", "eidas3"}

// pkceChallenge is RFC 7636's shape for a challenge (and a verifier).
var pkceChallenge = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// pendingAuth is an authorization request waiting for the professional to
// pick a card and type its code. The form carries only its id, so nothing
// the browser posts back can change what was asked.
type pendingAuth struct {
	clientID, redirectURI, state, nonce string
	challenge, challengeMethod          string
	acr, lang                           string
	// query is the request as the client sent it, for the language
	// switcher to repeat it in another language.
	query   url.Values
	expires time.Time
}

// authCode is a code waiting to be exchanged: single use, 60 s.
type authCode struct {
	clientID, redirectURI, challenge, challengeMethod, nonce, acr string
	idNat, sid                                                    string
	authTime, expires                                             time.Time
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

// startAuthorization checks the request. Errors that cannot be trusted to
// go back to the client (unknown client, unregistered redirect URI) are a
// page, never a redirect: otherwise the provider would be an open
// redirector.
func (p *Provider) startAuthorization(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lang := pagelang.Pick(r.Header.Get("Accept-Language"), q.Get("ui_locales"))
	if q.Has("pending") && !q.Has("client_id") {
		// The language switcher of a page answering the card form.
		p.switchPending(w, r, q.Get("pending"), lang)
		return
	}
	c, ok := p.client(q.Get("client_id"))
	if !ok {
		p.renderError(w, r, http.StatusBadRequest, lang, "error.client")
		return
	}
	redirect := q.Get("redirect_uri")
	if !slices.Contains(c.RedirectURIs, redirect) {
		p.renderError(w, r, http.StatusBadRequest, lang, "error.redirect")
		return
	}
	state := q.Get("state")
	fail := func(code, desc string) {
		p.redirectBack(w, r, redirect, url.Values{"error": {code}, "error_description": {desc}, "state": {state}})
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	if challenge != "" && method == "" {
		method = "plain" // RFC 7636 4.3; discovery lists plain, as PSC's does
	}
	acr := strings.Fields(q.Get("acr_values"))
	if len(acr) == 0 {
		acr = []string{"eidas1"}
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "only the authorization code flow is supported")
		return
	case !slices.Contains(strings.Fields(q.Get("scope")), "openid"):
		fail("invalid_scope", "scope must contain openid")
		return
	case challenge == "" && method != "":
		// A client that asked for PKCE and lost its challenge would
		// otherwise sign in without PKCE, unnoticed.
		fail("invalid_request", "code_challenge_method without code_challenge")
		return
	case challenge != "" && method != "S256" && method != "plain":
		fail("invalid_request", "unsupported code_challenge_method")
		return
	case challenge != "" && !pkceChallenge.MatchString(challenge):
		fail("invalid_request", "malformed code_challenge")
		return
	case !slices.Contains(acrLevels, acr[0]):
		fail("invalid_request", "unsupported acr_values")
		return
	case slices.Contains(strings.Fields(q.Get("prompt")), "none"):
		// The simulator keeps no single sign-on: every sign-in needs the card.
		fail("login_required", "the professional must present a card")
		return
	}
	pa := &pendingAuth{
		clientID: c.ID, redirectURI: redirect, state: state, nonce: q.Get("nonce"),
		challenge: challenge, challengeMethod: method,
		acr: acr[0], lang: lang, query: q,
		expires: p.cfg.Now().Add(pendingTTL),
	}
	id := newID()
	p.mu.Lock()
	ended := p.sweepLocked()
	full := len(p.pending) >= maxPending
	if !full {
		p.pending[id] = pa
	}
	p.mu.Unlock()
	p.notifyEnded(ended)
	if full {
		p.renderError(w, r, http.StatusServiceUnavailable, lang, "error.busy")
		return
	}
	p.renderCardPage(w, http.StatusOK, id, pa, cardChoice{}, "")
}

// switchPending shows a pending request's card page again, in lang, and
// keeps lang for the rest of the request.
func (p *Provider) switchPending(w http.ResponseWriter, r *http.Request, id, lang string) {
	p.mu.Lock()
	pa, ok := p.pending[id]
	if ok && p.cfg.Now().After(pa.expires) {
		delete(p.pending, id)
		ok = false
	}
	if ok {
		pa.lang = lang
	}
	p.mu.Unlock()
	if !ok {
		p.renderError(w, r, http.StatusBadRequest, lang, "error.expired")
		return
	}
	p.renderCardPage(w, http.StatusOK, id, pa, cardChoice{}, "")
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
		p.renderError(w, r, http.StatusBadRequest, pagelang.Pick(r.Header.Get("Accept-Language")), "error.expired")
		return
	}
	if r.PostForm.Get("action") == "cancel" {
		if p.dropPending(id) {
			p.redirectBack(w, r, pa.redirectURI, url.Values{"error": {"access_denied"}, "error_description": {"the professional cancelled"}, "state": {pa.state}, "ui_locales": {pa.lang}})
		} else {
			p.renderError(w, r, http.StatusBadRequest, pa.lang, "error.expired")
		}
		return
	}
	idNat := r.PostForm.Get("professional")
	// A form without a way in (an older page, a script) means the card.
	chosen := cardChoice{Method: cmp.Or(r.PostForm.Get("method"), methodCard), IDNat: idNat}
	if chosen.Method != methodCard && chosen.Method != methodApp {
		p.renderCardPage(w, http.StatusUnprocessableEntity, id, pa, cardChoice{IDNat: idNat}, "error.method")
		return
	}
	if _, known := p.pros[idNat]; !known {
		p.renderCardPage(w, http.StatusUnprocessableEntity, id, pa, cardChoice{Method: chosen.Method}, "error.choose")
		return
	}
	if r.PostForm.Get("code") != CardCode {
		p.renderCardPage(w, http.StatusUnprocessableEntity, id, pa, chosen, "error.code")
		return
	}
	// Two tabs posting the same form: only the first gets a code.
	if !p.dropPending(id) {
		p.renderError(w, r, http.StatusBadRequest, pa.lang, "error.expired")
		return
	}
	now := p.cfg.Now()
	code, sid := newID(), newID()
	p.mu.Lock()
	p.sessions[sid] = p.newSession(sid, idNat, pa.clientID, now, false)
	p.codes[code] = &authCode{
		clientID: pa.clientID, redirectURI: pa.redirectURI, challenge: pa.challenge, challengeMethod: pa.challengeMethod,
		nonce: pa.nonce, acr: pa.acr, idNat: idNat, sid: sid, authTime: now, expires: now.Add(codeTTL),
	}
	p.mu.Unlock()
	// The language the professional read the pages in goes back with the
	// answer (a sandbox convention, ui_locales as the request named it),
	// so that a language chosen here carries on in the application.
	p.redirectBack(w, r, pa.redirectURI, url.Values{"code": {code}, "state": {pa.state}, "ui_locales": {pa.lang}})
}

// dropPending forgets a pending authorization; it reports whether it was
// still there.
func (p *Provider) dropPending(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.pending[id]
	delete(p.pending, id)
	return ok
}

// redirectBack sends the browser to the client with the answer and the
// issuer (RFC 9207, the mix-up defence), leaving out a state the client
// did not send.
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
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, u.String(), http.StatusFound)
}
