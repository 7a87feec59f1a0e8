package hinsim

import (
	"net/http"
	"net/url"

	"github.com/infopatient/infopatient/internal/sandbox/internal/misbehave"
)

// Fault is a way for the token endpoint to misbehave, so that a client's
// error handling can be shown and tested.
type Fault int

// Faults, consumed one per token request in the order queued.
const (
	// FaultServerError answers 503 with an HTML page.
	FaultServerError Fault = iota + 1
	// FaultGarbage answers 200 with a body that is not JSON.
	FaultGarbage
	// FaultIncomplete answers 200 with JSON that lacks an access token.
	FaultIncomplete
	// FaultInvalidGrant answers 400 invalid_grant and revokes the refresh
	// token presented, as when HIN withdraws a user's grant.
	FaultInvalidGrant
	// FaultSlow waits Config.SlowDelay (or until the client gives up)
	// before answering normally.
	FaultSlow
)

func (f Fault) String() string {
	switch f {
	case FaultServerError:
		return "server-error"
	case FaultGarbage:
		return "garbage"
	case FaultIncomplete:
		return "incomplete"
	case FaultInvalidGrant:
		return "invalid-grant"
	case FaultSlow:
		return "slow"
	}
	return "none"
}

// Misbehave queues fault for the next n token requests.
func (s *Server) Misbehave(f Fault, n int) { s.faults.Arm(f, n) }

// MisbehaveSDS queues fault for the next n requests to the directory's
// profile: FaultServerError (503), FaultGarbage (200, not JSON),
// FaultIncomplete (200, JSON without loginName), FaultInvalidGrant (401,
// the token revoked meanwhile), FaultSlow.
func (s *Server) MisbehaveSDS(f Fault, n int) { s.sdsFaults.Arm(f, n) }

// Behave forgets the queued faults, the directory's included.
func (s *Server) Behave() {
	s.faults.Reset()
	s.sdsFaults.Reset()
}

// writeUnavailable answers as a server down for maintenance behind its
// proxy: 503 with an HTML page.
func writeUnavailable(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte("<html><body><h1>503 Service Unavailable</h1></body></html>\n"))
}

// writeMaintenanceAsJSON answers 200 with a maintenance page announced as
// JSON: what a client must not take for an answer.
func writeMaintenanceAsJSON(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte("<html><body>Wartungsarbeiten / maintenance</body></html>\n"))
}

// applySDSFault plays the directory's next queued fault, if any; it
// reports whether the request should still be served normally.
func (s *Server) applySDSFault(w http.ResponseWriter, r *http.Request) bool {
	f, ok := s.sdsFaults.Next()
	if !ok {
		return true
	}
	switch f {
	case FaultServerError:
		writeUnavailable(w)
	case FaultGarbage:
		writeMaintenanceAsJSON(w)
	case FaultIncomplete:
		writeJSON(w, http.StatusOK, map[string]any{"contactId": map[string]any{"firstName": "Claudia"}})
	case FaultInvalidGrant:
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeTokenError(w, http.StatusUnauthorized, "invalid_token", "access token revoked")
	case FaultSlow:
		return misbehave.Delay(r.Context(), s.cfg.SlowDelay)
	}
	return false
}

// applyFault plays the next queued fault, if any; it reports whether the
// request should still be served normally.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, form url.Values) bool {
	f, ok := s.faults.Next()
	if !ok {
		return true
	}
	switch f {
	case FaultServerError:
		writeUnavailable(w)
	case FaultGarbage:
		writeMaintenanceAsJSON(w)
	case FaultIncomplete:
		writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3600})
	case FaultInvalidGrant:
		if rt := form.Get("refresh_token"); rt != "" {
			s.mu.Lock()
			delete(s.grants.refresh, rt)
			s.mu.Unlock()
		}
		writeTokenError(w, http.StatusBadRequest, errInvalidGrant, "grant revoked")
	case FaultSlow:
		// If the client gives up, the request is dropped unanswered.
		return misbehave.Delay(r.Context(), s.cfg.SlowDelay)
	}
	return false
}

// Stats counts token requests by grant type, as received (refused ones
// included), and the token answers issued.
type Stats struct {
	AuthorizationCode int
	RefreshToken      int
	ClientCredentials int
	Other             int // missing or unknown grant_type
	Issued            int
}

// Stats returns the counts so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}
