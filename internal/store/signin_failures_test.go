package store_test

import (
	"testing"
	"time"
)

// Failures count in a sliding window: the ones older than the window are
// forgotten one by one, not all at a clock-aligned boundary.
func testSignInFailures(t *testing.T, db database) {
	s := db.open(t)
	{
		ctx := t.Context()
		now := time.Unix(1_800_000_000, 0)
		const w = 15 * time.Minute
		for i := range 3 {
			if err := s.RecordSignInFailure(ctx, "k", w, now.Add(time.Duration(i)*5*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		n, last, err := s.SignInFailures(ctx, "k", w, now.Add(10*time.Minute))
		if err != nil || n != 3 || !last.Equal(now.Add(10*time.Minute)) {
			t.Fatalf("3 failures: got %d, last %v, %v", n, last, err)
		}
		if n, _, _ := s.SignInFailures(ctx, "k", w, now.Add(16*time.Minute)); n != 2 {
			t.Errorf("16 minutes after the first: %d failures in the window, want 2", n)
		}
		if n, last, _ := s.SignInFailures(ctx, "other", w, now); n != 0 || !last.IsZero() {
			t.Errorf("another key: %d, %v", n, last)
		}
		if err := s.ClearSignInFailures(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		if n, _, _ := s.SignInFailures(ctx, "k", w, now.Add(10*time.Minute)); n != 0 {
			t.Errorf("after clearing: %d", n)
		}
	}
}
