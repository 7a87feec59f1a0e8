//go:build no_sqlite

package store

// Built with -tags no_sqlite: no SQLite driver (sqlite.go).
const withSQLite = false

func sqliteConstraint(error) error { return nil }
