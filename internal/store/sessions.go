package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"
)

// ErrSessionEnded: a commit found its session ended (by a logout, a
// back-channel logout or the idle timeout) after the request loaded it.
// The session stays ended; the caller clears the browser's cookie.
var ErrSessionEnded = errors.New("store: session ended")

// sessionStore is scs's store over the sessions table, written so that a
// session once ended stays ended on every instance, whatever request was
// in flight. scs's own SQL stores commit with an upsert: a request that
// loaded a session before its logout re-created the row when it finished.
// Here an ended session keeps its row, emptied and marked ended, until its
// expiry (a tombstone), and a commit updates a row only while it is not
// ended: the database decides, in the one statement, so two instances
// racing a logout and a commit end with the session ended either way
// (PostgreSQL re-checks the condition on the row it locks). A commit of a
// token without a row inserts it: a new session (scs draws new tokens at
// random), or one past its expiry, which stays expired.
type sessionStore struct {
	db *sql.DB
	q  sessionSQL
	// cache, when set, answers Find without a query (see sessionCache);
	// on PostgreSQL, peers is this instance among the others (see
	// sessionlisten.go).
	cache *sessionCache
	peers *peers

	mu   sync.Mutex
	find *sql.Stmt // prepared on first use, once the schema exists

	stop chan struct{}
	done sync.WaitGroup
}

// sessionSQL is the per-dialect SQL: the expiry is a julian day (REAL) on
// SQLite, a TIMESTAMPTZ on PostgreSQL, as scs's stores kept it. find also
// returns the expiry in unix milliseconds, for the cache.
type sessionSQL struct {
	find, commit, all, sweep string
	expiry                   func(time.Time) any
}

var sessionQueries = map[string]sessionSQL{
	SQLite: {
		find: `SELECT data, CAST((expiry - 2440587.5) * 86400000 AS INTEGER) FROM sessions
			WHERE token = $1 AND ended = 0 AND julianday('now') < expiry`,
		commit: `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, julianday($3))
			ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry WHERE sessions.ended = 0`,
		all:    `SELECT token, data FROM sessions WHERE ended = 0 AND julianday('now') < expiry`,
		sweep:  `DELETE FROM sessions WHERE expiry < julianday('now')`,
		expiry: func(t time.Time) any { return t.UTC().Format("2006-01-02T15:04:05.999") },
	},
	Postgres: {
		find: `SELECT data, (extract(epoch FROM expiry) * 1000)::bigint FROM sessions
			WHERE token = $1 AND ended = 0 AND current_timestamp < expiry`,
		commit: `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
			ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry WHERE sessions.ended = 0`,
		all:    `SELECT token, data FROM sessions WHERE ended = 0 AND current_timestamp < expiry`,
		sweep:  `DELETE FROM sessions WHERE expiry < current_timestamp`,
		expiry: func(t time.Time) any { return t.UTC() },
	},
}

func newSessionStore(db *sql.DB, dialect string, sweepEvery time.Duration, cached bool) *sessionStore {
	st := &sessionStore{db: db, q: sessionQueries[dialect], stop: make(chan struct{})}
	st.done.Go(func() { st.sweepLoop(sweepEvery) })
	if cached {
		// On PostgreSQL the cache waits for its listener; on SQLite this
		// instance's writes are all there is.
		st.cache = newSessionCache(time.Now, dialect == SQLite)
		if dialect == Postgres {
			st.peers = newPeers()
			st.done.Go(st.listen)
		}
	}
	return st
}

// close stops the sweep and the listener, and releases the prepared
// statement.
func (st *sessionStore) close() {
	close(st.stop)
	st.done.Wait()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.find != nil {
		_ = st.find.Close()
		st.find = nil
	}
}

// sweepLoop deletes expired rows, tombstones included: past its expiry a
// session is refused anyway.
func (st *sessionStore) sweepLoop(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-st.stop:
			return
		case <-t.C:
			_, _ = st.db.Exec(st.q.sweep)
		}
	}
}

// findStmt is the prepared Find; nil while it cannot be prepared (schema
// not migrated yet).
func (st *sessionStore) findStmt(ctx context.Context) *sql.Stmt {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.find == nil {
		if stmt, err := st.db.PrepareContext(ctx, st.q.find); err == nil {
			st.find = stmt
		}
	}
	return st.find
}

func (st *sessionStore) Find(token string) ([]byte, bool, error) {
	return st.FindCtx(context.Background(), token)
}

// FindCtx runs under the request's context, so that a client gone away
// cancels its query: scs uses each ...Ctx method a store has. A session
// in the cache costs no query.
func (st *sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var gen uint64
	if st.cache != nil {
		if b, ok := st.cache.get(token); ok {
			return b, true, nil
		}
		gen = st.cache.generation()
	}
	var row *sql.Row
	if stmt := st.findStmt(ctx); stmt != nil {
		row = stmt.QueryRowContext(ctx, token)
	} else {
		row = st.db.QueryRowContext(ctx, st.q.find, token)
	}
	var b []byte
	var expiry int64
	err := row.Scan(&b, &expiry)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if st.cache != nil {
		st.cache.put(gen, token, b, time.UnixMilli(expiry))
	}
	return b, true, nil
}

// ForgetCached drops this instance's cached copy of token's session, so
// that the next Find reads the database: for a request that knows its
// session changed elsewhere (web's session stamp) before this instance
// heard of it.
func (st *sessionStore) ForgetCached(token string) {
	if st.cache != nil {
		st.cache.forget(token)
	}
}

func (st *sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return st.CommitCtx(context.Background(), token, b, expiry)
}

// CommitCtx writes a live or new session; ErrSessionEnded when the
// session ended meanwhile (nothing is written). The other instances
// forget their copy when notified.
func (st *sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	res, err := st.db.ExecContext(ctx, st.q.commit, token, b, st.q.expiry(expiry))
	if st.cache != nil {
		st.cache.forget(token)
	}
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrSessionEnded
	}
	return nil
}

func (st *sessionStore) Delete(token string) error {
	return st.DeleteCtx(context.Background(), token)
}

// DeleteCtx ends a session: its row becomes a tombstone, its data gone.
func (st *sessionStore) DeleteCtx(ctx context.Context, token string) error {
	done := st.ending([]string{token})
	ended, err := endSessions(ctx, st.db, []string{token})
	done(ended)
	return err
}

// ending is called before a write that ends sessions, and the function it
// returns after it, with the sessions the write ended: this instance
// forgets them and, on PostgreSQL, waits until every other instance has
// said it forgot them too (see peers), so that the end is answered only
// once no cache anywhere can serve them.
func (st *sessionStore) ending(tokens []string) (done func(ended []string)) {
	if st == nil || st.cache == nil {
		return func([]string) {}
	}
	var acks map[string]*acks
	if st.peers != nil {
		acks = st.peers.expect(tokens)
	}
	return func(ended []string) {
		st.cache.forget(tokens...)
		if st.peers != nil {
			st.peers.wait(st.db, acks, ended)
		}
	}
}

// execer is a pool or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// endSessions turns the sessions of tokens into tombstones, in one
// statement each (the same SQL in both dialects), and returns those that
// were there.
func endSessions(ctx context.Context, db execer, tokens []string) ([]string, error) {
	var ended []string
	for _, t := range tokens {
		if t == "" {
			continue
		}
		res, err := db.ExecContext(ctx, `UPDATE sessions SET ended = 1, data = $2 WHERE token = $1`, t, []byte{})
		if err != nil {
			return ended, err
		}
		if n, err := res.RowsAffected(); err == nil && n > 0 {
			ended = append(ended, t)
		}
	}
	return ended, nil
}

func (st *sessionStore) All() (map[string][]byte, error) {
	return st.AllCtx(context.Background())
}

// AllCtx returns the live sessions (scs's Iterate).
func (st *sessionStore) AllCtx(ctx context.Context) (map[string][]byte, error) {
	rows, err := st.db.QueryContext(ctx, st.q.all)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string][]byte)
	for rows.Next() {
		var token string
		var data []byte
		if err := rows.Scan(&token, &data); err != nil {
			return nil, err
		}
		out[token] = data
	}
	return out, rows.Err()
}
