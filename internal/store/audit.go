package store

import (
	"context"
	"database/sql"
	"errors"
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
	// PatientName is the name the page showed ("" when it showed none,
	// and in rows written before migration 0008).
	PatientName string
	// Shown is the outcome as the page told it, when it differs from
	// Outcome's wording (a valid card with suspended benefits:
	// "suspended"); "" otherwise and in older rows.
	Shown string
	// ReopenedFrom is the lookup this one repeated from "Historique" (0:
	// a lookup typed in).
	ReopenedFrom int64
}

// lookupColumns are the columns scanLookup reads, in its order.
const lookupColumns = `id, account_id, at, kind, identifier, outcome, patient_name, shown, COALESCE(reopened_from, 0)`

// RecordLookup appends to the audit trail. It returns once the row is
// committed: the caller shows nothing before that. An unknown account is
// ErrNotFound.
func (s *Store) RecordLookup(ctx context.Context, l Lookup) error {
	_, err := s.AddLookup(ctx, l)
	return err
}

// AddLookup is RecordLookup returning the new row's id, by which the
// lookup's page is addressed (GET /patient/{id}).
func (s *Store) AddLookup(ctx context.Context, l Lookup) (int64, error) {
	if l.At.IsZero() {
		l.At = s.now()
	}
	var reopened sql.NullInt64
	if l.ReopenedFrom != 0 {
		reopened = sql.NullInt64{Int64: l.ReopenedFrom, Valid: true}
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO lookups (account_id, at, kind, identifier, outcome, patient_name, shown, reopened_from)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		l.AccountID, l.At.UnixMilli(), l.Kind, l.Identifier, l.Outcome, l.PatientName, l.Shown, reopened).Scan(&id)
	return id, constraintErr(err)
}

// LookupOf is one of an account's own lookups; another account's, or none,
// is ErrNotFound.
func (s *Store) LookupOf(ctx context.Context, accountID, id int64) (Lookup, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+lookupColumns+` FROM lookups WHERE id = $1 AND account_id = $2`, id, accountID)
	l, err := scanLookup(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Lookup{}, ErrNotFound
	}
	return l, err
}

// RecentLookups returns an account's latest lookups, newest first, at
// most limit of them (none when limit is not positive).
func (s *Store) RecentLookups(ctx context.Context, accountID int64, limit int) ([]Lookup, error) {
	return s.LookupPage(ctx, accountID, 0, limit)
}

// LookupPage returns an account's lookups newest first, skipping the
// first offset of them, at most limit (none when limit is not positive).
func (s *Store) LookupPage(ctx context.Context, accountID int64, offset, limit int) ([]Lookup, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+lookupColumns+` FROM lookups
		WHERE account_id = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3`, accountID, limit, max(offset, 0))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Lookup
	for rows.Next() {
		l, err := scanLookup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func scanLookup(row interface{ Scan(...any) error }) (Lookup, error) {
	var l Lookup
	var at int64
	if err := row.Scan(&l.ID, &l.AccountID, &at, &l.Kind, &l.Identifier, &l.Outcome, &l.PatientName, &l.Shown, &l.ReopenedFrom); err != nil {
		return Lookup{}, err
	}
	l.At = time.UnixMilli(at).UTC()
	return l, nil
}
