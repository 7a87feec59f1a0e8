package hin

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
	"github.com/infopatient/infopatient/internal/secretbox"
)

// serviceTokens builds an instance whose waits move the shared clock, so
// that the spacing costs no real time.
func (e *env) serviceTokens(slept *atomic.Int64) *ServiceTokens {
	cfg := ServiceConfig{
		ClientID: testDeviceID, ClientSecret: testDeviceSec,
		Sleep: func(ctx context.Context, d time.Duration) error {
			if slept != nil {
				slept.Add(int64(d))
			}
			e.clock.Advance(d)
			return ctx.Err()
		},
	}
	return NewServiceTokens(e.client, cfg, e.store, e.box)
}

func TestServiceTokensOneRequestForManyCallers(t *testing.T) {
	e := newEnv(t)
	// Two instances over one store, 100 callers each, nothing cached.
	instances := []*ServiceTokens{e.serviceTokens(nil), e.serviceTokens(nil)}
	const n = 200
	got := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = instances[i%2].Token(context.Background()) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if got[i] != got[0] {
			t.Fatal("callers got different tokens")
		}
	}
	if s := e.sim.Stats(); s.ClientCredentials != 1 {
		t.Fatalf("%d client-credentials requests, want 1", s.ClientCredentials)
	}
	if info, err := e.sim.Introspect(got[0]); err != nil || !info.ClientCredentials || info.TokenGroup != testGroup {
		t.Fatalf("%+v %v", info, err)
	}
}

func TestServiceTokensCachedInMemory(t *testing.T) {
	e := newEnv(t)
	s := e.serviceTokens(nil)
	first, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.store.getErr = errors.New("database is down")
	for range 10 {
		e.clock.Advance(5 * time.Minute) // 50 minutes: still fresh
		if got, err := s.Token(context.Background()); err != nil || got != first {
			t.Fatalf("%q %v", got, err)
		}
	}
	if n := e.sim.Stats().ClientCredentials; n != 1 {
		t.Fatalf("%d requests", n)
	}
}

func TestServiceTokensSurviveRestart(t *testing.T) {
	e := newEnv(t)
	first, err := e.serviceTokens(nil).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(10 * time.Minute)
	restarted := e.serviceTokens(nil)
	got, err := restarted.Token(context.Background())
	if err != nil || got != first {
		t.Fatalf("%q %v", got, err)
	}
	if n := e.sim.Stats().ClientCredentials; n != 1 {
		t.Fatalf("restart asked HIN again: %d requests", n)
	}
	if raw := e.store.raw("hin:cc:" + testGroup); len(raw) == 0 || bytes.Contains(raw, []byte(first)) {
		t.Fatal("service token not sealed in the store")
	}
}

func TestServiceTokensRenewBeforeExpiry(t *testing.T) {
	e := newEnv(t)
	s := e.serviceTokens(nil)
	first, _ := s.Token(context.Background())
	e.clock.Advance(time.Hour - 30*time.Second)
	second, err := s.Token(context.Background())
	if err != nil || second == first {
		t.Fatalf("%q %v", second, err)
	}
	if n := e.sim.Stats().ClientCredentials; n != 2 {
		t.Fatalf("%d requests", n)
	}
}

func TestServiceTokensRefreshRespectsTheInterval(t *testing.T) {
	e := newEnv(t)
	var slept atomic.Int64
	s := e.serviceTokens(&slept)
	first, _ := s.Token(context.Background())
	e.clock.Advance(time.Second)
	// Covercard refused the token one second after it came: the new
	// request waits until the interval after the first, and HIN accepts it.
	const n = 50
	got := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var err error
			if got[i], err = s.Refresh(context.Background(), first); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if st := e.sim.Stats(); st.ClientCredentials != 2 || st.Issued != 2 {
		t.Fatalf("stats %+v", st)
	}
	if d := time.Duration(slept.Load()); d != DefaultMinInterval-time.Second {
		t.Fatalf("waited %v", d)
	}
	for _, g := range got {
		if g == first || g != got[0] {
			t.Fatalf("got %q", g)
		}
	}
	// A stale refusal of the first token gets the current one for free.
	if g, err := s.Refresh(context.Background(), first); err != nil || g != got[0] || e.sim.Stats().ClientCredentials != 2 {
		t.Fatalf("%q %v", g, err)
	}
	// And the cache now serves the new token.
	if g, _ := s.Token(context.Background()); g != got[0] {
		t.Fatal("cache not updated")
	}
}

func TestServiceTokensIntervalAcrossInstances(t *testing.T) {
	e := newEnv(t)
	var slept atomic.Int64
	first, _ := e.serviceTokens(nil).Token(context.Background())
	e.clock.Advance(time.Second)
	// Another instance, with an empty cache, is told the token was refused.
	other := e.serviceTokens(&slept)
	if _, err := other.Refresh(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	if d := time.Duration(slept.Load()); d != DefaultMinInterval-time.Second {
		t.Fatalf("waited %v", d)
	}
}

func TestServiceTokensFailedAttemptCounts(t *testing.T) {
	e := newEnv(t)
	var slept atomic.Int64
	s := e.serviceTokens(&slept)
	e.sim.Misbehave(hinsim.FaultServerError, 1)
	if _, err := s.Token(context.Background()); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("%v", err)
	}
	// The retry waits: HIN counted the failed attempt too.
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Duration(slept.Load()); d != DefaultMinInterval {
		t.Fatalf("waited %v", d)
	}
}

func TestServiceTokensCallerDeadline(t *testing.T) {
	e := newEnv(t)
	gate := make(chan struct{})
	waiting := make(chan time.Duration, 1)
	s := NewServiceTokens(e.client, ServiceConfig{
		ClientID: testDeviceID, ClientSecret: testDeviceSec,
		Sleep: func(ctx context.Context, d time.Duration) error {
			waiting <- d
			select {
			case <-gate:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
	}, e.store, e.box)
	first, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Refused at once: the renewal must wait 3.4 s; the caller cannot.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.Refresh(ctx, first); !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v", err)
	}
	if d := <-waiting; d != DefaultMinInterval {
		t.Fatalf("renewal waits %v", d)
	}
	// The renewal goes on for later callers once the interval has passed.
	e.clock.Advance(DefaultMinInterval)
	close(gate)
	second, err := s.Refresh(context.Background(), first)
	if err != nil || second == first {
		t.Fatalf("%q %v", second, err)
	}
	if n := e.sim.Stats().ClientCredentials; n != 2 {
		t.Fatalf("%d requests", n)
	}
}

func TestServiceTokensRefused(t *testing.T) {
	e := newEnv(t)
	s := NewServiceTokens(e.client, ServiceConfig{ClientID: testDeviceID, ClientSecret: "wrong#secret"}, e.store, e.box)
	_, err := s.Token(context.Background())
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("%v", err)
	}
	assertNoSecrets(t, err, "wrong#secret")
}

func TestServiceTokensUnreadableRecord(t *testing.T) {
	e := newEnv(t)
	first, _ := e.serviceTokens(nil).Token(context.Background())
	otherBox, _ := secretbox.New(secretbox.GenerateKey())
	e.clock.Advance(10 * time.Second)
	s := NewServiceTokens(e.client, ServiceConfig{ClientID: testDeviceID, ClientSecret: testDeviceSec}, e.store, otherBox)
	got, err := s.Token(context.Background())
	if err != nil || got == first {
		t.Fatalf("%q %v", got, err)
	}
}

func TestServiceTokensDefaults(t *testing.T) {
	e := newEnv(t)
	s := NewServiceTokens(e.client, ServiceConfig{ClientID: "x", ClientSecret: "y"}, e.store, e.box)
	if s.cfg.TokenGroup != testGroup || s.cfg.MinInterval != DefaultMinInterval || s.key != "hin:cc:hin_covercard" {
		t.Fatalf("%+v %s", s.cfg, s.key)
	}
	var _ TokenSource = s
	if per := float64(time.Second) / float64(DefaultMinInterval); per > 0.3 {
		t.Fatalf("%.2f requests per second", per)
	}
}
