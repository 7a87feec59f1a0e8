package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/testclock"
)

func TestSessionCacheNeverServesPastExpiry(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	clock := testclock.New(now)
	c := newSessionCache(clock.Now, true)
	c.put(c.generation(), "tok", []byte("x"), now.Add(time.Minute))
	if b, ok := c.get("tok"); !ok || string(b) != "x" {
		t.Fatalf("live entry: %q %v", b, ok)
	}
	clock.Advance(time.Minute)
	if _, ok := c.get("tok"); ok {
		t.Error("served at its expiry")
	}
	if len(c.entries) != 0 {
		t.Error("an expired entry is kept")
	}
}

// A read that raced a change of its session does not fill the cache with
// what it read; the changes of other sessions do not stop it.
func TestSessionCacheReadRacingAForget(t *testing.T) {
	hour := time.Now().Add(time.Hour)
	kept := func(c *sessionCache) bool { _, ok := c.get("tok"); return ok }

	c := newSessionCache(time.Now, true)
	gen := c.generation()
	c.forget("tok") // a logout lands while the query runs
	c.put(gen, "tok", []byte("stale"), hour)
	if kept(c) {
		t.Error("a read older than its session's forget filled the cache")
	}

	c = newSessionCache(time.Now, true)
	gen = c.generation()
	c.forget("other", "another") // other sessions change meanwhile
	c.put(gen, "tok", []byte("fresh"), hour)
	if !kept(c) {
		t.Error("other sessions' forgets kept a read out of the cache")
	}
	c.forget("tok")
	if kept(c) {
		t.Error("a forgotten session is served")
	}

	c = newSessionCache(time.Now, true)
	gen = c.generation()
	c.reset(true) // the listener reconnected: anything may have changed
	c.put(gen, "tok", []byte("stale"), hour)
	if kept(c) {
		t.Error("a read older than a reset filled the cache")
	}

	c = newSessionCache(time.Now, true)
	gen = c.generation()
	for i := range len(c.recent) + 1 { // more forgets than remembered
		c.forget(fmt.Sprint("other", i))
	}
	c.put(gen, "tok", []byte("unknown"), hour)
	if kept(c) {
		t.Error("a read older than the forgets remembered filled the cache")
	}
	c.put(c.generation(), "tok", []byte("fresh"), hour)
	if !kept(c) {
		t.Error("a read after the forgets is not kept")
	}
}

// Not usable (a PostgreSQL listener not connected): nothing is served nor
// kept; a reset empties it.
func TestSessionCacheUnusable(t *testing.T) {
	c := newSessionCache(time.Now, false)
	c.put(c.generation(), "tok", []byte("x"), time.Now().Add(time.Hour))
	if _, ok := c.get("tok"); ok {
		t.Error("an unusable cache served")
	}
	c.reset(true)
	c.put(c.generation(), "tok", []byte("x"), time.Now().Add(time.Hour))
	c.reset(false)
	c.usable.Store(true)
	if _, ok := c.get("tok"); ok {
		t.Error("a reset kept an entry")
	}
}

func TestSessionCacheIsBounded(t *testing.T) {
	c := newSessionCache(time.Now, true)
	c.max = 3
	for _, tok := range []string{"a", "b", "c", "d", "e"} {
		c.put(c.generation(), tok, []byte(tok), time.Now().Add(time.Hour))
	}
	if len(c.entries) != 3 {
		t.Errorf("%d entries, want at most 3", len(c.entries))
	}
	if _, ok := c.get("e"); !ok {
		t.Error("the latest session is not kept")
	}
}
