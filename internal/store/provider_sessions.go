package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/infopatient/infopatient/internal/psc"
)

// The store keeps PSC sign-ins' sealed tokens beside their ID tokens.
var _ psc.TokenStore = (*Store)(nil)

// ProviderSession is a local session's record of the provider session it
// belongs to, and what that sign-in said that only some pages need.
type ProviderSession struct {
	Provider     string
	SID          string
	Subject      string
	SessionToken string
	ExpiresAt    time.Time
	// IDToken is the sign-in's ID token (the hint of an RP-initiated
	// logout), as the caller sealed it; nil when none was recorded.
	IDToken []byte
	// Claims is what "Mes informations" shows of the sign-in (JSON).
	Claims string
	// Tokens are the sign-in's access and refresh tokens, sealed by the
	// caller (psc.TokenKeeper); nil when none are kept. Never in the
	// cookie session.
	Tokens []byte
	// StartedAt is when the local session began (the store's clock when
	// zero): a back-channel logout ends only sessions begun before its
	// token was issued.
	StartedAt time.Time
}

// RecordProviderSession remembers that a local session belongs to the
// provider session (sid) of subject, with the sign-in's ID token and
// claims. Recording a session token again replaces its record.
func (s *Store) RecordProviderSession(ctx context.Context, p ProviderSession) error {
	if p.StartedAt.IsZero() {
		p.StartedAt = s.now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO provider_sessions (provider, sid, subject, session_token, expires_at, id_token, claims, tokens, started_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (session_token) DO UPDATE SET
		provider = excluded.provider, sid = excluded.sid, subject = excluded.subject, expires_at = excluded.expires_at,
		id_token = excluded.id_token, claims = excluded.claims, tokens = excluded.tokens, started_at = excluded.started_at`,
		p.Provider, p.SID, p.Subject, p.SessionToken, unix(p.ExpiresAt), p.IDToken, p.Claims, p.Tokens, unix(p.StartedAt))
	return err
}

// ProviderSession returns the record of a local session, or ErrNotFound
// when there is none or it expired by now.
func (s *Store) ProviderSession(ctx context.Context, sessionToken string, now time.Time) (ProviderSession, error) {
	p := ProviderSession{SessionToken: sessionToken}
	var exp int64
	err := s.db.QueryRowContext(ctx, `SELECT provider, sid, subject, expires_at, id_token, claims, tokens
		FROM provider_sessions WHERE session_token = $1 AND expires_at > $2`, sessionToken, unix(now)).
		Scan(&p.Provider, &p.SID, &p.Subject, &exp, &p.IDToken, &p.Claims, &p.Tokens)
	if err != nil {
		return ProviderSession{}, notFoundOr(err)
	}
	p.ExpiresAt = fromUnix(exp)
	return p, nil
}

// EndProviderSessions ends the local sessions of a provider session (by
// sid when given, else by subject), on every instance: in one
// transaction, their rows leave provider_sessions and their sessions
// become tombstones (see sessionStore). It returns how many there were.
func (s *Store) EndProviderSessions(ctx context.Context, provider, sid, subject string) (int, error) {
	return s.endProviderSessions(ctx, provider, sid, subject, nil)
}

// ErrReplayed: a back-channel logout token already acted upon.
var ErrReplayed = errors.New("store: logout token already used")

// LogoutToken is what a verified back-channel logout token orders.
type LogoutToken struct {
	Provider, Issuer, JTI string
	// SID names the provider session; without it, Subject names the
	// professional, all of whose sessions end.
	SID, Subject string
	// IssuedAt: sessions begun later are not the token's to end.
	IssuedAt time.Time
	// Expiry: the jti is remembered until then.
	Expiry time.Time
}

// EndByLogoutToken acts on a back-channel logout token once, on every
// instance: its jti is remembered until the token expires (a replay gets
// ErrReplayed, and ends nothing), and it ends only the local sessions
// begun no later than its iat, so that a token replayed or delayed cannot
// end a session opened after it was issued. It returns how many sessions
// ended.
func (s *Store) EndByLogoutToken(ctx context.Context, t LogoutToken) (int, error) {
	if t.JTI == "" {
		return 0, errors.New("store: logout token without jti")
	}
	issued := unix(t.IssuedAt)
	return s.endProviderSessions(ctx, t.Provider, t.SID, t.Subject, func(tx *sql.Tx) (*int64, error) {
		// A row past its expiry, not swept yet, no longer counts.
		res, err := tx.ExecContext(ctx, `INSERT INTO logout_tokens (issuer, jti, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (issuer, jti) DO UPDATE SET expires_at = excluded.expires_at WHERE logout_tokens.expires_at <= $4`,
			t.Issuer, t.JTI, unix(t.Expiry), unix(s.now()))
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n == 0 {
			return nil, ErrReplayed
		}
		return &issued, nil
	})
}

// endProviderSessions ends, in one transaction, the local sessions of a
// provider session. first, when given, runs first in the transaction and
// returns the instant after which sessions began are spared (nil: none).
func (s *Store) endProviderSessions(ctx context.Context, provider, sid, subject string, first func(*sql.Tx) (*int64, error)) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var startedBy *int64
	if first != nil {
		if startedBy, err = first(tx); err != nil {
			return 0, err
		}
	}
	// The sessions ended are those whose rows this statement took: no
	// session outlives its row.
	tokens, err := takeProviderSessions(ctx, tx, provider, sid, subject, startedBy)
	if err != nil {
		return 0, err
	}
	done := s.currentSessions().ending(tokens)
	ended, err := endSessions(ctx, tx, tokens)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		done(nil)
		return 0, err
	}
	done(ended)
	return len(tokens), nil
}

// takeProviderSessions deletes and returns, in tx, the local session
// tokens of a provider session: by sid when given, else by subject; when
// startedBy is set, only those begun no later than it.
func takeProviderSessions(ctx context.Context, tx *sql.Tx, provider, sid, subject string, startedBy *int64) ([]string, error) {
	query, arg := `DELETE FROM provider_sessions WHERE provider = $1 AND sid = $2`, sid
	if sid == "" {
		query, arg = `DELETE FROM provider_sessions WHERE provider = $1 AND subject = $2`, subject
	}
	if arg == "" {
		return nil, nil
	}
	args := []any{provider, arg}
	if startedBy != nil {
		query += ` AND started_at <= $3`
		args = append(args, *startedBy)
	}
	rows, err := tx.QueryContext(ctx, query+` RETURNING session_token`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ForgetSessionToken drops a local session from the map (local logout).
func (s *Store) ForgetSessionToken(ctx context.Context, sessionToken string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM provider_sessions WHERE session_token = $1`, sessionToken)
	return err
}

// ProviderTokens returns the sealed access and refresh tokens of a local
// session's sign-in, or nil (and no error) when it keeps none, has
// expired or is gone: the caller then asks for a new sign-in. It
// implements psc.TokenStore.
func (s *Store) ProviderTokens(ctx context.Context, sessionToken string) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT tokens FROM provider_sessions WHERE session_token = $1 AND expires_at > $2`,
		sessionToken, unix(s.now())).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return b, err
}

// SetProviderTokens replaces the sealed tokens of a local session's
// sign-in (a refresh rotated them); ErrNotFound when the session's record
// is gone (logged out meanwhile): the new tokens are not kept then.
func (s *Store) SetProviderTokens(ctx context.Context, sessionToken string, sealed []byte) error {
	res, err := s.db.ExecContext(ctx, `UPDATE provider_sessions SET tokens = $2 WHERE session_token = $1`, sessionToken, sealed)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	return err
}

// DropProviderTokens forgets the tokens of a local session's sign-in
// (refused by the provider); the record stays. Absent is fine.
func (s *Store) DropProviderTokens(ctx context.Context, sessionToken string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE provider_sessions SET tokens = NULL WHERE session_token = $1`, sessionToken)
	return err
}
