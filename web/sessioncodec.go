package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"sync"
	"time"
)

// decodedSessions remembers the sessions jsonCodec decoded lately, keyed
// by their encoded bytes, so that a signed-in request served from the
// store's session cache costs a map copy instead of a JSON decode (the
// largest cost the profile left in the session load).
//
// It decides nothing about whether a session is valid: decoding is a pure
// function of the bytes, and the store alone says which bytes a token
// has, if any (ended sessions, expiry and the cross-instance
// invalidation all stay there). A session changed is a new key; an old
// one is never reached again and ages out.
//
// Two generations make it an approximate LRU at the cost of a map
// lookup: entries used in the current generation survive the next
// turnover, the others are dropped with the old map.
type decodedSessions struct {
	mu       sync.Mutex
	cur, old map[string]decodedSession
	max      int // entries per generation
}

type decodedSession struct {
	deadline time.Time
	// values is never handed out: scs changes the map it is given.
	values map[string]any
}

// decodedSessionsPerGeneration bounds the memory: at most twice this many
// sessions of about 1 KB each (the encoding as key, the values).
const decodedSessionsPerGeneration = 2048

func newDecodedSessions(max int) *decodedSessions {
	return &decodedSessions{max: max, cur: make(map[string]decodedSession), old: map[string]decodedSession{}}
}

// get returns the session encoded as b, values copied.
func (m *decodedSessions) get(b []byte) (time.Time, map[string]any, bool) {
	m.mu.Lock()
	d, ok := m.cur[string(b)] // no copy of b to look it up
	if !ok {
		if d, ok = m.old[string(b)]; ok {
			m.putLocked(string(b), d)
		}
	}
	m.mu.Unlock()
	if !ok {
		return time.Time{}, nil, false
	}
	return d.deadline, maps.Clone(d.values), true
}

// put remembers a session just decoded from b; values is copied, the
// caller keeps its own.
func (m *decodedSessions) put(b []byte, deadline time.Time, values map[string]any) {
	d := decodedSession{deadline: deadline, values: maps.Clone(values)}
	m.mu.Lock()
	m.putLocked(string(b), d)
	m.mu.Unlock()
}

func (m *decodedSessions) putLocked(key string, d decodedSession) {
	if len(m.cur) >= m.max {
		m.old, m.cur = m.cur, make(map[string]decodedSession, m.max)
	}
	m.cur[key] = d
}

// len is how many sessions are remembered (tests).
func (m *decodedSessions) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.cur) + len(m.old)
}

// jsonCodec stores session values as JSON. scs's default, gob, describes
// every type again in each session it decodes, which made decoding the
// dearest step of an authenticated request; every value InfoPatient keeps
// in a session is a string, which JSON round-trips exactly. Sessions
// decoded lately are remembered (see decodedSessions); the zero value
// decodes every time.
type jsonCodec struct{ decoded *decodedSessions }

type encodedSession struct {
	Deadline time.Time         `json:"d"`
	Values   map[string]string `json:"v"`
}

func (jsonCodec) Encode(deadline time.Time, values map[string]interface{}) ([]byte, error) {
	e := encodedSession{Deadline: deadline, Values: make(map[string]string, len(values))}
	for k, v := range values {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("session value %q is a %T: only strings are kept", k, v)
		}
		e.Values[k] = s
	}
	return json.Marshal(e)
}

func (c jsonCodec) Decode(b []byte) (time.Time, map[string]interface{}, error) {
	if c.decoded != nil {
		if deadline, values, ok := c.decoded.get(b); ok {
			return deadline, values, nil
		}
	}
	var e encodedSession
	if err := json.Unmarshal(b, &e); err != nil {
		return time.Time{}, nil, err
	}
	values := make(map[string]interface{}, len(e.Values))
	for k, v := range e.Values {
		values[k] = v
	}
	if c.decoded != nil {
		c.decoded.put(b, e.Deadline, values)
	}
	return e.Deadline, values, nil
}
