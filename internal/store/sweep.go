package store

import (
	"context"
	"time"
)

// Sweep deletes what has expired: abandoned sign-ins, provider sessions
// past their local session's lifetime, and rate-limit windows older than
// a day. It returns how many rows went.
func (s *Store) Sweep(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	for _, q := range []struct {
		sql string
		arg int64
	}{
		{`DELETE FROM pending_logins WHERE expires_at <= $1`, unix(now)},
		{`DELETE FROM provider_sessions WHERE expires_at <= $1`, unix(now)},
		{`DELETE FROM rate_limits WHERE window_start < $1`, unix(now.Add(-24 * time.Hour))},
	} {
		res, err := s.db.ExecContext(ctx, q.sql, q.arg)
		if err != nil {
			return total, err
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}
