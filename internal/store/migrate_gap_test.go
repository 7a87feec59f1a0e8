package store_test

import (
	"context"
	"testing"
)

// A migration numbered below the latest applied one, as when branches
// land out of order, is still applied.
func testMigrationBelowLatest(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	// Forget 0007 as if it had never been applied, and record a later one.
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
