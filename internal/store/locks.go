package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"sync"
	"time"
)

// WithLock runs fn while holding the lock named key: across instances on
// PostgreSQL (a session advisory lock on a dedicated connection), within
// the process on SQLite (one process owns a SQLite file). Waiting honours
// ctx; the lock is released when fn returns, errs or panics. fn may use
// the store.
//
// On PostgreSQL the lock is keyed by the schema too: deployments sharing a
// database in schemas of their own never wait for each other.
func (s *Store) WithLock(ctx context.Context, key string, fn func(ctx context.Context) error) error {
	if s.dialect == Postgres {
		return s.withAdvisoryLock(ctx, key, fn)
	}
	unlock, err := s.locks.lock(ctx, key)
	if err != nil {
		return err
	}
	defer unlock()
	return fn(ctx)
}

// advisoryKey turns the lock's name ($1) into PostgreSQL's 64-bit
// advisory lock key, within the current schema.
const advisoryKey = `hashtextextended(COALESCE(current_schema(), '') || ':' || $1, 0)`

// lockPoll is how often a waiting instance retries a taken advisory lock.
const lockPoll = 20 * time.Millisecond

// withAdvisoryLock holds a session advisory lock on a connection of its
// own for fn's duration. Waiters poll pg_try_advisory_lock and hand their
// connection back to the pool between attempts: were they to keep it, a
// crowd of waiters could take every connection and leave the holder's fn
// none to work with.
func (s *Store) withAdvisoryLock(ctx context.Context, key string, fn func(ctx context.Context) error) error {
	conn, err := s.acquireAdvisoryLock(ctx, key)
	if err != nil {
		return err
	}
	defer s.releaseAdvisoryLock(conn, key)
	return fn(ctx)
}

func (s *Store) acquireAdvisoryLock(ctx context.Context, key string) (*sql.Conn, error) {
	for {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return nil, err
		}
		var got bool
		err = conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(`+advisoryKey+`)`, key).Scan(&got)
		if err == nil && got {
			return conn, nil
		}
		_ = conn.Close()
		if err != nil {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// releaseAdvisoryLock unlocks with a context of its own, since the
// caller's may be cancelled by now. A connection that could not be
// unlocked is discarded rather than pooled: closing it is what frees the
// lock then.
func (s *Store) releaseAdvisoryLock(conn *sql.Conn, key string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var released bool
	err := conn.QueryRowContext(ctx, `SELECT pg_advisory_unlock(`+advisoryKey+`)`, key).Scan(&released)
	if err != nil || !released {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	_ = conn.Close()
}

// keyedMutex is a set of named mutexes that waiters can abandon.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]chan struct{}
}

func newKeyedMutex() *keyedMutex { return &keyedMutex{locks: map[string]chan struct{}{}} }

func (k *keyedMutex) lock(ctx context.Context, key string) (unlock func(), err error) {
	for {
		k.mu.Lock()
		held, busy := k.locks[key]
		if !busy {
			ch := make(chan struct{})
			k.locks[key] = ch
			k.mu.Unlock()
			return func() {
				k.mu.Lock()
				delete(k.locks, key)
				k.mu.Unlock()
				close(ch)
			}, nil
		}
		k.mu.Unlock()
		select {
		case <-held:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
