package store

import (
	"context"
	"time"
)

// Lookup is one patient lookup in the audit trail.
type Lookup struct {
	ID         int64
	AccountID  int64
	At         time.Time
	Kind       string // "nir" or "card"
	Identifier string
	Outcome    string
}

// RecordLookup appends to the audit trail. It returns once the row is
// committed: the caller shows nothing before that. An unknown account is
// ErrNotFound.
func (s *Store) RecordLookup(ctx context.Context, l Lookup) error {
	if l.At.IsZero() {
		l.At = s.now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO lookups (account_id, at, kind, identifier, outcome) VALUES ($1, $2, $3, $4, $5)`,
		l.AccountID, l.At.UnixMilli(), l.Kind, l.Identifier, l.Outcome)
	return constraintErr(err)
}

// RecentLookups returns an account's latest lookups, newest first, at
// most limit of them (none when limit is not positive).
func (s *Store) RecentLookups(ctx context.Context, accountID int64, limit int) ([]Lookup, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, account_id, at, kind, identifier, outcome FROM lookups
		WHERE account_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, accountID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Lookup
	for rows.Next() {
		var l Lookup
		var at int64
		if err := rows.Scan(&l.ID, &l.AccountID, &at, &l.Kind, &l.Identifier, &l.Outcome); err != nil {
			return nil, err
		}
		l.At = time.UnixMilli(at).UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}
