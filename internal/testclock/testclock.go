// Package testclock is the settable clock of every test, the portal's and
// the simulators': a test moves it, the code under test reads it through
// a func() time.Time (pass c.Now), safe from the servers' goroutines.
//
// It imports only the standard library and is imported only by tests, so
// the sandbox's tests may use it and the sandbox still imports nothing of
// the portal.
package testclock

import (
	"sync"
	"time"
)

// Clock is a settable time. Its zero value reads the zero time.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New is a clock reading start until it is moved.
func New(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time; pass c.Now where a func() time.Time is
// wanted.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}
