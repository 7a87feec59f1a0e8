//go:build no_postgres

package store

// Built with -tags no_postgres: no PostgreSQL driver (postgres.go).
const withPostgres = false

func postgresConstraint(error) error { return nil }

func postgresNotifier(any) (notifier, bool) { return nil, false }
