package covercardsim

import (
	"net/http"
	"strconv"

	"github.com/infopatient/infopatient/internal/sandbox/internal/misbehave"
)

// Fault is a way for Covercard to misbehave, consumed one per accepted
// request in the order queued.
type Fault int

// Faults.
const (
	// FaultServerError answers 500 with an HTML page.
	FaultServerError Fault = iota + 1
	// FaultSlow waits Config.SlowDelay (or until the client gives up)
	// before answering normally.
	FaultSlow
	// FaultTruncated announces the whole answer's length, sends half of it
	// and closes the connection.
	FaultTruncated
	// FaultGarbage answers 200 with an HTML maintenance page.
	FaultGarbage
	// FaultUnauthorized answers 401 once, as if the token had just been
	// withdrawn, so that a client's refresh-and-retry can be shown.
	FaultUnauthorized
)

func (f Fault) String() string {
	switch f {
	case FaultServerError:
		return "server-error"
	case FaultSlow:
		return "slow"
	case FaultTruncated:
		return "truncated"
	case FaultGarbage:
		return "garbage"
	case FaultUnauthorized:
		return "unauthorized"
	}
	return "none"
}

// Misbehave queues fault for the next n accepted requests.
func (s *Server) Misbehave(f Fault, n int) { s.faults.Arm(f, n) }

// Behave forgets the queued faults.
func (s *Server) Behave() { s.faults.Reset() }

// applyFault plays the next queued fault, if any, given the answer that
// would be sent; it reports whether that answer should still be sent.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, body []byte) bool {
	f, _ := s.faults.Next()
	switch f {
	case FaultServerError:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("<html><body><h1>500 Internal Server Error</h1></body></html>\n"))
	case FaultSlow:
		return misbehave.Delay(r.Context(), s.cfg.SlowDelay)
	case FaultTruncated:
		w.Header().Set("Content-Type", "text/xml; charset=windows-1252")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		// Ending the handler short of the announced length makes the
		// server close the connection: the client sees a cut answer.
		_, _ = w.Write(body[:len(body)/2])
	case FaultGarbage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<html><body>Wartungsarbeiten — maintenance en cours</body></html>\n"))
	case FaultUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "access token refused", http.StatusUnauthorized)
	default:
		return true
	}
	return false
}
