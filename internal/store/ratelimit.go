package store

import (
	"context"
	"time"
)

// HitRateLimit counts one attempt for key in the fixed window that now
// falls in, and returns the window's count. One statement, so instances
// sharing PostgreSQL count together.
func (s *Store) HitRateLimit(ctx context.Context, key string, window time.Duration, now time.Time) (int, error) {
	start := now.Truncate(window).Unix()
	var n int
	err := s.db.QueryRowContext(ctx, `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
			window_start = excluded.window_start
		RETURNING count`, key, start).Scan(&n)
	return n, err
}

// ResetRateLimit forgets key's attempts (after a successful sign-in).
func (s *Store) ResetRateLimit(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM rate_limits WHERE key = $1`, key)
	return err
}
