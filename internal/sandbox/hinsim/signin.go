package hinsim

import (
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
	expiry      time.Time
}

// serveAuthorize is GetAuthCode/<TokenGroup>: the grant flow's start.
// Every problem before the redirect URI is known good gives an error page,
// never a redirect.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request, tokenGroup string) {
	lang := requestLanguage(r, "")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		renderError(w, http.StatusMethodNotAllowed, lang, "err.method")
		return
	}
	q := r.URL.Query()
	client, known := s.clients[q.Get("client_id")]
	redirectURI := q.Get("redirect_uri")
	switch {
	case !s.groups[tokenGroup]:
		renderError(w, http.StatusNotFound, lang, "err.unknown_group")
		return
	case !known:
		renderError(w, http.StatusBadRequest, lang, "err.client")
		return
	case !allowed(client, tokenGroup):
		renderError(w, http.StatusForbidden, lang, "err.client_group")
		return
	case !slices.Contains(client.RedirectURIs, redirectURI):
		renderError(w, http.StatusBadRequest, lang, "err.redirect_uri")
		return
	case q.Get("state") == "":
		renderError(w, http.StatusBadRequest, lang, "err.state")
		return
	case q.Get("response_type") != "code":
		// The redirect URI is trusted now: tell the application (RFC 6749 4.1.2.1).
		http.Redirect(w, r, withParams(redirectURI, url.Values{
			"error": {"unsupported_response_type"}, "state": {q.Get("state")},
		}), http.StatusSeeOther)
		return
	}
	s.startSignIn(w, &pendingSignIn{
		client: client, tokenGroup: tokenGroup, redirectURI: redirectURI,
		state: q.Get("state"), lang: lang,
	})
}

// serveManual is apps.hin.ch's code page for a token group.
func (s *Server) serveManual(w http.ResponseWriter, r *http.Request) {
	lang := requestLanguage(r, "")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		renderError(w, http.StatusMethodNotAllowed, lang, "err.method")
		return
	}
	q := r.URL.Query()
	switch {
	case q.Get("app") != manualApp:
		renderError(w, http.StatusNotFound, lang, "err.app")
	case !s.groups[q.Get("tokenGroup")]:
		renderError(w, http.StatusNotFound, lang, "err.unknown_group")
	default:
		s.startSignIn(w, &pendingSignIn{manual: true, tokenGroup: q.Get("tokenGroup"), lang: lang})
	}
}

// startSignIn records p and shows the identity choice.
func (s *Server) startSignIn(w http.ResponseWriter, p *pendingSignIn) {
	now := s.now()
	p.expiry = now.Add(s.cfg.CodeTTL)
	id := newPendingID()
	s.mu.Lock()
	for k, old := range s.pending {
		if !now.Before(old.expiry) {
			delete(s.pending, k)
		}
	}
	full := len(s.pending) >= maxPending
	if !full {
		s.pending[id] = p
	}
	s.mu.Unlock()
	if full {
		renderError(w, http.StatusServiceUnavailable, p.lang, "err.busy")
		return
	}
	s.renderSignIn(w, http.StatusOK, id, p, "")
}

func (s *Server) renderSignIn(w http.ResponseWriter, status int, id string, p *pendingSignIn, errKey string) {
	page := newPage(p.lang, "signin.title")
	page.Action = s.basePath + pathSignIn
	page.Pending = id
	page.Intro = text(p.lang, "signin.intro")
	page.Identities = s.identities
	if p.manual {
		page.Context = text(p.lang, "signin.manual", p.tokenGroup)
	} else {
		page.Context = text(p.lang, "signin.app", clientName(p.client), p.tokenGroup)
	}
	if errKey != "" {
		page.Error = text(p.lang, errKey)
	}
	render(w, status, signInPage, page)
}

// serveSignIn takes the chosen identity: the grant flow goes on to the
// consent page, the manual flow shows its code at once.
func (s *Server) serveSignIn(w http.ResponseWriter, r *http.Request) {
	id, p, ok := s.pendingFromForm(w, r)
	if !ok {
		return
	}
	identity, known := s.byHINID[r.PostForm.Get("hin_id")]
	if !known {
		s.renderSignIn(w, http.StatusBadRequest, id, p, "signin.unknown")
		return
	}
	if p.manual {
		s.mu.Lock()
		delete(s.pending, id)
		s.mu.Unlock()
		code := s.issueCode(p, identity.HINID)
		page := newPage(p.lang, "code.title")
		page.Intro = text(p.lang, "code.intro", int(s.cfg.CodeTTL/time.Minute))
		page.Code = code
		page.Context = text(p.lang, "code.group", p.tokenGroup, identity.HINID)
		render(w, http.StatusOK, codePage, page)
		return
	}
	s.mu.Lock()
	p.hinID = identity.HINID
	s.mu.Unlock()
	page := newPage(p.lang, "consent.title")
	page.Action = s.basePath + pathConsent
	page.Pending = id
	page.Question = text(p.lang, "consent.question", clientName(p.client), p.tokenGroup, identity.HINID)
	page.Yes, page.No = text(p.lang, "consent.yes"), text(p.lang, "consent.no")
	render(w, http.StatusOK, consentPage, page)
}

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
		renderError(w, http.StatusBadRequest, p.lang, "err.pending")
		return
	}
	params := url.Values{"state": {p.state}}
	if r.PostForm.Get("decision") == "yes" {
		params.Set(s.cfg.CallbackCodeParam, s.issueCode(p, hinID))
	} else {
		params.Set("error", "access_denied")
	}
	http.Redirect(w, r, withParams(p.redirectURI, params), http.StatusSeeOther)
}

// pendingFromForm reads the form of a sign-in page and finds its pending
// sign-in; on failure it has answered.
func (s *Server) pendingFromForm(w http.ResponseWriter, r *http.Request) (string, *pendingSignIn, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		renderError(w, http.StatusMethodNotAllowed, requestLanguage(r, ""), "err.method")
		return "", nil, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		renderError(w, http.StatusBadRequest, requestLanguage(r, ""), "err.pending")
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
		renderError(w, http.StatusBadRequest, requestLanguage(r, ""), "err.pending")
		return "", nil, false
	}
	return id, p, true
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

func clientName(c Client) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
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
