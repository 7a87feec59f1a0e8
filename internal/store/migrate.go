package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
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
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("store: migration %s: name it NNNN_what.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrationLockKey serialises Migrate across instances on PostgreSQL.
const migrationLockKey = "infopatient:migrate"

// Migrate applies the pending migrations, each in its own transaction, and
// returns how many it applied. Instances starting together on one
// PostgreSQL take turns.
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
		current, err := s.currentVersion(ctx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.version <= current {
				continue
			}
			if err := s.apply(ctx, m); err != nil {
				return fmt.Errorf("store: migration %s: %w", m.name, err)
			}
			applied++
		}
		return nil
	})
	return applied, err
}

func (s *Store) apply(ctx context.Context, m migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.version, m.name, time.Now().Unix()); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) currentVersion(ctx context.Context) (int, error) {
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
