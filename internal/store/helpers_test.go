package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/testdb"
)

// backend is a database engine the suite runs on; fresh makes a new
// database of it for each test.
type backend struct {
	name  string
	fresh func(t testing.TB) database // nil: not configured
}

// backends is SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
func backends() []backend {
	sqlite := backend{name: "sqlite", fresh: func(t testing.TB) database {
		return database{dsn: filepath.Join(t.TempDir(), "infopatient.db")}
	}}
	postgres := backend{name: "postgres"}
	if os.Getenv("TEST_DATABASE_URL") != "" {
		postgres.fresh = func(t testing.TB) database { return database{dsn: testdb.URL(t)} }
	}
	return []backend{sqlite, postgres}
}

// database is one fresh database; every Store opened on it shares it, as
// instances of the portal do.
type database struct{ dsn string }

// open returns a migrated Store, closed when the test ends.
func (d database) open(t testing.TB, opts ...store.Option) *store.Store {
	t.Helper()
	s := d.openUnmigrated(t, opts...)
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// openUnmigrated returns a Store as opened, closed when the test ends.
func (d database) openUnmigrated(t testing.TB, opts ...store.Option) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), d.dsn, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// mustErr fails unless err is target.
func mustErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got %v, want %v", what, err, target)
	}
}

// suiteCase is one test of a suite: it runs on a database of its own.
type suiteCase = struct {
	name string
	run  func(t *testing.T, db database)
}

// runSuite runs each case on a fresh database of every backend, the
// cases in parallel; a backend not configured is skipped.
func runSuite(t *testing.T, cases []suiteCase) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			if b.fresh == nil {
				t.Skip("TEST_DATABASE_URL is not set")
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.run(t, b.fresh(t))
				})
			}
		})
	}
}
