package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"strings"
	"sync"
	"time"
)

// On PostgreSQL every instance caches the sessions it reads, and they are
// kept coherent through the database (migration 0003):
//
//   - a trigger names each session row changed on sessionChannel:
//     "end:<token>" when it ends, "chg:<token>" otherwise;
//   - each instance listens, forgets the session named, and answers an
//     end with "ack:<token>:<instance id>";
//   - each listening instance is registered in session_listeners, beating
//     every peerBeat; the instance that ended a session waits (at most
//     ackWait) until every live registered instance acknowledged it before
//     it answers. So once a logout is answered, no instance's cache serves
//     the session: the next request, wherever it lands, is refused.
//
// An instance registers before its cache serves and after it listens, so
// that an instance not yet registered when an end is answered cannot hold
// the session: its cache was empty until after the end. A change other
// than an end is forgotten everywhere as soon as notified, without a wait.
const (
	sessionChannel = "infopatient_sessions"
	peerBeat       = 10 * time.Second
	peerDead       = 3 * peerBeat // a registration older is no one's
	ackWait        = time.Second
)

// peers is this instance's side of the acknowledgements.
type peers struct {
	id string

	mu      sync.Mutex
	waiting map[string][]*acks // by token
}

// acks collects the instances that acknowledged the end of one session.
type acks struct {
	mu     sync.Mutex
	from   map[string]bool
	signal chan struct{}
}

func newPeers() *peers {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return &peers{id: hex.EncodeToString(b), waiting: make(map[string][]*acks)}
}

// expect registers, before the write, the acknowledgements to wait for.
func (p *peers) expect(tokens []string) map[string]*acks {
	out := make(map[string]*acks, len(tokens))
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, t := range tokens {
		a := &acks{from: make(map[string]bool), signal: make(chan struct{}, 1)}
		out[t] = a
		p.waiting[t] = append(p.waiting[t], a)
	}
	return out
}

// acked records that instance forgot token.
func (p *peers) acked(token, instance string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, a := range p.waiting[token] {
		a.mu.Lock()
		a.from[instance] = true
		a.mu.Unlock()
		select {
		case a.signal <- struct{}{}:
		default:
		}
	}
}

// wait waits until every live instance acknowledged the end of each
// session of ended, at most ackWait in all, then forgets the waits.
func (p *peers) wait(db *sql.DB, waits map[string]*acks, ended []string) {
	defer func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for t, a := range waits {
			list := p.waiting[t]
			for i, x := range list {
				if x == a {
					list = append(list[:i], list[i+1:]...)
					break
				}
			}
			if len(list) == 0 {
				delete(p.waiting, t)
			} else {
				p.waiting[t] = list
			}
		}
	}()
	if len(ended) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), ackWait)
	defer cancel()
	live, err := livePeers(ctx, db)
	if err != nil {
		return
	}
	for _, t := range ended {
		a := waits[t]
		for !a.all(live) {
			select {
			case <-a.signal:
			case <-ctx.Done():
				return
			}
		}
	}
}

func (a *acks) all(instances []string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, i := range instances {
		if !a.from[i] {
			return false
		}
	}
	return true
}

func livePeers(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT id FROM session_listeners WHERE seen > $1`, time.Now().Add(-peerDead).Unix())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// listen keeps a connection listening on sessionChannel until close. The
// cache serves only while it listens: it starts empty on every
// (re)connection, as notifications sent meanwhile were lost.
func (st *sessionStore) listen() {
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-st.stop; cancel() }()
	beat := make(chan struct{})
	go func() { // registration beats, through the pool
		defer close(beat)
		t := time.NewTicker(peerBeat)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if st.cache.usable.Load() {
					_ = st.register(ctx)
				}
				_, _ = st.db.ExecContext(ctx, `DELETE FROM session_listeners WHERE seen < $1`, time.Now().Add(-peerDead).Unix())
			}
		}
	}()
	for ctx.Err() == nil {
		st.listenOnce(ctx)
		st.cache.reset(false)
		unregister, cancelUnregister := context.WithTimeout(context.Background(), time.Second)
		_, _ = st.db.ExecContext(unregister, `DELETE FROM session_listeners WHERE id = $1`, st.peers.id)
		cancelUnregister()
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	<-beat
}

func (st *sessionStore) register(ctx context.Context) error {
	_, err := st.db.ExecContext(ctx, `INSERT INTO session_listeners (id, seen) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET seen = excluded.seen`, st.peers.id, time.Now().Unix())
	return err
}

// notifier is a connection that listens (PostgreSQL's, postgres.go).
type notifier interface {
	exec(ctx context.Context, sql string, args ...any) error
	wait(ctx context.Context) (payload string, err error)
}

func (st *sessionStore) listenOnce(ctx context.Context) {
	conn, err := st.db.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	_ = conn.Raw(func(dc any) error {
		pc, ok := postgresNotifier(dc)
		if !ok {
			return nil
		}
		if err := pc.exec(ctx, "LISTEN "+sessionChannel); err != nil {
			return driver.ErrBadConn
		}
		if st.register(ctx) != nil {
			return driver.ErrBadConn
		}
		st.cache.reset(true)
		for {
			payload, err := pc.wait(ctx)
			if err != nil {
				// Interrupted or broken: this connection is not reused.
				return driver.ErrBadConn
			}
			kind, rest, _ := strings.Cut(payload, ":")
			switch kind {
			case "end":
				st.cache.forget(rest)
				if err := pc.exec(ctx, `SELECT pg_notify($1, $2)`, sessionChannel, "ack:"+rest+":"+st.peers.id); err != nil {
					return driver.ErrBadConn
				}
			case "chg":
				st.cache.forget(rest)
			case "ack":
				if i := strings.LastIndexByte(rest, ':'); i > 0 {
					st.peers.acked(rest[:i], rest[i+1:])
				}
			}
		}
	})
}
