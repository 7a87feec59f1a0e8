package store

import (
	"io/fs"
	"slices"
	"testing"
)

// Both dialects know the same migrations, so that a version means the
// same schema on either.
func TestMigrationsMatchAcrossDialects(t *testing.T) {
	names := func(dialect string) []string {
		entries, err := fs.ReadDir(migrationFiles, "migrations/"+dialect)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	sqlite, postgres := names(SQLite), names(Postgres)
	if len(sqlite) == 0 || !slices.Equal(sqlite, postgres) {
		t.Fatalf("sqlite %v, postgres %v", sqlite, postgres)
	}
	for _, dialect := range []string{SQLite, Postgres} {
		ms, err := (&Store{dialect: dialect}).migrations()
		if err != nil {
			t.Fatal(err)
		}
		// Versions rise; a gap is a number reserved by a branch not merged
		// yet (each branch writes only the number it was given).
		for i, m := range ms {
			if m.version < i+1 || (i > 0 && m.version <= ms[i-1].version) {
				t.Errorf("%s: %s is version %d after %d migrations", dialect, m.name, m.version, i)
			}
		}
	}
}
