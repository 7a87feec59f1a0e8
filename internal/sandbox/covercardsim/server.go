// Package covercardsim is an offline Covercard (OFAC): the service that
// tells, for a Swiss health insurance card number, who the insured person
// is and how they are insured. It checks the caller's HIN access token
// with the HIN simulator, answers ReturnType 42a in windows-1252 with a
// DOCTYPE, as Covercard does, and can be told to misbehave. It imports
// nothing of the portal: it is the other party.
package covercardsim

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/hinsim"

	"github.com/infopatient/infopatient/internal/sandbox/internal/misbehave"
)

// ServletPath ends the path of Covercard's servlet; the server answers
// any path ending so, whatever it is mounted under.
const ServletPath = "/covercard/servlet/ch.ofac.ca.covercard.CaValidationHorizontale"

// dtdPath is where the DOCTYPE's DTD lives, beside the servlet. The
// server serves it and counts fetches: a client must never fetch it.
const dtdPath = "/covercard/dtd/covercardResponse42a.dtd"

// TokenChecker tells who an access token belongs to; *hinsim.Server is one.
type TokenChecker interface {
	Introspect(accessToken string) (hinsim.TokenInfo, error)
}

// Config describes the simulated Covercard.
type Config struct {
	Cards  []Card
	Tokens TokenChecker
	// TokenGroup is the HIN token group Covercard requires; hin_covercard.
	TokenGroup string
	// ZSRNumber is the ZSRno in answers; a sandbox value by default.
	ZSRNumber string
	// SlowDelay is how long a FaultSlow answer waits; 30 s.
	SlowDelay time.Duration
	Now       func() time.Time
}

// Server is the simulated Covercard. It is safe for concurrent use.
type Server struct {
	cfg   Config
	cards map[string]Card

	// faults has a lock of its own.
	faults misbehave.Switch[Fault]

	mu      sync.Mutex
	stats   Stats
	queries int
}

// New checks cfg and returns the server.
func New(cfg Config) (*Server, error) {
	if cfg.Tokens == nil {
		return nil, errors.New("covercardsim: a token checker is required")
	}
	if err := checkCards(cfg.Cards); err != nil {
		return nil, fmt.Errorf("covercardsim: %w", err)
	}
	if cfg.TokenGroup == "" {
		cfg.TokenGroup = "hin_covercard"
	}
	if cfg.ZSRNumber == "" {
		cfg.ZSRNumber = "Z999999"
	}
	if cfg.SlowDelay <= 0 {
		cfg.SlowDelay = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, cards: map[string]Card{}, stats: Stats{ByHINID: map[string]int{}}}
	for _, c := range cfg.Cards {
		s.cards[c.Number] = c
	}
	return s, nil
}

// Cards lists the test cards.
func (s *Server) Cards() []Card { return append([]Card(nil), s.cfg.Cards...) }

const maxFormBytes = 16 << 10

// ServeHTTP answers CaValidationHorizontale (GET or form POST) and the DTD.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasSuffix(r.URL.Path, ServletPath):
		s.serveValidation(w, r)
	case strings.HasSuffix(r.URL.Path, dtdPath):
		s.serveDTD(w)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) serveValidation(w http.ResponseWriter, r *http.Request) {
	s.count(func(st *Stats) { st.Requests++ })
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		s.refuse(w, http.StatusMethodNotAllowed, "GET or POST")
		return
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		// 400, not 401: HIN's protected applications answer "400 no
		// Authorization header", as the reference on HIN and Covercard
		// says (hin-and-covercard.md, "Token endpoint errors"); 401 is for
		// a token invalid or expired, 403 for one lacking permission.
		s.refuse(w, http.StatusBadRequest, "no Authorization header")
		return
	}
	info, status := s.authorize(auth)
	if status != http.StatusOK {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		}
		s.refuse(w, status, "access token refused")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.refuse(w, http.StatusBadRequest, "unreadable parameters")
		return
	}
	card, langue := strings.TrimSpace(r.Form.Get("carte")), r.Form.Get("langue")
	switch {
	case !strings.EqualFold(r.Form.Get("type"), "XML"):
		s.refuse(w, http.StatusBadRequest, "type must be XML")
		return
	case r.Form.Get("ReturnType") != "42a":
		s.refuse(w, http.StatusBadRequest, "ReturnType must be 42a")
		return
	case card == "":
		s.refuse(w, http.StatusBadRequest, "carte is required")
		return
	}
	s.count(func(st *Stats) { st.ByHINID[info.HINID]++ })
	body, err := s.document(card, langue, dtdURL(r))
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if !s.applyFault(w, r, body) {
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=windows-1252")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
	s.count(func(st *Stats) { st.Answered++ })
}

// authorize checks a Bearer token: 401 unknown or expired, 403 for a
// token of another token group.
func (s *Server) authorize(header string) (hinsim.TokenInfo, int) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return hinsim.TokenInfo{}, http.StatusUnauthorized
	}
	info, err := s.cfg.Tokens.Introspect(strings.TrimSpace(token))
	if err != nil {
		return hinsim.TokenInfo{}, http.StatusUnauthorized
	}
	if info.TokenGroup != s.cfg.TokenGroup {
		return info, http.StatusForbidden
	}
	return info, http.StatusOK
}

// document is the encoded answer about card.
func (s *Server) document(number, langue, dtd string) ([]byte, error) {
	now := s.cfg.Now()
	s.mu.Lock()
	s.queries++
	query := fmt.Sprintf("SBX-%s-%06d", now.Format("20060102"), s.queries)
	s.mu.Unlock()
	var card *Card
	if c, ok := s.cards[number]; ok {
		card = &c
	}
	if card != nil && card.Scenario == ScenarioMalformed {
		return malformedDocument(number), nil
	}
	return encodeDocument(s.answerFor(number, card, langue, now, query), dtd)
}

// dtdURL is the DTD beside the servlet, on the host the client called.
func dtdURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	prefix := strings.TrimSuffix(r.URL.Path, ServletPath)
	return scheme + "://" + r.Host + prefix + dtdPath
}

// serveDTD answers a DTD fetch, which a safe client never makes.
func (s *Server) serveDTD(w http.ResponseWriter) {
	s.count(func(st *Stats) { st.DTDFetches++ })
	w.Header().Set("Content-Type", "application/xml-dtd")
	_, _ = w.Write([]byte("<!-- Covercard sandbox: a client that reads this fetched an external DTD. -->\n<!ELEMENT " + rootName + " ANY>\n"))
}

func (s *Server) refuse(w http.ResponseWriter, status int, msg string) {
	s.count(func(st *Stats) { st.Refused++ })
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, msg, status)
}

// Stats counts what the simulator saw.
type Stats struct {
	Requests   int            // servlet requests
	Answered   int            // XML answers sent whole
	Refused    int            // 4xx answers
	DTDFetches int            // fetches of the DOCTYPE's DTD: should stay 0
	ByHINID    map[string]int // accepted requests by the token's hin_id
}

// Stats returns a copy of the counts.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.ByHINID = make(map[string]int, len(s.stats.ByHINID))
	for k, v := range s.stats.ByHINID {
		st.ByHINID[k] = v
	}
	return st
}

func (s *Server) count(f func(*Stats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.stats)
}
