package testclock_test

import (
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/testclock"
)

func TestClockMovesOnlyWhenTold(t *testing.T) {
	start := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	c := testclock.New(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now %s, want %s", got, start)
	}
	c.Advance(90 * time.Second)
	if got := c.Now(); !got.Equal(start.Add(90 * time.Second)) {
		t.Errorf("after Advance: %s", got)
	}
	c.Set(start)
	if got := c.Now(); !got.Equal(start) {
		t.Errorf("after Set: %s", got)
	}
	var zero testclock.Clock
	if !zero.Now().IsZero() {
		t.Error("the zero clock reads a time")
	}
}

// Read and moved from several goroutines at once (run with -race).
func TestClockIsSafeAcrossGoroutines(t *testing.T) {
	c := testclock.New(time.Unix(0, 0))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Advance(time.Second)
			_ = c.Now()
		}()
	}
	wg.Wait()
	if got := c.Now(); !got.Equal(time.Unix(8, 0)) {
		t.Errorf("8 advances of 1s: %s", got)
	}
}
