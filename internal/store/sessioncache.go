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
//   - a read that raced a forget of its session does not fill the cache:
//     every forget moves the generation counter and is remembered, so a
//     read taken at generation g is kept only when none of the forgets
//     since g named its token (nor emptied the cache); the forgets of
//     other sessions — busy instances, or another deployment sharing the
//     database, whose notices arrive on the same channel — do not stop it;
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
	// recent are the last forgets, the one of generation g at
	// g % len(recent); an empty token stands for all.
	recent [64]forgotten
}

type forgotten struct {
	token string
	gen   uint64
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

// put keeps a session read from the database, unless it was forgotten
// since gen was read (the answer may be stale).
func (c *sessionCache) put(gen uint64, token string, data []byte, expiry time.Time) {
	if !c.usable.Load() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forgottenSince(gen, token) {
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

// forgottenSince says whether token may have changed since generation
// gen: a forget since then named it or everything, or there were too
// many forgets to tell. c.mu is held.
func (c *sessionCache) forgottenSince(gen uint64, token string) bool {
	if c.gen-gen > uint64(len(c.recent)) {
		return true
	}
	for g := gen + 1; g <= c.gen; g++ {
		f := c.recent[g%uint64(len(c.recent))]
		if f.gen != g || f.token == "" || f.token == token {
			return true
		}
	}
	return false
}

// remember records a forget of token ("" for all) as a new generation.
// c.mu is held.
func (c *sessionCache) remember(token string) {
	c.gen++
	c.recent[c.gen%uint64(len(c.recent))] = forgotten{token: token, gen: c.gen}
}

// forget drops sessions changed or ended.
func (c *sessionCache) forget(tokens ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range tokens {
		if t == "" {
			continue // no session has an empty token
		}
		c.remember(t)
		delete(c.entries, t)
	}
}

// reset empties the cache and sets whether it may be used.
func (c *sessionCache) reset(usable bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remember("")
	clear(c.entries)
	c.usable.Store(usable)
}
