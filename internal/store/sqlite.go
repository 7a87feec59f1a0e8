//go:build !no_sqlite

package store

import (
	"errors"

	"modernc.org/sqlite" // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite's driver is modernc.org/sqlite. An executable built with
// -tags no_sqlite leaves it out (sqlite_none.go): one that runs on
// PostgreSQL then keeps SQLite's engine off its resident memory
// (docs/deploy.md).
const withSQLite = true

// sqliteConstraint maps SQLite's unique, primary key and foreign key
// violations; nil when err is none of them.
func sqliteConstraint(err error) error {
	var sqErr *sqlite.Error
	if !errors.As(err, &sqErr) {
		return nil
	}
	switch sqErr.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return ErrConflict
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return ErrNotFound
	}
	return nil
}
