package hinsim

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMisbehave(t *testing.T) {
	tests := []struct {
		fault  Fault
		status int
		check  func(a tokenAnswer) bool
	}{
		{FaultServerError, 503, func(a tokenAnswer) bool { return strings.Contains(a.Raw, "<html>") }},
		{FaultGarbage, 200, func(a tokenAnswer) bool { return a.AccessToken == "" && !strings.HasPrefix(a.Raw, "{") }},
		{FaultIncomplete, 200, func(a tokenAnswer) bool { return a.AccessToken == "" && a.TokenType == "Bearer" }},
		{FaultInvalidGrant, 400, func(a tokenAnswer) bool { return a.Error == "invalid_grant" }},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			h := newHarness(t)
			first := h.token("", codeForm(h.authorize("cmuster").Get("code"), testRedirectURI))
			h.sim.Misbehave(tt.fault, 1)
			a := h.token("", refreshForm(first.RefreshToken))
			if a.Status != tt.status || !tt.check(a) {
				t.Fatalf("answer %d %q", a.Status, a.Raw)
			}
			// One fault only; then HIN behaves, except that an invalid_grant
			// revoked the refresh token for good.
			next := h.token("", refreshForm(first.RefreshToken))
			if tt.fault == FaultInvalidGrant {
				if next.Error != "invalid_grant" {
					t.Fatalf("revoked refresh token works: %d", next.Status)
				}
			} else if next.Status != 200 {
				t.Fatalf("after the fault: %d %s", next.Status, next.Raw)
			}
		})
	}
}

func TestMisbehaveQueueAndBehave(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.ClientCredentialsInterval = time.Nanosecond })
	h.sim.Misbehave(FaultServerError, 2)
	h.sim.Misbehave(FaultGarbage, 1)
	var got []int
	for range 4 {
		h.clock.Advance(time.Second)
		a := h.token(testGroup, ccForm(testDeviceID, testDeviceSec))
		got = append(got, a.Status)
		if a.Status == 200 && a.AccessToken == "" {
			got[len(got)-1] = -200 // garbage
		}
	}
	if want := []int{503, 503, -200, 200}; !slices.Equal(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	h.sim.Misbehave(FaultServerError, 5)
	h.sim.Behave()
	h.clock.Advance(time.Second)
	if a := h.token(testGroup, ccForm(testDeviceID, testDeviceSec)); a.Status != 200 {
		t.Fatalf("after Behave: %d", a.Status)
	}
	if s := h.sim.Stats(); s.ClientCredentials != 5 || s.Issued != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestMisbehaveSlow(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.SlowDelay = time.Hour })
	h.sim.Misbehave(FaultSlow, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	a := h.tokenCtx(ctx, testGroup, ccForm(testDeviceID, testDeviceSec))
	if a.Status != -1 {
		t.Fatalf("slow answer arrived: %d", a.Status)
	}
	// The dropped request issued nothing and spent no budget.
	if a := h.token(testGroup, ccForm(testDeviceID, testDeviceSec)); a.Status != 200 {
		t.Fatalf("next: %d %s", a.Status, a.Raw)
	}
	if s := h.sim.Stats(); s.Issued != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestMisbehaveSlowThenAnswers(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.SlowDelay = 20 * time.Millisecond })
	h.sim.Misbehave(FaultSlow, 1)
	start := time.Now()
	a := h.token(testGroup, ccForm(testDeviceID, testDeviceSec))
	if a.Status != 200 || time.Since(start) < 20*time.Millisecond {
		t.Fatalf("%d after %v", a.Status, time.Since(start))
	}
}

func TestFaultNames(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range []Fault{0, FaultServerError, FaultGarbage, FaultIncomplete, FaultInvalidGrant, FaultSlow} {
		if seen[f.String()] {
			t.Errorf("%d: name %q used twice", f, f)
		}
		seen[f.String()] = true
	}
}
