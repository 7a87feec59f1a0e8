package covercardsim

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	tests := []struct {
		fault Fault
		check func(t *testing.T, a answer)
	}{
		{FaultServerError, func(t *testing.T, a answer) {
			if a.Status != 500 {
				t.Errorf("status %d", a.Status)
			}
		}},
		{FaultTruncated, func(t *testing.T, a answer) {
			if a.Err == nil {
				t.Errorf("truncated body read without error (%d bytes)", len(a.Body))
			}
			if _, err := decode(a.Body); err == nil {
				t.Error("half a document decodes")
			}
		}},
		{FaultGarbage, func(t *testing.T, a answer) {
			if a.Status != 200 || !bytes.HasPrefix(a.Body, []byte("<html>")) {
				t.Errorf("%d %q", a.Status, a.Body)
			}
		}},
		{FaultUnauthorized, func(t *testing.T, a answer) {
			if a.Status != 401 || a.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("status %d", a.Status)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			h := newHarness(t)
			h.sim.Misbehave(tt.fault, 1)
			tt.check(t, h.lookup(cardZoe, "1", "good#+token"))
			if a := h.lookup(cardZoe, "1", "good#+token"); a.Status != 200 || a.Err != nil {
				t.Fatalf("after the fault: %d %v", a.Status, a.Err)
			}
		})
	}
}

func TestFaultsSkipRefusedRequests(t *testing.T) {
	h := newHarness(t)
	h.sim.Misbehave(FaultServerError, 1)
	if a := h.lookup(cardZoe, "1", "forged"); a.Status != 401 {
		t.Fatalf("refused request: %d", a.Status)
	}
	if a := h.lookup(cardZoe, "1", "good#+token"); a.Status != 500 {
		t.Fatalf("fault not kept for the accepted request: %d", a.Status)
	}
	h.sim.Misbehave(FaultServerError, 3)
	h.sim.Behave()
	if a := h.lookup(cardZoe, "1", "good#+token"); a.Status != 200 {
		t.Fatalf("after Behave: %d", a.Status)
	}
}

func TestFaultSlow(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.SlowDelay = time.Hour })
	h.sim.Misbehave(FaultSlow, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.servletURL()+"?"+query(cardZoe, "1").Encode(), nil)
	req.Header.Set("Authorization", "Bearer good#+token")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("slow answer arrived: %d", resp.StatusCode)
	}

	h2 := newHarness(t, func(c *Config) { c.SlowDelay = 20 * time.Millisecond })
	h2.sim.Misbehave(FaultSlow, 1)
	start := time.Now()
	if a := h2.lookup(cardZoe, "1", "good#+token"); a.Status != 200 || time.Since(start) < 20*time.Millisecond {
		t.Fatalf("%d after %v", a.Status, time.Since(start))
	}
}

func TestFaultNames(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range []Fault{0, FaultServerError, FaultSlow, FaultTruncated, FaultGarbage, FaultUnauthorized} {
		if seen[f.String()] {
			t.Errorf("name %q twice", f)
		}
		seen[f.String()] = true
	}
}
