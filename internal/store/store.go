// Package store is InfoPatient's persistence: SQLite by default
// (modernc.org/sqlite, no cgo), PostgreSQL (pgx) for several instances.
// One implementation over database/sql serves both: the SQL is shared
// wherever the dialects agree ($n placeholders, ON CONFLICT, RETURNING),
// and the migrations are kept per dialect. What needs a driver's own Go
// API is in its file (sqlite.go, postgres.go), so that an executable for
// one database can leave the other's driver out (-tags no_postgres or
// no_sqlite).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
)

var (
	// ErrNotFound: no such row (or an expired one).
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a unique value is taken (login, linked identity).
	ErrConflict = errors.New("store: conflict")
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	dialect string
	locks   *keyedMutex // SQLite's WithLock: one process
	now     func() time.Time

	sessionsMu sync.Mutex // guards sessions and closers
	sessions   *sessionStore
	noCache    bool     // WithoutSessionCache
	closers    []func() // session cleanup, prepared statements
}

// Option tunes Open and New.
type Option func(*Store)

// WithClock dates what the store writes (creation, update and lookup
// instants left zero) with now instead of time.Now: tests move it.
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

func newStore(db *sql.DB, dialect string, opts []Option) *Store {
	s := &Store{db: db, dialect: dialect, locks: newKeyedMutex(), now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Open connects to dsn: a postgres:// or postgresql:// URL, or else the
// path of a SQLite file (its directory is created).
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	if dsn == "" {
		return nil, errors.New("store: no database: give a SQLite file path or a postgres:// URL")
	}
	s := newStore(nil, "", opts)
	var err error
	if isPostgres(dsn) {
		if !withPostgres {
			return nil, errors.New("store: this executable was built without PostgreSQL (-tags no_postgres): give the path of a SQLite file, or use a build with PostgreSQL")
		}
		s.dialect = Postgres
		if s.db, err = sql.Open("pgx", dsn); err != nil {
			return nil, err
		}
		// Several instances share the server: each keeps a bounded pool,
		// and connections are renewed so that a fail-over is followed.
		s.db.SetMaxOpenConns(20)
		s.db.SetMaxIdleConns(10)
		s.db.SetConnMaxIdleTime(5 * time.Minute)
		s.db.SetConnMaxLifetime(time.Hour)
	} else {
		if !withSQLite {
			return nil, errors.New("store: this executable was built without SQLite (-tags no_sqlite): set INFOPATIENT_DATABASE_URL to a postgres:// URL, or use a build with SQLite")
		}
		s.dialect = SQLite
		if err := os.MkdirAll(filepath.Dir(dsn), 0o750); err != nil {
			return nil, fmt.Errorf("store: database directory: %w", err)
		}
		if err := privateFile(dsn); err != nil {
			return nil, fmt.Errorf("store: database file: %w", err)
		}
		if s.db, err = sql.Open("sqlite", "file:"+dsn+sqliteOptions); err != nil {
			return nil, err
		}
		// A few connections read side by side (WAL); SQLite itself
		// serialises the writers, busy_timeout making them queue.
		s.db.SetMaxOpenConns(8)
		s.db.SetMaxIdleConns(8)
		s.db.SetConnMaxIdleTime(0)
	}
	if err := s.db.PingContext(ctx); err != nil {
		_ = s.db.Close()
		return nil, fmt.Errorf("store: %s: %w", s.dialect, err)
	}
	return s, nil
}

// sqliteOptions are set on every SQLite connection. WAL lets readers run
// beside the writer; busy_timeout makes a second writer wait instead of
// failing; _txlock=immediate takes the write lock at BEGIN, so a
// transaction never fails upgrading from reader to writer;
// synchronous(FULL) makes every commit durable, which the audit trail
// promises (NORMAL may lose the last commits on power loss).
const sqliteOptions = "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)" +
	"&_pragma=synchronous(FULL)&_txlock=immediate"

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// New wraps an already open pool of the given dialect (SQLite or
// Postgres); Open is the usual way in. Tests use it to observe the pool.
func New(db *sql.DB, dialect string, opts ...Option) *Store {
	return newStore(db, dialect, opts)
}

// Close stops the session cleanup and closes the database.
func (s *Store) Close() error {
	s.sessionsMu.Lock()
	closers := s.closers
	s.closers = nil
	s.sessionsMu.Unlock()
	for _, c := range closers {
		c()
	}
	return s.db.Close()
}

// Dialect is SQLite or Postgres.
func (s *Store) Dialect() string { return s.dialect }

// DB is the underlying pool (metrics read its statistics).
func (s *Store) DB() *sql.DB { return s.db }

// Ping tells whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// WithoutSessionCache makes every session load a query (see
// sessionCache): tests that count queries, and comparisons.
func WithoutSessionCache() Option {
	return func(s *Store) { s.noCache = true }
}

// SessionStore is the store of scs's sessions over the same pool (see
// sessionStore: an ended session stays ended), with its cache (see
// sessionCache); its table is created by the migrations. Expired
// sessions are swept every five minutes until Close.
func (s *Store) SessionStore() scs.Store {
	s.sessionsMu.Lock()
	defer s.sessionsMu.Unlock()
	if s.sessions == nil {
		st := newSessionStore(s.db, s.dialect, sessionCleanupInterval, !s.noCache)
		s.sessions = st
		s.closers = append(s.closers, st.close)
	}
	return s.sessions
}

// SessionCacheHits is how many session loads the cache answered without
// a query (tests and benchmarks read it).
func (s *Store) SessionCacheHits() uint64 {
	if st := s.currentSessions(); st != nil && st.cache != nil {
		return st.cache.hits.Load()
	}
	return 0
}

// SessionCacheServing tells whether the session cache answers loads: on
// PostgreSQL, once its listener is connected.
func (s *Store) SessionCacheServing() bool {
	st := s.currentSessions()
	return st != nil && st.cache != nil && st.cache.usable.Load()
}

// currentSessions is the session store if one was made (nil otherwise):
// what ends sessions outside it tells it.
func (s *Store) currentSessions() *sessionStore {
	s.sessionsMu.Lock()
	defer s.sessionsMu.Unlock()
	return s.sessions
}

const sessionCleanupInterval = 5 * time.Minute

// constraintErr maps a unique violation to ErrConflict and a foreign key
// to a missing row (an unknown account) to ErrNotFound, as each driver
// reports them.
func constraintErr(err error) error {
	if err == nil {
		return nil
	}
	if mapped := postgresConstraint(err); mapped != nil {
		return mapped
	}
	if mapped := sqliteConstraint(err); mapped != nil {
		return mapped
	}
	return err
}

// notFoundOr maps sql.ErrNoRows to ErrNotFound.
func notFoundOr(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// unix and fromUnix store instants as integer seconds: one column type
// that both drivers read back the same way. One column differs: the
// audit trail's lookups.at is in milliseconds (see RecordLookup).
func unix(t time.Time) int64 { return t.Unix() }

func fromUnix(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// date and fromDate store calendar dates as 'YYYY-MM-DD' (” for none).
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func fromDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// privateFile creates the SQLite file readable by its owner only (0600;
// SQLite gives its -wal and -shm files the same mode), before SQLite would
// create it world-readable; an existing file is narrowed to 0600. It holds
// patients' lookups and sealed tokens.
func privateFile(path string) error {
	if path == ":memory:" {
		return nil // no file: `infopatient check` counts migrations in memory
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && info.Mode().Perm()&0o077 != 0 {
		err = os.Chmod(path, 0o600)
	}
	return err
}
