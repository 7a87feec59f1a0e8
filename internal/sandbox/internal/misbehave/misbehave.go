// Package misbehave is the simulators' misbehaviour switch: the one shape
// of fault injection every simulator shares, so that tests and the
// sandbox's pages make each outside party fail the same way.
//
// A simulator declares its own Fault type (an int with a String method,
// one constant per way to fail) and keeps a Switch of it:
//
//	type Server struct {
//		faults misbehave.Switch[Fault]
//	}
//
//	// Misbehave queues f for the next n requests.
//	func (s *Server) Misbehave(f Fault, n int) { s.faults.Arm(f, n) }
//
//	// Behave forgets the queued faults.
//	func (s *Server) Behave() { s.faults.Reset() }
//
// and, at the top of the handler, takes the next fault and plays it:
//
//	switch f, _ := s.faults.Next(); f {
//	case FaultSlow:
//		if !misbehave.Delay(r.Context(), s.cfg.SlowDelay) {
//			return // the client gave up
//		}
//	case FaultServerError:
//		http.Error(w, "internal server error", http.StatusInternalServerError)
//		return
//	}
//
// Faults armed for a key (a client id, "" for any) and sticky faults,
// which stay until Reset, serve simulators whose faults depend on the
// caller or must hold across a whole journey (ArmFor and Take). The next
// simulators (INSi, rights, context sharing) reuse this type.
package misbehave

import (
	"context"
	"sync"
	"time"
)

// Switch holds the armed faults of one simulator. Its zero value has
// none; it is safe for concurrent use.
type Switch[F comparable] struct {
	mu    sync.Mutex
	armed []armed[F]
}

type armed[F comparable] struct {
	fault  F
	key    string
	sticky bool
}

// Arm queues f, for any caller, for the next n requests.
func (s *Switch[F]) Arm(f F, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.armed = append(s.armed, armed[F]{fault: f})
	}
}

// ArmFor arms f for the caller key ("" for any). A sticky fault stays
// until Reset; otherwise Take consumes it once.
func (s *Switch[F]) ArmFor(key string, f F, sticky bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.armed = append(s.armed, armed[F]{fault: f, key: key, sticky: sticky})
}

// Reset disarms every fault.
func (s *Switch[F]) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.armed = nil
}

// Next takes the first fault queued (consuming it unless sticky); false
// when none is armed.
func (s *Switch[F]) Next() (F, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var zero F
	if len(s.armed) == 0 {
		return zero, false
	}
	a := s.armed[0]
	if !a.sticky {
		s.armed = s.armed[1:]
	}
	return a.fault, true
}

// Take returns the set of faults armed for any caller or for key that
// match, consuming the ones that are not sticky.
func (s *Switch[F]) Take(key string, match func(F) bool) map[F]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[F]bool{}
	kept := s.armed[:0]
	for _, a := range s.armed {
		if (a.key == "" || a.key == key) && match(a.fault) {
			out[a.fault] = true
			if !a.sticky {
				continue
			}
		}
		kept = append(kept, a)
	}
	s.armed = kept
	return out
}

// Delay is the slow answer every simulator can give: it waits d, or until
// the caller gives up (ctx done). It reports whether the wait ran its
// course, that is whether to answer now.
func Delay(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
