package web

import (
	"testing"
	"time"
)

func TestThrottleDelayDoublesUpToTheWindow(t *testing.T) {
	const w = 15 * time.Minute
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{0, 0}, {4, 0}, {5, time.Second}, {6, 2 * time.Second}, {9, 16 * time.Second}, {15, w}, {1000, w}} {
		if got := throttleDelay(tc.n, 5, w); got != tc.want {
			t.Errorf("%d failures: %v, want %v", tc.n, got, tc.want)
		}
	}
}
