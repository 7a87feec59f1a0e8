package store_test

import (
	"context"
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
	count := store.MigrationCount(s)
	n, err := s.Migrate(ctx)
	if err != nil || n != count {
		t.Fatalf("first Migrate applied %d of %d: %v", n, count, err)
	}
	if cur, _, err := s.SchemaVersion(ctx); err != nil || cur != latest {
		t.Fatalf("after Migrate: version %d of %d, %v", cur, latest, err)
	}
	if n, err := s.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("second Migrate applied %d: %v", n, err)
	}
	var recorded int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&recorded); err != nil || recorded != count {
		t.Errorf("schema_migrations holds %d rows, want %d (%v)", recorded, count, err)
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
	if count := store.MigrationCount(stores[0]); total != count {
		t.Errorf("the instances applied %d migrations between them, want %d", total, count)
	}
}
