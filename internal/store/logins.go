package store

import (
	"context"
	"time"
)

// PendingLogin is a sign-in in flight at an authority.
type PendingLogin struct {
	State        string
	Authority    string // "psc" or "hin"
	Browser      string // random id kept in the browser's session
	Nonce        string
	CodeVerifier string
	ReturnTo     string
	ExpiresAt    time.Time
}

// SavePendingLogin stores a sign-in in flight.
func (s *Store) SavePendingLogin(ctx context.Context, p PendingLogin) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO pending_logins (state, authority, browser, nonce, code_verifier, return_to, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		p.State, p.Authority, p.Browser, p.Nonce, p.CodeVerifier, p.ReturnTo, unix(p.ExpiresAt))
	return constraintErr(err)
}

// TakePendingLogin deletes and returns the sign-in of state in one
// statement, so that a state works once even when two callbacks race.
// Unknown, used and expired states are ErrNotFound.
func (s *Store) TakePendingLogin(ctx context.Context, state string, now time.Time) (PendingLogin, error) {
	var p PendingLogin
	var exp int64
	err := s.db.QueryRowContext(ctx, `DELETE FROM pending_logins WHERE state = $1
		RETURNING state, authority, browser, nonce, code_verifier, return_to, expires_at`, state).Scan(
		&p.State, &p.Authority, &p.Browser, &p.Nonce, &p.CodeVerifier, &p.ReturnTo, &exp)
	if err != nil {
		return PendingLogin{}, notFoundOr(err)
	}
	p.ExpiresAt = fromUnix(exp)
	if !now.Before(p.ExpiresAt) {
		return PendingLogin{}, ErrNotFound
	}
	return p, nil
}

// DeleteExpiredPendingLogins deletes the sign-ins abandoned before now
// and returns how many went.
func (s *Store) DeleteExpiredPendingLogins(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM pending_logins WHERE expires_at <= $1`, unix(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
