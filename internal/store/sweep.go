package store

import (
	"context"
	"time"
)

// rateLimitRetention is how long a finished rate-limit window is kept:
// far longer than any window the portal uses.
const rateLimitRetention = 24 * time.Hour

// TokenRetention is how long a sealed token row is kept after its last
// write: HIN's refresh-token lifetime (2 592 000 s). Older, its refresh
// token is dead and its access token long expired, so the row can serve
// no one — a professional whose session ended without a logout, say.
const TokenRetention = 30 * 24 * time.Hour

// Sweep deletes what has expired: abandoned sign-ins, provider sessions
// past their local session's lifetime, rate-limit windows older than a
// day, back-channel logout tokens past their expiry, and token rows not
// written for TokenRetention. It returns how many rows went.
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
		{`DELETE FROM signin_failures WHERE at < $1`, now.Add(-rateLimitRetention).UnixMilli()},
		{`DELETE FROM tokens WHERE updated_at < $1`, unix(now.Add(-TokenRetention))},
		{`DELETE FROM logout_tokens WHERE expires_at <= $1`, unix(now)},
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
