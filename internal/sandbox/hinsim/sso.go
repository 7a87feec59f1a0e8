package hinsim

import (
	"maps"
	"net/http"
	"strings"
	"time"
)

// HIN e-ID's own session (single sign-on), as the sandbox guesses it: a
// browser that signed in at HIN and comes back for another authorization
// of the same identity — the application names it in login_hint, as
// OpenID Connect does — goes straight to the consent page. Guess: HIN's
// manual says nothing of a session across authorizations nor of
// login_hint; apps.hin.ch keeps a signed-in HIN Client session, and an
// application asking for a second token group (hin_sds after
// hin_covercard) would otherwise make the professional sign in twice.
// Without login_hint, or for another identity, the identity page is shown
// as before, so that a shared computer never signs the next person in as
// the previous one.
const (
	ssoCookie = "hinsim_sso"
	// ssoTTL bounds the simulated HIN session.
	ssoTTL = time.Hour
)

type ssoSession struct {
	hinID  string
	expiry time.Time
}

// rememberSignIn starts the browser's simulated HIN session for hinID.
func (s *Server) rememberSignIn(w http.ResponseWriter, hinID string) {
	id := newPendingID()
	now := s.now()
	s.mu.Lock()
	maps.DeleteFunc(s.sso, func(_ string, old ssoSession) bool { return !now.Before(old.expiry) })
	full := len(s.sso) >= maxPending
	if !full {
		s.sso[id] = ssoSession{hinID: hinID, expiry: now.Add(ssoTTL)}
	}
	s.mu.Unlock()
	if full {
		return // no session: the next authorization asks again
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: id, Path: s.basePath + "/", MaxAge: int(ssoTTL.Seconds()),
		HttpOnly: true, Secure: strings.HasPrefix(s.cfg.BaseURL, "https://"), SameSite: http.SameSiteLaxMode})
}

// signedInAs is hint when the browser's HIN session is that identity's,
// else "".
func (s *Server) signedInAs(r *http.Request, hint string) string {
	if hint == "" {
		return ""
	}
	ck, err := r.Cookie(ssoCookie)
	if err != nil {
		return ""
	}
	s.mu.Lock()
	sess, ok := s.sso[ck.Value]
	s.mu.Unlock()
	if !ok || !s.now().Before(sess.expiry) || sess.hinID != hint {
		return ""
	}
	if _, known := s.byHINID[hint]; !known {
		return ""
	}
	return hint
}
