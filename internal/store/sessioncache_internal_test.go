package store

import (
	"testing"
	"time"
)

func TestSessionCacheNeverServesPastExpiry(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	c := newSessionCache(func() time.Time { return now }, true)
	c.put(c.generation(), "tok", []byte("x"), now.Add(time.Minute))
	if b, ok := c.get("tok"); !ok || string(b) != "x" {
		t.Fatalf("live entry: %q %v", b, ok)
	}
	now = now.Add(time.Minute)
	if _, ok := c.get("tok"); ok {
		t.Error("served at its expiry")
	}
	if len(c.entries) != 0 {
		t.Error("an expired entry is kept")
	}
}

// A read that raced a change does not fill the cache with what it read.
func TestSessionCacheReadRacingAForget(t *testing.T) {
	c := newSessionCache(time.Now, true)
	gen := c.generation()
	c.forget("other") // a logout lands while the query runs
	c.put(gen, "tok", []byte("stale"), time.Now().Add(time.Hour))
	if _, ok := c.get("tok"); ok {
		t.Error("a read older than a forget filled the cache")
	}
	c.put(c.generation(), "tok", []byte("fresh"), time.Now().Add(time.Hour))
	c.forget("tok")
	if _, ok := c.get("tok"); ok {
		t.Error("a forgotten session is served")
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
