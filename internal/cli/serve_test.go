package cli

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe runs `infopatient serve` until the test ends and returns
// what it printed once it serves.
func startServe(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut sandboxOutput
	done := make(chan int, 1)
	go func() { done <- Run(ctx, []string{"serve"}, strings.NewReader(""), &out, &errOut) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited with %d: %s", code, errOut.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Stop with Ctrl-C.") {
		select {
		case code := <-done:
			done <- code
			t.Fatalf("serve exited with %d: %s %s", code, out.String(), errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", errOut.String())
		}
	}
	return out.String()
}

func getPage(t *testing.T, rawURL string) (int, string) {
	t.Helper()
	resp, err := http.Get(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The demo's start-up banner advertises the sandbox's index and the PSC
// sessions page, and both answer, as pages.
func TestDemoBannerAdvertisesTheSandboxPages(t *testing.T) {
	demoEnv(t)
	printed := startServe(t)
	m := regexp.MustCompile(`Sandbox index, test identities and cards: (\S+)`).FindStringSubmatch(printed)
	if m == nil {
		t.Fatalf("no sandbox index in the banner:\n%s", printed)
	}
	index := m[1]
	if !strings.HasSuffix(index, "/sandbox/") {
		t.Errorf("sandbox index %s", index)
	}
	if st, body := getPage(t, index); st != http.StatusOK || !strings.Contains(body, "Bac à sable InfoPatient") {
		t.Errorf("sandbox index: %d %.300s", st, body)
	}
	m = regexp.MustCompile(`Pro Santé Connect sessions \(sign one out to show back-channel logout\): (\S+)`).FindStringSubmatch(printed)
	if m == nil {
		t.Fatalf("no sessions page in the banner:\n%s", printed)
	}
	if !strings.HasSuffix(m[1], "/sandbox/psc/auth/realms/esante-wallet/sandbox/sessions") {
		t.Errorf("sessions page %s", m[1])
	}
	if st, body := getPage(t, m[1]); st != http.StatusOK || !strings.Contains(body, `data-testid="psc-sessions-none"`) {
		t.Errorf("sessions page: %d %.300s", st, body)
	}
}
