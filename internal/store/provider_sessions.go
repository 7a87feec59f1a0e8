package store

import (
	"context"
	"time"
)

// RecordProviderSession remembers that a local session belongs to the
// provider session (sid) of subject.
func (s *Store) RecordProviderSession(ctx context.Context, provider, sid, subject, sessionToken string, expiresAt time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO provider_sessions (provider, sid, subject, session_token, expires_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_token) DO UPDATE SET
		provider = excluded.provider, sid = excluded.sid, subject = excluded.subject, expires_at = excluded.expires_at`,
		provider, sid, subject, sessionToken, unix(expiresAt))
	return err
}

// TakeProviderSessions deletes and returns the local session tokens of a
// provider session: by sid when given, else by subject.
func (s *Store) TakeProviderSessions(ctx context.Context, provider, sid, subject string) ([]string, error) {
	query, arg := `DELETE FROM provider_sessions WHERE provider = $1 AND sid = $2 RETURNING session_token`, sid
	if sid == "" {
		query, arg = `DELETE FROM provider_sessions WHERE provider = $1 AND subject = $2 RETURNING session_token`, subject
	}
	if arg == "" {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, query, provider, arg)
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
