package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

func testRateLimit(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	w := 15 * time.Minute
	start := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) // a window boundary
	for _, tc := range []struct {
		name string
		key  string
		at   time.Time
		want int
	}{
		{"first", "login:1", start.Add(time.Second), 1},
		{"second", "login:1", start.Add(time.Minute), 2},
		{"last second of the window", "login:1", start.Add(w - time.Second), 3},
		{"another key", "login:2", start.Add(time.Second), 1},
		{"next window", "login:1", start.Add(w), 1},
		{"next window again", "login:1", start.Add(w + time.Minute), 2},
		{"a window skipped", "login:1", start.Add(3 * w), 1},
	} {
		if n, err := s.HitRateLimit(ctx, tc.key, w, tc.at); n != tc.want || err != nil {
			t.Errorf("%s: count %d, want %d (%v)", tc.name, n, tc.want, err)
		}
	}
	if err := s.ResetRateLimit(ctx, "login:1"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.HitRateLimit(ctx, "login:1", w, start.Add(3*w)); n != 1 {
		t.Errorf("after reset: %d", n)
	}
	if n, _ := s.HitRateLimit(ctx, "login:2", w, start.Add(2*time.Second)); n != 2 {
		t.Errorf("reset touched another key: %d", n)
	}
	if err := s.ResetRateLimit(ctx, "never-hit"); err != nil {
		t.Errorf("resetting an unknown key: %v", err)
	}
}

// Instances counting together: every attempt gets its own number.
func testRateLimitConcurrent(t *testing.T, db database) {
	s1, s2 := db.open(t), db.open(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 22, 10, 0, 1, 0, time.UTC)
	const attempts = 20
	counts := make([]int, attempts)
	var wg sync.WaitGroup
	for i := range attempts {
		s := []*store.Store{s1, s2}[i%2]
		wg.Go(func() {
			n, err := s.HitRateLimit(ctx, "login:crowd", time.Minute, now)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		})
	}
	wg.Wait()
	slices.Sort(counts)
	for i, n := range counts {
		if n != i+1 {
			t.Fatalf("counts %v, want 1..%d each once", counts, attempts)
		}
	}
}
