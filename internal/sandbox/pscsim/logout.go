package pscsim

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
)

// serveLogout is the end-session endpoint (RP-initiated logout 1.0): the
// id_token_hint, verified, names the session; post_logout_redirect_uri
// must be one the client registered, else the answer is an error page and
// no redirect (no open redirector); state comes back unchanged. With a
// registered post_logout_redirect_uri the browser goes straight back to
// the client; without one, a short confirmation page is shown. Either
// way the session's client hears of it through the back-channel.
func (p *Provider) serveLogout(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err == nil {
			q = r.Form
		}
	}
	lang := pagelang.Pick(r.Header.Get("Accept-Language"), q.Get("ui_locales"))
	var sid, clientID string
	if hint := q.Get("id_token_hint"); hint != "" {
		// An expired ID token is still a fine hint (RP-initiated logout 1.0, 2).
		claims, err := verify(p.allKeys(), hint)
		if err != nil || claims["iss"] != p.cfg.Issuer {
			p.renderError(w, r, http.StatusBadRequest, lang, "error.logout")
			return
		}
		sid, _ = claims["sid"].(string)
		clientID, _ = claims["azp"].(string)
		if aud, ok := claims["aud"].(string); ok {
			clientID = aud
		}
	}
	if id := q.Get("client_id"); id != "" {
		if clientID != "" && id != clientID {
			p.renderError(w, r, http.StatusBadRequest, lang, "error.logout")
			return
		}
		clientID = id
	}
	redirect := q.Get("post_logout_redirect_uri")
	c, known := p.client(clientID)
	if redirect != "" && (!known || !slices.Contains(c.PostLogoutRedirectURIs, redirect)) {
		p.renderError(w, r, http.StatusBadRequest, lang, "error.logout")
		return
	}
	if sid != "" {
		_ = p.EndSession(r.Context(), sid) // a failed back-channel post is logged, not fatal
	}
	if redirect == "" {
		p.renderMessage(w, r, lang, "loggedout")
		return
	}
	u, _ := url.Parse(redirect)
	v := u.Query()
	if st := q.Get("state"); st != "" && !p.takeFaults(clientID, atLogout)[LogoutWithoutState] {
		v.Set("state", st)
	}
	u.RawQuery = v.Encode()
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// EndSession ends a provider session and tells its client through the
// back-channel: a signed logout_token POSTed to its registered URI. The
// session is ended whatever the client answers; a failed post is logged
// and returned, for tests, but the end-session endpoint ignores it, as a
// real provider does. An unknown sid is not an error.
func (p *Provider) EndSession(ctx context.Context, sid string) error {
	p.mu.Lock()
	s, ok := p.sessions[sid]
	delete(p.sessions, sid)
	p.mu.Unlock()
	if !ok {
		return nil
	}
	return p.backchannelLogout(ctx, s)
}

// notifyEnded tells the clients of sessions that expired, only when the
// ExpiryBackchannel fault is armed for them: Keycloak, which runs PSC,
// posts a logout token on an explicit logout, never on expiry. It posts
// in the background: the request that swept them does not wait for the
// client, which may be the one asking.
func (p *Provider) notifyEnded(ended []*session) {
	for _, s := range ended {
		if !p.takeFaults(s.clientID, atExpiry)[ExpiryBackchannel] {
			continue
		}
		go func() { _ = p.backchannelLogout(context.Background(), s) }()
	}
}

// backchannelLogout posts the logout token of an ended session to its
// client's back-channel URI, if it registered one.
func (p *Provider) backchannelLogout(ctx context.Context, s *session) error {
	sid := s.sid
	c, ok := p.client(s.clientID)
	if !ok || c.BackchannelLogoutURI == "" {
		return nil
	}
	token, err := p.LogoutToken(c.ID, sid, p.subject(s.idNat))
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodPost, c.BackchannelLogoutURI,
		strings.NewReader(url.Values{"logout_token": {token}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := p.cfg.HTTPClient.Do(req)
	if err != nil {
		p.cfg.Logger.Warn("back-channel logout failed", "client", c.ID, "err", err)
		return err
	}
	resp.Body.Close()
	p.count(func(st *Stats) { st.BackchannelSent++ })
	if resp.StatusCode/100 != 2 {
		p.cfg.Logger.Warn("back-channel logout refused", "client", c.ID, "status", resp.StatusCode)
		return fmt.Errorf("pscsim: back-channel logout of client %s answered HTTP %d", c.ID, resp.StatusCode)
	}
	return nil
}

// LogoutToken signs a back-channel logout token for a session of clientID.
func (p *Provider) LogoutToken(clientID, sid, sub string) (string, error) {
	now := p.cfg.Now()
	return sign(p.signingKey(), map[string]any{
		"iss": p.cfg.Issuer, "aud": clientID, "iat": now.Unix(), "exp": now.Add(idTokenTTL).Unix(), "jti": newID(),
		"sid": sid, "sub": sub,
		"events": map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}},
	}, true, "logout+jwt")
}

// liveSessions are the sessions not yet expired whose professional
// reached the client, newest first.
func (p *Provider) liveSessions() []session {
	now := p.cfg.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []session
	for _, s := range p.sessions {
		if s.reached && !now.After(s.expires) {
			out = append(out, *s)
		}
	}
	slices.SortFunc(out, func(a, b session) int {
		if c := b.started.Compare(a.started); c != 0 {
			return c
		}
		return strings.Compare(a.sid, b.sid)
	})
	return out
}

// serveSessions is the simulator's sessions page: GET lists them, POST
// sid ends one as a professional signing out of Pro Santé Connect would,
// with its back-channel logout.
func (p *Provider) serveSessions(w http.ResponseWriter, r *http.Request) {
	lang := pagelang.Pick(r.Header.Get("Accept-Language"), r.URL.Query().Get("ui_locales"))
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		// Opening the page sweeps too: the sessions that expired since are
		// reported to their clients now.
		p.mu.Lock()
		ended := p.sweepLocked()
		p.mu.Unlock()
		p.notifyEnded(ended)
		p.renderSessions(w, r, lang, "", "")
	case http.MethodPost:
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		sid := r.PostForm.Get("sid")
		p.mu.Lock()
		_, live := p.sessions[sid]
		p.mu.Unlock()
		switch {
		case !live:
			p.renderSessions(w, r, lang, "", "error.session")
		case p.EndSession(r.Context(), sid) != nil:
			p.renderSessions(w, r, lang, "", "sessions.failed")
		default:
			p.renderSessions(w, r, lang, "sessions.ended", "")
		}
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// Sessions lists the live provider sessions' ids (tests, demos).
func (p *Provider) Sessions() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.sessions))
	for sid := range p.sessions {
		out = append(out, sid)
	}
	slices.Sort(out)
	return out
}

// Sign signs arbitrary claims with the provider's key, so that tests can
// present the relying party tokens a faulty provider might send.
func (p *Provider) Sign(claims map[string]any) (string, error) {
	return sign(p.signingKey(), claims, true, "JWT")
}
