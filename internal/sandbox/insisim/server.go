// Package insisim is an offline INSi: the CNAM téléservice that gives a
// patient's INS from their traits or carte Vitale. It speaks the same
// SOAP 1.2 contract, checks the headers, the software's IDAM, the
// lexical rules and the caller (certificate name in mtls mode, the PSC
// assertion in psc mode), answers the public test personas, and can be
// told to misbehave. It imports nothing of the portal: it is the other party.
package insisim

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/internal/misbehave"
)

// Path ends the endpoint's path; the server answers any path ending so.
const Path = "/insi/lps"

// SandboxCNHeader is the certificate name a client announces over plain
// HTTP from loopback, where it cannot show a TLS certificate. GUESS: an
// InfoPatient sandbox convention; honoured only from a loopback address.
const SandboxCNHeader = "X-Infopatient-Sandbox-Client-Cn"

// DefaultIDAM is the authorisation number the sandbox knows by default.
const DefaultIDAM = "SANDBOX-IDAM-0001"

// Mode is how callers must authenticate.
type Mode string

// Modes.
const (
	ModeMTLS Mode = "mtls"
	ModePSC  Mode = "psc"
	// ModeEither accepts a caller who satisfies either mode.
	ModeEither Mode = "either"
)

// Config describes the simulated INSi.
type Config struct {
	Identities []Identity
	// IDAMs are the known authorisation numbers; DefaultIDAM when empty.
	IDAMs []string
	// Mode is ModeEither by default.
	Mode Mode
	// KnownIDNat, when set, tells whether a psc-mode assertion's NameID
	// is a professional the PSC simulator knows.
	KnownIDNat func(idNat string) bool
	// CheckToken, when set, verifies a psc-mode caller's bearer token
	// (when one is sent) and says whose it is: it must be the assertion's
	// NameID. The sandbox leaves it unset until the PSC simulator can
	// introspect its access tokens.
	CheckToken func(token string) (idNat string, ok bool)
	// SlowDelay is how long a FaultSlow answer waits; 30 s.
	SlowDelay time.Duration
}

// Server is the simulated INSi. It is safe for concurrent use.
type Server struct {
	cfg   Config
	idams map[string]bool

	faults misbehave.Switch[Fault]

	mu       sync.Mutex
	requests int
}

// New checks cfg and returns the server.
func New(cfg Config) (*Server, error) {
	if err := checkIdentities(cfg.Identities); err != nil {
		return nil, errors.New("insisim: " + err.Error())
	}
	if len(cfg.IDAMs) == 0 {
		cfg.IDAMs = []string{DefaultIDAM}
	}
	if cfg.Mode == "" {
		cfg.Mode = ModeEither
	}
	if cfg.SlowDelay <= 0 {
		cfg.SlowDelay = 30 * time.Second
	}
	s := &Server{cfg: cfg, idams: map[string]bool{}}
	for _, i := range cfg.IDAMs {
		s.idams[i] = true
	}
	return s, nil
}

// Identities lists the personas.
func (s *Server) Identities() []Identity { return append([]Identity(nil), s.cfg.Identities...) }

// Requests counts the SOAP requests received.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

const maxRequestBytes = 64 << 10

// ServeHTTP answers POST on a path ending in Path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, Path) {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST a SOAP 1.2 envelope", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(ct, "application/soap+xml") {
		writeFault(w, "", faultBadRequest, "Content-Type must be application/soap+xml (SOAP 1.2)")
		return
	}
	req, err := ParseRequest(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		writeFault(w, "", faultBadRequest, "Requête invalide : "+strings.TrimPrefix(err.Error(), errBadRequest.Error()+": "))
		return
	}
	f, _ := s.faults.Next()
	switch f {
	case FaultUnavailable:
		writeFault(w, req.MessageID, faultUnavailable, "")
		return
	case FaultUnknownIDAM:
		writeFault(w, req.MessageID, faultUnknownIDAM, "")
		return
	case FaultWrongCN:
		writeFault(w, req.MessageID, faultAccessLevel, "")
		return
	}
	if !s.idams[req.IDAM] {
		writeFault(w, req.MessageID, faultUnknownIDAM, "")
		return
	}
	if !s.authorised(r, req) {
		writeFault(w, req.MessageID, faultAccessLevel, "")
		return
	}
	var body []byte
	if req.Traits != nil {
		body, err = s.answerTraits(req.Traits)
	} else {
		body, err = s.answerCard(req.Card)
	}
	if err != nil {
		writeFault(w, req.MessageID, faultBadRequest, err.Error())
		return
	}
	switch f {
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		_, _ = w.Write(body[:len(body)/2])
		return
	case FaultSlow:
		if !misbehave.Delay(r.Context(), s.cfg.SlowDelay) {
			return // the client gave up
		}
	}
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	_, _ = w.Write(body)
}
