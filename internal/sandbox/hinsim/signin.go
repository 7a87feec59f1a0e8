package hinsim

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// manualApp is the apps.hin.ch application that hands out codes by hand.
const manualApp = "HinCredMgrOAuth"

// maxPending bounds sign-ins in progress, so that a script opening the
// authorize URL in a loop cannot fill the memory.
const maxPending = 10000

// pendingSignIn is a sign-in in progress; its id travels in the pages'
// forms, everything else stays here.
type pendingSignIn struct {
	manual      bool
	client      Client // grant flow only
	tokenGroup  string
	redirectURI string
	state       string
	lang        string
	hinID       string // set once an identity is chosen
	code        string // manual flow: set once the code is shown
	// query is the request that started the sign-in, and path its path:
	// the first page's language switcher repeats it.
	path   string
	query  url.Values
	expiry time.Time
}

// serveAuthorize is GetAuthCode/<TokenGroup>: the grant flow's start.
// Every problem before the redirect URI is known good gives an error page,
// never a redirect.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request, tokenGroup string) {
	lang := requestLanguage(r)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.renderError(w, r, http.StatusMethodNotAllowed, lang, "err.method")
		return
	}
	q := r.URL.Query()
	client, known := s.clients[q.Get("client_id")]
	redirectURI := q.Get("redirect_uri")
	switch {
	case !s.groups[tokenGroup]:
		s.renderError(w, r, http.StatusNotFound, lang, "err.unknown_group")
		return
	case !known:
		s.renderError(w, r, http.StatusBadRequest, lang, "err.client")
		return
	case !allowed(client, tokenGroup):
		s.renderError(w, r, http.StatusForbidden, lang, "err.client_group")
		return
	case !slices.Contains(client.RedirectURIs, redirectURI):
		s.renderError(w, r, http.StatusBadRequest, lang, "err.redirect_uri")
		return
	case q.Get("state") == "":
		s.renderError(w, r, http.StatusBadRequest, lang, "err.state")
		return
	case q.Get("response_type") != "code":
		// The redirect URI is trusted now: tell the application (RFC 6749 4.1.2.1).
		http.Redirect(w, r, withParams(redirectURI, url.Values{
			"error": {"unsupported_response_type"}, "state": {q.Get("state")},
		}), http.StatusSeeOther)
		return
	}
	s.startSignIn(w, r, &pendingSignIn{
		client: client, tokenGroup: tokenGroup, redirectURI: redirectURI,
		state: q.Get("state"), lang: lang,
		// Signed in at HIN already as the identity the application names:
		// the consent page only (see sso.go).
		hinID: s.signedInAs(r, q.Get("login_hint")),
	})
}

// serveManual is apps.hin.ch's code page for a token group.
func (s *Server) serveManual(w http.ResponseWriter, r *http.Request) {
	lang := requestLanguage(r)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.renderError(w, r, http.StatusMethodNotAllowed, lang, "err.method")
		return
	}
	q := r.URL.Query()
	switch {
	case q.Get("app") != manualApp:
		s.renderError(w, r, http.StatusNotFound, lang, "err.app")
	case !s.groups[q.Get("tokenGroup")]:
		s.renderError(w, r, http.StatusNotFound, lang, "err.unknown_group")
	default:
		s.startSignIn(w, r, &pendingSignIn{manual: true, tokenGroup: q.Get("tokenGroup"), lang: lang})
	}
}

// startSignIn records p and shows the identity choice.
func (s *Server) startSignIn(w http.ResponseWriter, r *http.Request, p *pendingSignIn) {
	now := s.now()
	p.path, p.query = r.URL.Path, r.URL.Query()
	p.expiry = now.Add(s.cfg.CodeTTL)
	id := newPendingID()
	s.mu.Lock()
	maps.DeleteFunc(s.pending, func(_ string, old *pendingSignIn) bool { return !now.Before(old.expiry) })
	full := len(s.pending) >= maxPending
	if !full {
		s.pending[id] = p
	}
	s.mu.Unlock()
	if full {
		s.renderError(w, r, http.StatusServiceUnavailable, p.lang, "err.busy")
		return
	}
	if p.hinID != "" {
		s.renderConsent(w, id, p)
		return
	}
	s.renderSignIn(w, http.StatusOK, id, p, "")
}

// serveSignIn takes the chosen identity: the grant flow goes on to the
// consent page, the manual flow shows its code at once.
func (s *Server) serveSignIn(w http.ResponseWriter, r *http.Request) {
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.Query().Has("pending") {
		s.serveSwitch(w, r)
		return
	}
	id, p, ok := s.pendingFromForm(w, r)
	if !ok {
		return
	}
	identity, known := s.byHINID[r.PostForm.Get("hin_id")]
	s.mu.Lock()
	shown := p.code != ""
	s.mu.Unlock()
	switch {
	case shown: // one code per manual sign-in
		s.renderError(w, r, http.StatusBadRequest, p.lang, "err.pending")
		return
	case !known:
		s.renderSignIn(w, http.StatusBadRequest, id, p, "signin.unknown")
		return
	}
	if p.manual {
		code := s.issueCode(p, identity.HINID)
		s.mu.Lock()
		p.hinID, p.code = identity.HINID, code
		step := *p
		s.mu.Unlock()
		s.rememberSignIn(w, identity.HINID) // apps.hin.ch's session too
		s.renderCode(w, id, &step)
		return
	}
	s.mu.Lock()
	p.hinID = identity.HINID
	step := *p
	s.mu.Unlock()
	s.rememberSignIn(w, identity.HINID)
	s.renderConsent(w, id, &step)
}

// serveSwitch is a sign-in page's language switcher: the same step of the
// sign-in again, in the language asked, which the sign-in keeps.
func (s *Server) serveSwitch(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("pending")
	lang := requestLanguage(r)
	now := s.now()
	s.mu.Lock()
	p, ok := s.pending[id]
	if ok && !now.Before(p.expiry) {
		delete(s.pending, id)
		ok = false
	}
	var step pendingSignIn
	if ok {
		p.lang = lang
		step = *p
	}
	s.mu.Unlock()
	switch {
	case !ok:
		s.renderError(w, r, http.StatusBadRequest, lang, "err.pending")
	case step.code != "":
		s.renderCode(w, id, &step)
	case step.hinID != "" && !step.manual:
		s.renderConsent(w, id, &step)
	default:
		s.renderSignIn(w, http.StatusOK, id, &step, "")
	}
}

// pendingFromForm reads the form of a sign-in page and finds its pending
// sign-in; on failure it has answered.
func (s *Server) pendingFromForm(w http.ResponseWriter, r *http.Request) (string, *pendingSignIn, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.renderError(w, r, http.StatusMethodNotAllowed, requestLanguage(r), "err.method")
		return "", nil, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, requestLanguage(r), "err.pending")
		return "", nil, false
	}
	id := r.PostForm.Get("pending")
	s.mu.Lock()
	p, ok := s.pending[id]
	if ok && !s.now().Before(p.expiry) {
		delete(s.pending, id)
		ok = false
	}
	s.mu.Unlock()
	if !ok {
		s.renderError(w, r, http.StatusBadRequest, requestLanguage(r), "err.pending")
		return "", nil, false
	}
	return id, p, true
}
