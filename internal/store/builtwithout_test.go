//go:build no_postgres || no_sqlite

package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// An executable built without one database's driver says so, and which
// way to go, when it is given that database; CI runs this under each tag.
func TestBuiltWithoutADatabase(t *testing.T) {
	dsn, tag := "postgres://postgres@127.0.0.1:5432/test", "no_postgres"
	if withPostgres {
		dsn, tag = filepath.Join(t.TempDir(), "infopatient.db"), "no_sqlite"
	}
	_, err := Open(context.Background(), dsn)
	if err == nil || !strings.Contains(err.Error(), "built without") || !strings.Contains(err.Error(), "-tags "+tag) {
		t.Fatalf("Open(%q) = %v, want the build's missing database named", dsn, err)
	}
}
