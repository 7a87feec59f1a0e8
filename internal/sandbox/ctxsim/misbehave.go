package ctxsim

// Fault is a way for the API to misbehave, consumed one per request whose
// token was accepted, in the order queued.
type Fault int

// Faults.
const (
	// FaultUnavailable answers 503 with an HTML page.
	FaultUnavailable Fault = iota + 1
	// FaultSlow waits Config.SlowDelay (or until the client gives up)
	// before answering normally.
	FaultSlow
	// FaultMalformed answers 200 with truncated JSON.
	FaultMalformed
	// FaultCrossProfessional makes a GET answer the last context anyone
	// stored, as the upstream code's static field does: a client must
	// refuse a context whose psId is not the professional's.
	FaultCrossProfessional
)

func (f Fault) String() string {
	switch f {
	case FaultUnavailable:
		return "unavailable"
	case FaultSlow:
		return "slow"
	case FaultMalformed:
		return "malformed"
	case FaultCrossProfessional:
		return "cross-professional"
	}
	return "none"
}

// Misbehave queues fault for the next n accepted requests.
func (s *Server) Misbehave(f Fault, n int) { s.faults.Arm(f, n) }

// Behave forgets the queued faults.
func (s *Server) Behave() { s.faults.Reset() }
