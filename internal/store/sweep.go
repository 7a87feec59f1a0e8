package store

import (
	"context"
	"time"
)

// rateLimitRetention is how long a finished rate-limit window is kept:
// far longer than any window the portal uses.
const rateLimitRetention = 24 * time.Hour

// Sweep deletes what has expired: abandoned sign-ins, provider sessions
// past their local session's lifetime, and rate-limit windows older than
// a day. It returns how many rows went.
func (s *Store) Sweep(ctx context.Context, now time.Time) (int64, error) {
	total, err := s.DeleteExpiredPendingLogins(ctx, now)
	if err != nil {
		return total, err
	}
	for _, q := range []struct {
		sql string
		arg int64
	}{
		{`DELETE FROM provider_sessions WHERE expires_at <= $1`, unix(now)},
		{`DELETE FROM rate_limits WHERE window_start < $1`, unix(now.Add(-rateLimitRetention))},
	} {
		res, err := s.db.ExecContext(ctx, q.sql, q.arg)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
