package hin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/secretbox"
)

// jitteryHIN is a token endpoint that times its 0.3 requests per second
// from receipt, as HIN does, and whose requests take latency to arrive.
type jitteryHIN struct {
	mu       sync.Mutex
	clock    *testClock
	last     time.Time
	latency  []time.Duration // the network delay of each request, in turn
	requests atomic.Int32
	refused  atomic.Int32
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (h *jitteryHIN) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(h.requests.Add(1)) - 1
	if n < len(h.latency) {
		h.clock.Advance(h.latency[n]) // the request travels
	}
	h.mu.Lock()
	now := h.clock.Now()
	tooSoon := !h.last.IsZero() && now.Sub(h.last) < time.Second*10/3
	if !tooSoon {
		h.last = now
	}
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if tooSoon {
		h.refused.Add(1)
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error":"rate_limited"}`))
		return
	}
	_, _ = w.Write([]byte(`{"access_token":"tok` + string(rune('a'+n)) + `","token_type":"Bearer","expires_in":1}`))
}

func spacedTokens(t *testing.T, h *jitteryHIN) (*ServiceTokens, *atomic.Int64) {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := New(Config{ClientID: "app", ClientSecret: "s", TokenURL: srv.URL, AuthorizeURL: srv.URL, Now: h.clock.Now}, srv.Client())
	box, err := secretbox.New(secretbox.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	var slept atomic.Int64
	s := newServiceTokens(c, ServiceConfig{ClientID: "dev", ClientSecret: "sec", TokenGroup: "g",
		Sleep: func(ctx context.Context, d time.Duration) error {
			slept.Add(int64(d))
			h.clock.Advance(d)
			return ctx.Err()
		},
	}, newMemStore(), box, h.clock.Now)
	return s, &slept
}

// A first request slow to arrive, a second quick one: timed from the send,
// HIN would see them 3.0 s apart and answer 429; timed from the answer,
// with the margin, it never does.
func TestServiceTokensSpacingSurvivesJitter(t *testing.T) {
	h := &jitteryHIN{clock: &testClock{now: time.Unix(1_800_000_000, 0)}, latency: []time.Duration{800 * time.Millisecond, 0, 900 * time.Millisecond, 0}}
	s, _ := spacedTokens(t, h)
	var last string
	for i := range 4 {
		tok, err := s.Refresh(context.Background(), last)
		if err != nil {
			t.Fatalf("token %d: %v", i+1, err)
		}
		last = tok
	}
	if n := h.refused.Load(); n != 0 {
		t.Errorf("HIN answered 429 %d times", n)
	}
}

// A 429 all the same is retried once, after the interval.
func TestServiceTokensRetryOnceAfter429(t *testing.T) {
	h := &jitteryHIN{clock: &testClock{now: time.Unix(1_800_000_000, 0)}}
	h.last = h.clock.Now() // another program used the secret just now
	s, slept := spacedTokens(t, h)
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatalf("after one 429: %v", err)
	}
	if h.refused.Load() != 1 || h.requests.Load() != 2 {
		t.Errorf("%d requests, %d refused; want 2 and 1", h.requests.Load(), h.refused.Load())
	}
	if d := time.Duration(slept.Load()); d < DefaultMinInterval {
		t.Errorf("retried after %v, before the interval", d)
	}
}
