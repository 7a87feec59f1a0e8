package insisim

// Fault is a way for INSi to misbehave, consumed one per well-formed
// request in the order queued.
type Fault int

// Faults.
const (
	// FaultUnavailable answers the SIRAM fault siram_40 / insi_111 « fatale ».
	FaultUnavailable Fault = iota + 1
	// FaultMalformed answers half of the right answer: not well-formed XML.
	FaultMalformed
	// FaultSlow waits Config.SlowDelay (or until the client gives up)
	// before answering normally.
	FaultSlow
	// FaultUnknownIDAM answers desir_550 whatever the IDAM.
	FaultUnknownIDAM
	// FaultWrongCN answers DESIR_560, as for a certificate not named
	// INSI-AUTO or INSI-MANU.
	FaultWrongCN
)

func (f Fault) String() string {
	switch f {
	case FaultUnavailable:
		return "unavailable"
	case FaultMalformed:
		return "malformed"
	case FaultSlow:
		return "slow"
	case FaultUnknownIDAM:
		return "unknown-idam"
	case FaultWrongCN:
		return "wrong-certificate-name"
	}
	return "none"
}

// Misbehave queues fault for the next n requests.
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

func (s *Server) nextFault() Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	var f Fault
	if len(s.faults) > 0 {
		f, s.faults = s.faults[0], s.faults[1:]
	}
	return f
}
