package ctxsim_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/ctxsim"
)

func TestFaults(t *testing.T) {
	f := newFixture(t)
	f.call(t, http.MethodPut, "tok-b", shareBody("899700000002", "patient-info", strings.Replace(bagA, "899700000001", "899700000002", 1)))

	f.api.Misbehave(ctxsim.FaultUnavailable, 1)
	if status, body := f.call(t, http.MethodGet, "tok-b", ""); status != http.StatusServiceUnavailable || !strings.Contains(body, "503") {
		t.Errorf("unavailable: %d %q", status, body)
	}
	f.api.Misbehave(ctxsim.FaultMalformed, 1)
	if status, body := f.call(t, http.MethodGet, "tok-b", ""); status != http.StatusOK || body != `{"psId": "` {
		t.Errorf("malformed: %d %q", status, body)
	}
	// The upstream defect: A, who shared nothing, reads B's context.
	f.api.Misbehave(ctxsim.FaultCrossProfessional, 1)
	if status, body := f.call(t, http.MethodGet, "tok-a", ""); status != http.StatusOK || !strings.Contains(body, `"psId":"899700000002"`) {
		t.Errorf("cross-professional: %d %q", status, body)
	}
	// Faults are consumed: the next read is right again.
	if status, _ := f.call(t, http.MethodGet, "tok-a", ""); status != http.StatusNotFound {
		t.Errorf("after the faults: %d", status)
	}
	f.api.Misbehave(ctxsim.FaultUnavailable, 3)
	f.api.Behave()
	if status, _ := f.call(t, http.MethodGet, "tok-b", ""); status != http.StatusOK {
		t.Errorf("after Behave: %d", status)
	}
	// A refused token consumes no fault.
	f.api.Misbehave(ctxsim.FaultUnavailable, 1)
	f.call(t, http.MethodGet, "", "")
	if status, _ := f.call(t, http.MethodGet, "tok-b", ""); status != http.StatusServiceUnavailable {
		t.Errorf("fault consumed by a refused request: %d", status)
	}
	for f, want := range map[ctxsim.Fault]string{ctxsim.FaultSlow: "slow", ctxsim.FaultCrossProfessional: "cross-professional", 0: "none"} {
		if f.String() != want {
			t.Errorf("%d: %q", f, f.String())
		}
	}
}

func TestSlowFaultWaitsUntilTheClientGivesUp(t *testing.T) {
	f := newFixture(t, func(c *ctxsim.Config) { c.SlowDelay = time.Hour })
	f.api.Misbehave(ctxsim.FaultSlow, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.url, nil)
	req.Header.Set("Authorization", "Bearer tok-a")
	start := time.Now()
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d", resp.StatusCode)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("slow fault did not end with the client")
	}
	f2 := newFixture(t, func(c *ctxsim.Config) { c.SlowDelay = 10 * time.Millisecond })
	f2.api.Misbehave(ctxsim.FaultSlow, 1)
	if status, _ := f2.call(t, http.MethodGet, "tok-a", ""); status != http.StatusNotFound {
		t.Errorf("slow then normal: %d", status)
	}
}

func TestNewNeedsIntrospection(t *testing.T) {
	if _, err := ctxsim.New(ctxsim.Config{}); err == nil {
		t.Error("no introspection URL accepted")
	}
}
