package pscsim

import (
	"maps"
	"time"
)

// session is a professional's session at the provider (what "sid" names),
// Keycloak's SSO session: it ends SessionMax after sign-in, or
// SessionIdle after its last use (sign-in, refresh), whichever is first.
// A session whose code was never exchanged (the professional never
// reached the client) is not listed, and goes when its code does.
type session struct {
	sid, idNat, clientID string
	started, lastUsed    time.Time
	// expires is when it ends unless used again (see touch).
	expires time.Time
	// reached: the client exchanged the sign-in's code (or polled its
	// approved decoupled request).
	reached bool
}

// newSession starts a session at now.
func (p *Provider) newSession(sid, idNat, clientID string, now time.Time, reached bool) *session {
	s := &session{sid: sid, idNat: idNat, clientID: clientID, started: now, reached: reached}
	if !reached {
		s.expires = now.Add(codeTTL)
		return s
	}
	p.touch(s, now)
	return s
}

// touch records a use of s at now: its idle time starts again, within
// its maximum. p.mu is held (or s not yet shared).
func (p *Provider) touch(s *session, now time.Time) {
	s.lastUsed = now
	s.expires = now.Add(p.cfg.SessionIdle)
	if limit := s.started.Add(p.cfg.SessionMax); limit.Before(s.expires) {
		s.expires = limit
	}
}

// sweepLocked forgets expired requests, codes, tokens and finished
// sessions' tokens, at most once a minute, so that a long demo does not
// grow without bound. It returns the sessions that expired; their clients
// hear of it only under the ExpiryBackchannel fault (notifyEnded, once
// p.mu is released). p.mu is held.
func (p *Provider) sweepLocked() (ended []*session) {
	now := p.cfg.Now()
	if now.Before(p.nextSweep) {
		return nil
	}
	p.nextSweep = now.Add(time.Minute)
	maps.DeleteFunc(p.pending, func(_ string, pa *pendingAuth) bool { return now.After(pa.expires) })
	maps.DeleteFunc(p.codes, func(_ string, ac *authCode) bool { return now.After(ac.expires) })
	maps.DeleteFunc(p.usedCodes, func(_ string, until time.Time) bool { return now.After(until) })
	for sid, s := range p.sessions {
		if now.After(s.expires) {
			delete(p.sessions, sid)
			if s.reached {
				ended = append(ended, s)
			}
		}
	}
	maps.DeleteFunc(p.ciba, func(_ string, cr *cibaRequest) bool { return now.After(cr.expires.Add(time.Minute)) })
	for _, m := range []map[string]*grant{p.access, p.refresh} {
		maps.DeleteFunc(m, func(_ string, g *grant) bool { return now.After(g.expires) || p.sessions[g.sid] == nil })
	}
	return ended
}
