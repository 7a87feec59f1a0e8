package web

import (
	"context"
	"errors"
	"log/slog"

	"github.com/infopatient/infopatient/internal/store"
)

// recordPSCSession records the PSC session (PSC's sid) a sign-in belongs to
// (for its back-channel logout), with what the logout and "Mes
// informations" need of the sign-in: the ID token, sealed, and the
// profile. The record is keyed by the session's token, which signIn has
// just renewed: the token the browser keeps from now on.
func (s *Server) recordPSCSession(ctx context.Context, id verifiedIdentity) error {
	rec := store.ProviderSession{
		Provider: authorityPSC, SID: id.SID, Subject: id.PSCSub,
		SessionToken: s.session(ctx).Token(), ExpiresAt: s.Now().Add(s.Config.SessionLifetime),
	}
	if id.IDToken != "" {
		sealed, err := s.Box.Seal([]byte(id.IDToken), idTokenAAD(rec.SessionToken))
		if err != nil {
			return err
		}
		rec.IDToken = sealed
	}
	if id.Profile != nil {
		b, err := id.Profile.encode()
		if err != nil {
			return err
		}
		rec.Claims = string(b)
	}
	return s.ProviderSessions.RecordProviderSession(ctx, rec)
}

// idTokenAAD binds a sealed ID token to its session: it opens for that
// session's record only.
func idTokenAAD(sessionToken string) []byte {
	return []byte("psc_id_token:" + sessionToken)
}

// pscRecord reads the record of this session's PSC sign-in. A record that
// is gone — ended by a logout, or past its lifetime — is no error: ok is
// false.
func (s *Server) pscRecord(ctx context.Context) (rec store.ProviderSession, ok bool, err error) {
	token := s.session(ctx).Token()
	if token == "" {
		return rec, false, nil
	}
	rec, err = s.ProviderSessions.ProviderSession(ctx, token, s.Now())
	if errors.Is(err, store.ErrNotFound) {
		return rec, false, nil
	}
	return rec, err == nil, err
}

// pscIDToken is the ID token this session's PSC sign-in recorded, opened
// ("" when none), for the hint of its logout.
func (s *Server) pscIDToken(ctx context.Context) (string, error) {
	rec, ok, err := s.pscRecord(ctx)
	if !ok || len(rec.IDToken) == 0 {
		return "", err
	}
	b, err := s.Box.Open(rec.IDToken, idTokenAAD(rec.SessionToken))
	if err != nil {
		// A key no longer configured, say: the logout goes without its
		// hint. The error names no token.
		s.Logger.WarnContext(ctx, "pro santé connect id token unreadable", slog.Any("err", err))
		return "", nil
	}
	return string(b), nil
}

// pscSessionProfile is the profile this session's PSC sign-in recorded
// (nil when none), for "Mes informations". A record this version cannot
// read is logged and the page goes without it.
func (s *Server) pscSessionProfile(ctx context.Context) (*pscProfile, error) {
	rec, ok, err := s.pscRecord(ctx)
	if !ok || rec.Claims == "" {
		return nil, err
	}
	p, err := decodePSCProfile([]byte(rec.Claims))
	if err != nil {
		s.Logger.WarnContext(ctx, "pro santé connect profile unreadable", slog.Any("err", err))
		return nil, nil
	}
	return p, nil
}
