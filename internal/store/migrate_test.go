package store_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/infopatient/infopatient/internal/store"
)

func testMigrations(t *testing.T, db database) {
	s := db.openUnmigrated(t)
	ctx := context.Background()
	cur, latest, err := s.SchemaVersion(ctx)
	if err != nil || cur != 0 || latest < 1 {
		t.Fatalf("never migrated: version %d of %d, %v", cur, latest, err)
	}
	known := migrationFiles(t, s)
	n, err := s.Migrate(ctx)
	if err != nil || n != known {
		t.Fatalf("first Migrate applied %d of %d: %v", n, known, err)
	}
	if cur, _, err := s.SchemaVersion(ctx); err != nil || cur != latest {
		t.Fatalf("after Migrate: version %d of %d, %v", cur, latest, err)
	}
	if n, err := s.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("second Migrate applied %d: %v", n, err)
	}
	var recorded int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&recorded); err != nil || recorded != known {
		t.Errorf("schema_migrations holds %d rows, want %d (%v)", recorded, known, err)
	}
	// The tables scs expects are there.
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM sessions WHERE token = $1`, "none"); err != nil {
		t.Errorf("sessions table: %v", err)
	}
}

// Instances started together on one database migrate it once between
// them, without error.
func testConcurrentMigrations(t *testing.T, db database) {
	ctx := context.Background()
	const instances = 8
	stores := make([]*store.Store, instances)
	for i := range stores {
		stores[i] = db.openUnmigrated(t)
	}
	var wg sync.WaitGroup
	applied := make([]int, instances)
	for i, s := range stores {
		wg.Go(func() {
			n, err := s.Migrate(ctx)
			if err != nil {
				t.Errorf("instance %d: %v", i, err)
			}
			applied[i] = n
		})
	}
	wg.Wait()
	total := 0
	for _, n := range applied {
		total += n
	}
	if known := migrationFiles(t, stores[0]); total != known {
		t.Errorf("the instances applied %d migrations between them, want %d", total, known)
	}
}

// A migration numbered below the latest applied one, as when branches
// land out of order, is still applied.
func testMigrationBelowLatest(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	// Forget 0007 as if it had never been applied, while 0002 stays the latest
	// but one: then pretend a later one was applied by recording 9999.
	for _, q := range []string{`DROP TABLE security_events`, `DROP TABLE passkeys`, `DROP TABLE passkey_users`,
		`DELETE FROM schema_migrations WHERE version = 7`,
		`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_later.sql', 0)`} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	if n, err := s.Migrate(ctx); err != nil || n != 1 {
		t.Fatalf("Migrate applied %d: %v", n, err)
	}
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM passkeys`); err != nil {
		t.Errorf("0007 not applied again: %v", err)
	}
}

// migrationFiles counts the migrations of s's dialect.
func migrationFiles(t *testing.T, s *store.Store) int {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("migrations", s.Dialect()))
	if err != nil || len(entries) == 0 {
		t.Fatalf("migrations: %d %v", len(entries), err)
	}
	return len(entries)
}
