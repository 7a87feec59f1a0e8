package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// bearerRecorder serves a simulator behind a server of its own and
// records the Bearer token of each request ("" for none), so that a test
// sees what the portal sent as whom.
type bearerRecorder struct {
	URL string

	mu      sync.Mutex
	bearers []string
}

func recordBearers(t *testing.T, sim http.Handler) *bearerRecorder {
	t.Helper()
	rec := &bearerRecorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			token = ""
		}
		rec.mu.Lock()
		rec.bearers = append(rec.bearers, token)
		rec.mu.Unlock()
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL
	return rec
}

// sent is the tokens received so far, one per request.
func (rec *bearerRecorder) sent() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.bearers...)
}
