package pscsim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Sign-ins in progress are bounded, as HIN's are: past maxPending, a new
// one is refused with a page, not remembered.
func TestPendingSignInsAreCapped(t *testing.T) {
	p := &Provider{
		cfg:     Config{Issuer: "https://psc.example/realm", Now: time.Now},
		clients: map[string]Client{"rp": {ID: "rp", Secret: "s", RedirectURIs: []string{"https://rp.example/cb"}}},
		pros:    map[string]Professional{}, pending: map[string]*pendingAuth{}, codes: map[string]*authCode{},
		usedCodes: map[string]time.Time{}, access: map[string]*grant{}, refresh: map[string]*grant{}, sessions: map[string]*session{},
		basePath: "/realm",
	}
	for i := range maxPending {
		p.pending[strconv.Itoa(i)] = &pendingAuth{expires: time.Now().Add(time.Hour)}
	}
	q := url.Values{"client_id": {"rp"}, "redirect_uri": {"https://rp.example/cb"}, "response_type": {"code"}, "scope": {"openid"}, "state": {"s"}}
	rec := httptest.NewRecorder()
	p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/realm/protocol/openid-connect/auth?"+q.Encode(), nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "Trop d&#39;identifications") || len(p.pending) != maxPending {
		t.Errorf("%d %d %.300s", rec.Code, len(p.pending), rec.Body.String())
	}
	// Once some expire, sign-ins start again.
	for _, pa := range p.pending {
		pa.expires = time.Now().Add(-time.Second)
		break
	}
	p.nextSweep = time.Time{}
	rec = httptest.NewRecorder()
	p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/realm/protocol/openid-connect/auth?"+q.Encode(), nil))
	if rec.Code != http.StatusOK {
		t.Errorf("after expiry: %d", rec.Code)
	}
}
