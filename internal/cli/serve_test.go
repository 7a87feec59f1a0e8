package cli

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// startServe runs `infopatient serve` until the test ends and returns
// what it printed once it serves.
func startServe(t *testing.T) string {
	t.Helper()
	// A metrics listener of its own: the default address may be another
	// portal's on this machine.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("INFOPATIENT_METRICS_ADDR", ln.Addr().String())
	ln.Close()
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

// welcomeWith prints the banner of a demo configured by vars, with the
// sandbox the application would mount.
func welcomeWith(t *testing.T, vars map[string]string) string {
	t.Helper()
	vars["INFOPATIENT_DATA_DIR"] = t.TempDir()
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	sb, err := sandbox.New(sandbox.Config{BaseURL: cfg.BaseURL + "/sandbox", PortalURL: cfg.BaseURL, Data: data.Files})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	welcome(cfg, sb, IO{Out: &out})
	return out.String()
}

// With INFOPATIENT_DEMO=true beside real authorities, the banner says
// which authorities are the configured ones and which the sandbox
// simulates, and offers only the simulated sign-ins and cards.
func TestDemoBannerSaysWhichAuthoritiesAreSimulated(t *testing.T) {
	realPSC := map[string]string{"INFOPATIENT_PSC_ENV": "bas", "INFOPATIENT_PSC_CLIENT_ID": "infopatient", "INFOPATIENT_PSC_CLIENT_SECRET": "s"}
	realHIN := map[string]string{"INFOPATIENT_HIN_CLIENT_ID": "ch.infopatient", "INFOPATIENT_HIN_CLIENT_SECRET": "s"}
	realCovercard := map[string]string{"INFOPATIENT_COVERCARD_URL": "https://oauth2.covercard.hin.ch/covercard/servlet/ch.ofac.ca.covercard.CaValidationHorizontale"}
	vars := func(sets ...map[string]string) map[string]string {
		out := map[string]string{"INFOPATIENT_DEMO": "true", "INFOPATIENT_ADDR": "127.0.0.1:18080"}
		for _, s := range sets {
			maps.Copy(out, s)
		}
		return out
	}
	const (
		allSimulated = "Demo mode: Pro Santé Connect, HIN and Covercard are simulated in this process (http://127.0.0.1:18080/sandbox/)."
		mixed        = "Demo mode, with configured authorities; the sandbox (http://127.0.0.1:18080/sandbox/) stands in for the others:"
		pscIssuer    = "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet"
		sessions     = "Pro Santé Connect sessions (sign one out to show back-channel logout): http://127.0.0.1:18080/sandbox/psc/auth/realms/esante-wallet/sandbox/sessions"
		ecps         = `"SE CONNECTER par e-CPS", choose VIRGINIE MEDECIN and type the test card code 1234`
		hinHint      = `"SE CONNECTER avec HIN" and choose Dr. Claudia Muster (cmuster)`
		swissCards   = "card 80756000000000000001 (Switzerland, valid)"
	)
	for _, tc := range []struct {
		name    string
		vars    map[string]string
		want    []string
		notWant []string
	}{
		{"all simulated", vars(), []string{allSimulated, sessions, ecps, hinHint, swissCards, "Sandbox index, test identities and cards: http://127.0.0.1:18080/sandbox/"},
			[]string{mixed, "(configured)", "PSC context sharing", "HIN directory"}},
		{"real PSC", vars(realPSC), []string{mixed,
			"  Pro Santé Connect: " + pscIssuer + " (configured)\n",
			"  HIN and Covercard: simulated in this process\n", hinHint, swissCards},
			[]string{allSimulated, sessions, ecps}},
		{"real HIN and Covercard", vars(realHIN, realCovercard), []string{mixed,
			"  Pro Santé Connect: simulated in this process\n",
			"  HIN: https://apps.hin.ch/REST/v1/OAuth/GetAuthCode (configured)\n",
			"  Covercard: https://oauth2.covercard.hin.ch/covercard/servlet/ch.ofac.ca.covercard.CaValidationHorizontale (configured)\n",
			sessions, ecps, "Patients: NIR 2 84 02 75 115 023, born 1984-02-11 (France). More in README.md."},
			[]string{allSimulated, hinHint, swissCards}},
		{"real HIN alone", vars(realHIN), []string{mixed,
			"  HIN: https://apps.hin.ch/REST/v1/OAuth/GetAuthCode (configured)\n",
			"  Covercard: off (HIN is the configured one, and its tokens must not go to the sandbox's Covercard)\n",
			"  HIN directory (name, GLN): off (HIN or Covercard is the configured one, and a real HIN token must not reach the sandbox)\n"},
			[]string{hinHint, swissCards, "HIN and Covercard"}},
		{"all real", vars(realPSC, realHIN, realCovercard), []string{"Demo mode, every authority configured; the sandbox (http://127.0.0.1:18080/sandbox/) stands in for none:",
			"  Pro Santé Connect: " + pscIssuer + " (configured)\n", "  HIN: https://apps.hin.ch/REST/v1/OAuth/GetAuthCode (configured)\n",
			"  PSC context sharing: off (Pro Santé Connect is the configured one", "  HIN directory (name, GLN): off ("},
			[]string{mixed, "simulated in this process", sessions, ecps, hinHint, swissCards}},
	} {
		printed := welcomeWith(t, tc.vars)
		for _, w := range tc.want {
			if !strings.Contains(printed, w) {
				t.Errorf("%s: the banner lacks %q:\n%s", tc.name, w, printed)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(printed, w) {
				t.Errorf("%s: the banner says %q:\n%s", tc.name, w, printed)
			}
		}
		if !strings.HasSuffix(printed, "Stop with Ctrl-C.\n") {
			t.Errorf("%s: the banner ends %q", tc.name, printed[max(0, len(printed)-40):])
		}
	}
}
