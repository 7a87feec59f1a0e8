package store

import (
	"context"
	"sync"
	"time"
)

// WithLock runs fn while holding the lock named key: across instances on
// PostgreSQL (a session advisory lock on a dedicated connection), within
// the process on SQLite (one process owns a SQLite file). Waiting honours
// ctx; the lock is released when fn returns, errs or panics.
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

// lockPoll is how often a waiting instance retries a taken advisory lock.
const lockPoll = 20 * time.Millisecond

func (s *Store) withAdvisoryLock(ctx context.Context, key string, fn func(ctx context.Context) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for {
		var got bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, key).Scan(&got); err != nil {
			return err
		}
		if got {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(lockPoll):
		}
	}
	defer func() {
		// A fresh context: the lock must go even if ctx was cancelled.
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = conn.ExecContext(rctx, `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, key)
	}()
	return fn(ctx)
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
