//go:build !no_postgres

package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// PostgreSQL's driver is pgx. An executable built with -tags no_postgres
// leaves it out (postgres_none.go): one that runs on SQLite then keeps
// its code and start-up off its resident memory (docs/deploy.md).
const withPostgres = true

// postgresConstraint maps PostgreSQL's unique and foreign key violations;
// nil when err is neither.
func postgresConstraint(err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return nil
	}
	switch pgErr.Code {
	case "23505": // unique_violation
		return fmt.Errorf("%w: %s", ErrConflict, pgErr.ConstraintName)
	case "23503": // foreign_key_violation
		return fmt.Errorf("%w: %s", ErrNotFound, pgErr.ConstraintName)
	}
	return nil
}

// postgresNotifier is the pgx connection under a database/sql one, to
// LISTEN on; false for any other driver's.
func postgresNotifier(driverConn any) (notifier, bool) {
	sc, ok := driverConn.(*stdlib.Conn)
	if !ok {
		return nil, false
	}
	return pgxNotifier{sc.Conn()}, true
}

type pgxNotifier struct{ conn *pgx.Conn }

func (n pgxNotifier) exec(ctx context.Context, sql string, args ...any) error {
	_, err := n.conn.Exec(ctx, sql, args...)
	return err
}

func (n pgxNotifier) wait(ctx context.Context) (string, error) {
	notification, err := n.conn.WaitForNotification(ctx)
	if err != nil {
		return "", err
	}
	return notification.Payload, nil
}
