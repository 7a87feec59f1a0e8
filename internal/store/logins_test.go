package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

func testPendingLogins(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	psc := store.PendingLogin{State: "state-psc", Authority: "psc", Browser: "browser-1", Nonce: "nonce-1",
		CodeVerifier: "verifier-1", ReturnTo: "/historique?q=é", ExpiresAt: now.Add(10 * time.Minute)}
	if err := s.SavePendingLogin(ctx, psc); err != nil {
		t.Fatal(err)
	}
	mustErr(t, "state saved twice", s.SavePendingLogin(ctx, psc), store.ErrConflict)

	got, err := s.TakePendingLogin(ctx, psc.State, now)
	if err != nil || got != psc {
		t.Fatalf("take: %+v %v, want %+v", got, err, psc)
	}
	_, err = s.TakePendingLogin(ctx, psc.State, now)
	mustErr(t, "taken twice", err, store.ErrNotFound)
	_, err = s.TakePendingLogin(ctx, "never-saved", now)
	mustErr(t, "unknown state", err, store.ErrNotFound)

	// Expiry: the instant of expiry is too late, and an expired sign-in is
	// gone for good, even for a caller whose clock is behind.
	hin := store.PendingLogin{State: "state-hin", Authority: "hin", Browser: "browser-2", ExpiresAt: now.Add(time.Minute)}
	_ = s.SavePendingLogin(ctx, hin)
	_, err = s.TakePendingLogin(ctx, hin.State, hin.ExpiresAt)
	mustErr(t, "taken at its expiry", err, store.ErrNotFound)
	_, err = s.TakePendingLogin(ctx, hin.State, now)
	mustErr(t, "expired sign-in taken later with an earlier clock", err, store.ErrNotFound)
	_ = s.SavePendingLogin(ctx, hin)
	if _, err := s.TakePendingLogin(ctx, hin.State, hin.ExpiresAt.Add(-time.Second)); err != nil {
		t.Errorf("taken a second before expiry: %v", err)
	}

	for i, exp := range []time.Duration{-time.Hour, -time.Second, 0, time.Second, time.Hour} {
		_ = s.SavePendingLogin(ctx, store.PendingLogin{State: string(rune('a' + i)), Authority: "psc", ExpiresAt: now.Add(exp)})
	}
	if n, err := s.DeleteExpiredPendingLogins(ctx, now); n != 3 || err != nil {
		t.Errorf("deleted %d expired sign-ins, want 3: %v", n, err)
	}
	for state, live := range map[string]bool{"a": false, "c": false, "d": true, "e": true} {
		_, err := s.TakePendingLogin(ctx, state, now)
		if live != (err == nil) {
			t.Errorf("state %s: live %v, take %v", state, live, err)
		}
	}
}

// Callbacks racing with one state, on two instances: exactly one wins.
func testPendingLoginTakenOnce(t *testing.T, db database) {
	s1, s2 := db.open(t), db.open(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	p := store.PendingLogin{State: "raced", Authority: "psc", Browser: "b", Nonce: "n", CodeVerifier: "v", ExpiresAt: now.Add(time.Minute)}
	if err := s1.SavePendingLogin(ctx, p); err != nil {
		t.Fatal(err)
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		s := []*store.Store{s1, s2}[i%2]
		wg.Go(func() {
			got, err := s.TakePendingLogin(ctx, "raced", now)
			switch {
			case err == nil && got == p:
				wins.Add(1)
			case !errors.Is(err, store.ErrNotFound):
				t.Errorf("take: %+v %v", got, err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d callbacks took the state, want 1", wins.Load())
	}
}

func testSweep(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	_ = s.SavePendingLogin(ctx, store.PendingLogin{State: "old", ExpiresAt: now})
	_ = s.SavePendingLogin(ctx, store.PendingLogin{State: "live", ExpiresAt: now.Add(time.Hour)})
	_ = s.RecordProviderSession(ctx, store.ProviderSession{Provider: "psc", SID: "sid-old", Subject: "sub", SessionToken: "token-old", ExpiresAt: now.Add(-time.Second)})
	_ = s.RecordProviderSession(ctx, store.ProviderSession{Provider: "psc", SID: "sid-live", Subject: "sub", SessionToken: "token-live", ExpiresAt: now.Add(time.Hour)})
	_, _ = s.HitRateLimit(ctx, "login:old", time.Minute, now.Add(-48*time.Hour))
	_, _ = s.HitRateLimit(ctx, "login:live", time.Minute, now)
	if n, err := s.Sweep(ctx, now); n != 3 || err != nil {
		t.Errorf("swept %d rows, want 3: %v", n, err)
	}
	if _, err := s.TakePendingLogin(ctx, "live", now); err != nil {
		t.Errorf("a live sign-in was swept: %v", err)
	}
	// Read at an earlier instant, where the swept session had not expired.
	if _, err := s.ProviderSession(ctx, "token-old", now.Add(-time.Hour)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an expired provider session survived: %v", err)
	}
	if _, err := s.ProviderSession(ctx, "token-live", now.Add(-time.Hour)); err != nil {
		t.Errorf("a live provider session was swept: %v", err)
	}
	if n, _ := s.HitRateLimit(ctx, "login:live", time.Minute, now); n != 2 {
		t.Errorf("a live window was swept: count %d", n)
	}
	if n, _ := s.HitRateLimit(ctx, "login:old", time.Minute, now); n != 1 {
		t.Errorf("an old window survived: count %d", n)
	}
	if n, err := s.Sweep(ctx, now); n != 0 || err != nil {
		t.Errorf("second sweep: %d %v", n, err)
	}
}
