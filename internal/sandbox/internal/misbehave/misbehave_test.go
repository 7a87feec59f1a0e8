package misbehave_test

import (
	"context"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/internal/misbehave"
)

type fault int

const (
	slow fault = iota + 1
	broken
	garbage
)

// Faults queued with Arm come out once each, in order, then none.
func TestNextTakesQueuedFaultsInOrder(t *testing.T) {
	var s misbehave.Switch[fault]
	if f, ok := s.Next(); ok || f != 0 {
		t.Fatalf("zero switch: %v %v", f, ok)
	}
	s.Arm(slow, 2)
	s.Arm(broken, 1)
	var got []fault
	for {
		f, ok := s.Next()
		if !ok {
			break
		}
		got = append(got, f)
	}
	if !slices.Equal(got, []fault{slow, slow, broken}) {
		t.Errorf("got %v", got)
	}
	s.Arm(garbage, 3)
	s.Reset()
	if _, ok := s.Next(); ok {
		t.Error("a fault survived Reset")
	}
}

// Take serves faults armed for a caller or for any, by match; one-shot
// faults go, sticky ones stay until Reset, other callers' are left.
func TestTakeByKeyAndMatch(t *testing.T) {
	var s misbehave.Switch[fault]
	s.ArmFor("", slow, false)
	s.ArmFor("a", broken, true)
	s.ArmFor("b", garbage, false)
	all := func(fault) bool { return true }
	if got := s.Take("a", all); !maps.Equal(got, map[fault]bool{slow: true, broken: true}) {
		t.Errorf("first take for a: %v", got)
	}
	if got := s.Take("a", all); !maps.Equal(got, map[fault]bool{broken: true}) {
		t.Errorf("second take for a (sticky only): %v", got)
	}
	if got := s.Take("b", func(f fault) bool { return f != garbage }); len(got) != 0 {
		t.Errorf("b, unmatched: %v", got)
	}
	if got := s.Take("", all); len(got) != 0 {
		t.Errorf("anonymous caller took a client's fault: %v", got)
	}
	if got := s.Take("b", all); !maps.Equal(got, map[fault]bool{garbage: true}) {
		t.Errorf("b: %v", got)
	}
	s.Reset()
	if got := s.Take("a", all); len(got) != 0 {
		t.Errorf("sticky fault survived Reset: %v", got)
	}
}

// Armed and taken from several goroutines at once (run with -race).
func TestSwitchIsSafeAcrossGoroutines(t *testing.T) {
	var s misbehave.Switch[fault]
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Arm(slow, 1)
			s.Next()
		}()
	}
	wg.Wait()
	if _, ok := s.Next(); ok {
		t.Error("eight armed, eight taken: one left")
	}
}

// Delay waits its course, or stops when the caller gives up.
func TestDelay(t *testing.T) {
	if !misbehave.Delay(context.Background(), time.Millisecond) {
		t.Error("a short wait did not run its course")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if misbehave.Delay(ctx, time.Hour) {
		t.Error("a caller that gave up was answered")
	}
	if time.Since(start) > time.Second {
		t.Error("Delay did not stop when the caller gave up")
	}
}
