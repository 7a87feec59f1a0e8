package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func (s *Store) migrations() ([]migration, error) {
	dir := "migrations/" + s.dialect
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("store: migration %s: name it NNNN_what.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("store: migrations %s and %s share a version", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// migrationLockKey serialises Migrate across instances on PostgreSQL.
const migrationLockKey = "infopatient:migrate"

// Migrate applies the pending migrations, each in its own transaction, and
// returns how many it applied. Instances starting together take turns: on
// PostgreSQL under an advisory lock; on SQLite each transaction takes the
// write lock at BEGIN. Either way a migration re-checks, inside its
// transaction, that no one applied it meanwhile.
func (s *Store) Migrate(ctx context.Context) (applied int, err error) {
	err = s.WithLock(ctx, migrationLockKey, func(ctx context.Context) error {
		if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
			return err
		}
		ms, err := s.migrations()
		if err != nil {
			return err
		}
		// Every migration not yet recorded is applied, not only those above
		// the latest: branches add numbers out of order, and a database
		// migrated to 0007 must still get a 0003 that lands later.
		done, err := s.appliedVersions(ctx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if done[m.version] {
				continue
			}
			done, err := s.apply(ctx, m)
			if err != nil {
				return fmt.Errorf("store: migration %s: %w", m.name, err)
			}
			if done {
				applied++
			}
		}
		return nil
	})
	return applied, err
}

// apply runs m and records it in one transaction; done is false when
// another instance had applied it first.
func (s *Store) apply(ctx context.Context, m migration) (done bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var already int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&already); err != nil {
		return false, err
	}
	if already > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.version, m.name, s.now().Unix()); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// appliedVersions are the migrations recorded (none on a database never
// migrated).
func (s *Store) appliedVersions(ctx context.Context) (map[int]bool, error) {
	current, err := s.currentVersion(ctx)
	if err != nil || current == 0 {
		return map[int]bool{}, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}

// currentVersion is the latest applied migration, 0 on a database never
// migrated (no schema_migrations table yet).
func (s *Store) currentVersion(ctx context.Context) (int, error) {
	exists := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if s.dialect == Postgres {
		exists = `SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'`
	}
	var n int
	if err := s.db.QueryRowContext(ctx, exists).Scan(&n); err != nil || n == 0 {
		return 0, err
	}
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// SchemaVersion returns the applied and the latest known versions.
func (s *Store) SchemaVersion(ctx context.Context) (current, latest int, err error) {
	ms, err := s.migrations()
	if err != nil {
		return 0, 0, err
	}
	if len(ms) > 0 {
		latest = ms[len(ms)-1].version
	}
	current, err = s.currentVersion(ctx)
	return current, latest, err
}
