package store_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

// instances returns two Stores sharing db: two instances on PostgreSQL.
// SQLite's lock holds within one process only (one process owns the
// file), so there both are the same Store.
func instances(t *testing.T, db database) (*store.Store, *store.Store) {
	s1 := db.open(t)
	if s1.Dialect() == store.SQLite {
		return s1, s1
	}
	return s1, db.open(t)
}

// increment is a read-modify-write through the store: without mutual
// exclusion, concurrent increments get lost.
func increment(ctx context.Context, s *store.Store, key string) error {
	n := 0
	b, err := s.GetToken(ctx, key)
	switch {
	case err == nil:
		if n, err = strconv.Atoi(string(b)); err != nil {
			return err
		}
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	return s.PutToken(ctx, key, []byte(strconv.Itoa(n+1)))
}

func testLockExcludes(t *testing.T, db database) {
	s1, s2 := instances(t, db)
	ctx := context.Background()
	const workers = 12
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for i := range workers {
		s := []*store.Store{s1, s2}[i%2]
		wg.Go(func() {
			err := s.WithLock(ctx, "hin:refresh:1", func(ctx context.Context) error {
				n := inside.Add(1)
				defer inside.Add(-1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				return increment(ctx, s, "counter")
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d holders at once", most.Load())
	}
	if b, err := s1.GetToken(ctx, "counter"); err != nil || string(b) != strconv.Itoa(workers) {
		t.Errorf("counter %q after %d locked increments (%v)", b, workers, err)
	}

	// A waiter gives up with its context; another key is free meanwhile.
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- s1.WithLock(ctx, "k", func(context.Context) error { close(held); <-release; return nil })
	}()
	<-held
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	err := s2.WithLock(cctx, "k", func(context.Context) error { return errors.New("entered a held lock") })
	mustErr(t, "waiting for a held lock", err, context.DeadlineExceeded)
	bounded, cancelBounded := context.WithTimeout(ctx, 5*time.Second)
	defer cancelBounded()
	if err := s2.WithLock(bounded, "other", func(context.Context) error { return nil }); err != nil {
		t.Errorf("another key: %v", err)
	}
	cancelled, cancelNow := context.WithCancel(ctx)
	cancelNow()
	mustErr(t, "cancelled before asking", s2.WithLock(cancelled, "k", func(context.Context) error { return nil }), context.Canceled)
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	// fn's error comes back, and the lock is free again.
	boom := errors.New("boom")
	mustErr(t, "fn's error", s2.WithLock(ctx, "k", func(context.Context) error { return boom }), boom)
	if err := s1.WithLock(bounded, "k", func(context.Context) error { return nil }); err != nil {
		t.Errorf("after an error: %v", err)
	}
}

// Waiters must not starve the holder: with a pool of two connections and
// many waiters, the holder's fn still reaches the database.
func testLockWaiters(t *testing.T, db database) {
	s := db.open(t)
	s.DB().SetMaxOpenConns(2)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const workers = 10
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			if err := s.WithLock(ctx, "crowded", func(ctx context.Context) error {
				return increment(ctx, s, "crowd")
			}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if b, err := s.GetToken(ctx, "crowd"); err != nil || string(b) != strconv.Itoa(workers) {
		t.Errorf("counter %q after %d locked increments (%v)", b, workers, err)
	}
}

// A panic in fn releases the lock.
func testLockPanic(t *testing.T, db database) {
	s1, s2 := instances(t, db)
	ctx := context.Background()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not come through")
			}
		}()
		_ = s1.WithLock(ctx, "k", func(context.Context) error { panic("fn failed") })
	}()
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	entered := false
	if err := s2.WithLock(cctx, "k", func(context.Context) error { entered = true; return nil }); err != nil || !entered {
		t.Errorf("lock after a panic: entered %v, %v", entered, err)
	}
}
