package store

import (
	"context"
	"time"
)

// RecordSignInFailure records one failed sign-in under key at now, and
// forgets key's failures older than window (the sliding window).
func (s *Store) RecordSignInFailure(ctx context.Context, key string, window time.Duration, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM signin_failures WHERE key = $1 AND at <= $2`, key, now.Add(-window).UnixMilli()); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO signin_failures (key, at) VALUES ($1, $2)`, key, now.UnixMilli())
	return err
}

// SignInFailures counts key's failures in the window ending at now, and
// tells when the last one was (zero when none).
func (s *Store) SignInFailures(ctx context.Context, key string, window time.Duration, now time.Time) (int, time.Time, error) {
	var n int
	var last *int64
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(at) FROM signin_failures WHERE key = $1 AND at > $2`,
		key, now.Add(-window).UnixMilli()).Scan(&n, &last)
	if err != nil || last == nil {
		return n, time.Time{}, err
	}
	return n, time.UnixMilli(*last), nil
}

// ClearSignInFailures forgets key's failures (after a successful sign-in).
func (s *Store) ClearSignInFailures(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM signin_failures WHERE key = $1`, key)
	return err
}
