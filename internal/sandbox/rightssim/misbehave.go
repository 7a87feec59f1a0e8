package rightssim

import (
	"net/http"
	"time"
)

// Fault is a way for ADRi to misbehave, consumed one per accepted
// request in the order queued.
type Fault int

// Faults.
const (
	// FaultUnavailable answers the SOAP fault of an unavailable
	// téléservice (siram_40 / insi_111, fatale).
	FaultUnavailable Fault = iota + 1
	// FaultMalformed answers 200 with half of the answer: not XML.
	FaultMalformed
	// FaultSlow waits Config.SlowDelay (or until the client gives up)
	// before answering normally.
	FaultSlow
)

func (f Fault) String() string {
	switch f {
	case FaultUnavailable:
		return "unavailable"
	case FaultMalformed:
		return "malformed"
	case FaultSlow:
		return "slow"
	}
	return "none"
}

// Misbehave queues fault for the next n accepted requests.
func (s *Server) Misbehave(f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// Behave forgets the queued faults.
func (s *Server) Behave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// applyFault plays the next queued fault, if any, given the answer that
// would be sent; it reports whether that answer should still be sent.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, body []byte) bool {
	s.mu.Lock()
	var f Fault
	if len(s.faults) > 0 {
		f, s.faults = s.faults[0], s.faults[1:]
	}
	s.mu.Unlock()
	switch f {
	case FaultUnavailable:
		writeFault(w, "soap:Receiver", "siram_40", "fatale", "Indisponibilité des téléservices")
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		_, _ = w.Write(body[:len(body)/2])
	case FaultSlow:
		t := time.NewTimer(s.cfg.SlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case <-r.Context().Done():
		}
	default:
		return true
	}
	return false
}
