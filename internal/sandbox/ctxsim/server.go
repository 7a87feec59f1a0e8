// Package ctxsim is an offline copy of ANS's context-sharing API
// (prosanteconnect/psc-context-sharing-api): a professional's
// PSC-connected applications PUT the patient in hand to /share and GET
// it back, with the professional's Pro Santé Connect access token as
// Bearer. It behaves as the reference's December 2026 addendum describes
// the real code: the token is checked by RFC 7662 introspection at PSC,
// no token is 403, an inactive one 401 with an empty body, malformed JSON
// 400, an unknown schema or a bag the schema refuses 500 with an empty
// body, and a context lives 900 s counted from each PUT. Unlike the real
// code, which keeps the last bag in a static field, contexts are kept per
// professional; the defect can be switched on (FaultCrossProfessional) to
// show that a client refuses another professional's context. It imports
// nothing of the portal: it is the other party.
package ctxsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/internal/misbehave"
)

// SharePath ends the path of the API's only endpoint; the server answers
// any path ending so, whatever it is mounted under.
const SharePath = "/share"

// DefaultLifetime is how long a context lives after its last PUT.
const DefaultLifetime = 900 * time.Second

// Config describes the simulated API.
type Config struct {
	// IntrospectionURL is PSC's RFC 7662 endpoint,
	// {issuer}/protocol/openid-connect/token/introspect.
	IntrospectionURL string
	// ClientID and ClientSecret authenticate the API at PSC's
	// introspection endpoint (HTTP Basic).
	ClientID, ClientSecret string
	// HTTPClient calls the introspection endpoint; 10 s timeout if nil.
	HTTPClient *http.Client
	// Lifetime of a context from its last PUT; DefaultLifetime if zero.
	Lifetime time.Duration
	// SlowDelay is how long a FaultSlow answer waits; 30 s if zero.
	SlowDelay time.Duration
	Now       func() time.Time
}

// Server is the simulated API. It is safe for concurrent use.
type Server struct {
	cfg    Config
	faults misbehave.Switch[Fault]

	mu       sync.Mutex
	contexts map[string]stored // by psId
	last     *stored           // the last PUT of anyone: the upstream defect's static field
}

type stored struct {
	ctx     Context
	expires time.Time
}

// Context is what the API stores and answers.
type Context struct {
	PsID     string          `json:"psId"`
	SchemaID string          `json:"schemaId"`
	Bag      json.RawMessage `json:"bag"`
}

// New checks cfg and returns the server.
func New(cfg Config) (*Server, error) {
	if cfg.IntrospectionURL == "" || cfg.ClientID == "" {
		return nil, errors.New("ctxsim: an introspection URL and client id are required")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Lifetime <= 0 {
		cfg.Lifetime = DefaultLifetime
	}
	if cfg.SlowDelay <= 0 {
		cfg.SlowDelay = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Server{cfg: cfg, contexts: map[string]stored{}}, nil
}

const maxBody = 64 << 10

// ServeHTTP answers PUT and GET on /share.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, SharePath) {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPut {
		w.Header().Set("Allow", "GET, PUT")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		// The real API answers a missing token with 403, not 401.
		w.WriteHeader(http.StatusForbidden)
		return
	}
	psID, status := s.introspect(r, strings.TrimSpace(token))
	if status != http.StatusOK {
		w.WriteHeader(status)
		return
	}
	f, _ := s.faults.Next()
	switch f {
	case FaultUnavailable:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "<html><body><h1>503 Service Unavailable</h1></body></html>\n")
		return
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"psId": "`)
		return
	case FaultSlow:
		if !misbehave.Delay(r.Context(), s.cfg.SlowDelay) {
			return // the client gave up
		}
	}
	if r.Method == http.MethodPut {
		s.put(w, r, psID)
		return
	}
	s.get(w, psID, f == FaultCrossProfessional)
}

func (s *Server) put(w http.ResponseWriter, r *http.Request, psID string) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	var cx Context
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&cx); err != nil || dec.More() {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if cx.PsID != psID {
		// A professional writes only his or her own context.
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	schema, known := schemas[cx.SchemaID]
	if !known || schema(cx.Bag) != nil {
		// The real API answers a schema failure with 500 and no body.
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	cx.Bag = compact(cx.Bag)
	st := stored{ctx: cx, expires: s.cfg.Now().Add(s.cfg.Lifetime)}
	s.mu.Lock()
	s.contexts[psID] = st
	s.last = &st
	s.mu.Unlock()
	writeJSON(w, cx)
}

func (s *Server) get(w http.ResponseWriter, psID string, crossProfessional bool) {
	now := s.cfg.Now()
	s.mu.Lock()
	st, ok := s.contexts[psID]
	if crossProfessional && s.last != nil {
		st, ok = *s.last, true
	}
	if ok && !now.Before(st.expires) {
		delete(s.contexts, st.ctx.PsID)
		ok = false
	}
	s.mu.Unlock()
	if !ok {
		// Guess: the upstream answer for "nothing shared" is not in the
		// reference; 404 with an empty body here.
		w.WriteHeader(http.StatusNotFound)
		return
	}
	writeJSON(w, st.ctx)
}

// Contexts counts the live contexts, for tests and the index.
func (s *Server) Contexts() int {
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, st := range s.contexts {
		if now.Before(st.expires) {
			n++
		}
	}
	return n
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func compact(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}
