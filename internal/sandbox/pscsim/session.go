package pscsim

import (
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
	for id, pa := range p.pending {
		if now.After(pa.expires) {
			delete(p.pending, id)
		}
	}
	for c, ac := range p.codes {
		if now.After(ac.expires) {
			delete(p.codes, c)
		}
	}
	for c, until := range p.usedCodes {
		if now.After(until) {
			delete(p.usedCodes, c)
		}
	}
	for sid, s := range p.sessions {
		if now.After(s.expires) {
			delete(p.sessions, sid)
			if s.reached {
				ended = append(ended, s)
			}
		}
	}
	for id, cr := range p.ciba {
		if now.After(cr.expires.Add(time.Minute)) {
			delete(p.ciba, id)
		}
	}
	for _, m := range []map[string]*grant{p.access, p.refresh} {
		for t, g := range m {
			if now.After(g.expires) || p.sessions[g.sid] == nil {
				delete(m, t)
			}
		}
	}
	return ended
}
