package store

import (
	"sync"
	"sync/atomic"
	"time"
)

// sessionCache keeps the sessions this instance read recently, so that a
// signed-in request costs no database query. It is coherent with the
// database, on every instance:
//
//   - every write of this instance (commit, end) forgets its token;
//   - on PostgreSQL a trigger notifies every instance of each session
//     row updated or deleted (migration 0003), and the listener forgets
//     it; while the listener is not connected the cache is not used, and
//     it is emptied on every (re)connection, since notifications may have
//     been missed;
//   - a read that raced a forget does not fill the cache: the generation
//     counter, moved by every forget, must be unchanged across the query;
//   - an entry is never served past the session's expiry (its absolute
//     lifetime); the idle timeout is the middleware's, from the session's
//     own last-activity value, which the cache keeps current as above.
//
// On SQLite there is one instance: its own writes are all there is.
type sessionCache struct {
	// now is the wall clock, as the database's own expiry check uses.
	now    func() time.Time
	max    int
	usable atomic.Bool
	hits   atomic.Uint64

	mu      sync.Mutex
	gen     uint64
	entries map[string]cachedSession
}

type cachedSession struct {
	data   []byte
	expiry time.Time
}

// sessionCacheSize bounds the cache: far more sessions than one instance
// serves at once (each entry is the encoded session, about 300 bytes).
const sessionCacheSize = 10_000

func newSessionCache(now func() time.Time, usable bool) *sessionCache {
	c := &sessionCache{now: now, max: sessionCacheSize, entries: make(map[string]cachedSession)}
	c.usable.Store(usable)
	return c
}

// get returns a live session of the cache.
func (c *sessionCache) get(token string) ([]byte, bool) {
	if !c.usable.Load() {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[token]
	if !ok {
		return nil, false
	}
	if !c.now().Before(e.expiry) {
		delete(c.entries, token)
		return nil, false
	}
	c.hits.Add(1)
	return e.data, true
}

// generation is read before a query whose answer may fill the cache.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps a session read from the database, unless something was
// forgotten since gen was read (the answer may be stale).
func (c *sessionCache) put(gen uint64, token string, data []byte, expiry time.Time) {
	if !c.usable.Load() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if len(c.entries) >= c.max {
		for k := range c.entries { // any one: a full cache is rare
			delete(c.entries, k)
			break
		}
	}
	c.entries[token] = cachedSession{data: data, expiry: expiry}
}

// forget drops a session changed or ended.
func (c *sessionCache) forget(tokens ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, t := range tokens {
		delete(c.entries, t)
	}
}

// reset empties the cache and sets whether it may be used.
func (c *sessionCache) reset(usable bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
	c.usable.Store(usable)
}
