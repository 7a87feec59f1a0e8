package store

import (
	"context"
	"database/sql"
	"time"
)

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// inTx runs fn in a transaction, committed when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// auditTx appends to the audit trail (the lookups table of RecordLookup)
// inside tx, so that the change and its record commit together.
func auditTx(ctx context.Context, tx *sql.Tx, accountID int64, at time.Time, kind, identifier, outcome string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO lookups (account_id, at, kind, identifier, outcome) VALUES ($1, $2, $3, $4, $5)`,
		accountID, at.UnixMilli(), kind, identifier, outcome)
	return constraintErr(err)
}
