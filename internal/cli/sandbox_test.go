package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// sandboxOutput is what `infopatient sandbox` prints, read while it runs.
type sandboxOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *sandboxOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *sandboxOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// startSandbox runs `infopatient sandbox args...` until the test ends and
// returns what it printed once it serves, and the address it listens on.
func startSandbox(t *testing.T, args ...string) (printed, listen string) {
	t.Helper()
	t.Setenv("INFOPATIENT_DATA_DIR", t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut sandboxOutput
	done := make(chan int, 1)
	go func() { done <- Run(ctx, append([]string{"sandbox"}, args...), strings.NewReader(""), &out, &errOut) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("sandbox exited with %d: %s", code, errOut.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Stop with Ctrl-C.") {
		select {
		case code := <-done:
			done <- code
			t.Fatalf("sandbox exited with %d: %s %s", code, out.String(), errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("sandbox did not start: %s", errOut.String())
		}
	}
	m := regexp.MustCompile(`listening on (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no listen address in %s", out.String())
	}
	return out.String(), m[1]
}

func printedVar(t *testing.T, printed, name string) string {
	t.Helper()
	m := regexp.MustCompile(name + `=(\S+)`).FindStringSubmatch(printed)
	if m == nil {
		t.Fatalf("%s not printed: %s", name, printed)
	}
	return m[1]
}

// discoveredIssuer fetches the PSC discovery document through the listen
// address, whatever public URL the sandbox was given.
func discoveredIssuer(t *testing.T, listen, path string) string {
	t.Helper()
	resp, err := http.Get("http://" + listen + path + "/psc/auth/realms/esante-wallet/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var d struct {
		Issuer string `json:"issuer"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("discovery: %d %v", resp.StatusCode, err)
	}
	return d.Issuer
}

// -base-url is the sandbox's public address: the issuer and every printed
// endpoint are built on it, not on the listen address.
func TestSandboxCommandBaseURL(t *testing.T) {
	printed, listen := startSandbox(t, "-addr", "127.0.0.1:0", "-base-url", "https://sandbox.example/demo/", "-portal", "https://portal.example")
	const issuer = "https://sandbox.example/demo/psc/auth/realms/esante-wallet"
	if got := discoveredIssuer(t, listen, "/demo"); got != issuer {
		t.Errorf("discovered issuer %q", got)
	}
	if got := printedVar(t, printed, "INFOPATIENT_PSC_ISSUER"); got != issuer {
		t.Errorf("printed issuer %q", got)
	}
	for _, name := range []string{"INFOPATIENT_HIN_AUTHORIZE_URL", "INFOPATIENT_HIN_TOKEN_URL", "INFOPATIENT_HIN_MANUAL_URL", "INFOPATIENT_COVERCARD_URL", "INFOPATIENT_PSC_CONTEXT_URL", "INFOPATIENT_HIN_SDS_URL", "INFOPATIENT_ADRI_URL", "INFOPATIENT_INSI_URL"} {
		if got := printedVar(t, printed, name); !strings.HasPrefix(got, "https://sandbox.example/demo/") {
			t.Errorf("%s=%s", name, got)
		}
	}
	if !strings.Contains(printed, "https://sandbox.example/demo/psc/auth/realms/esante-wallet/sandbox/sessions") || !strings.Contains(printed, "portal registered: https://portal.example") {
		t.Errorf("printed %s", printed)
	}
}

// Without -base-url the address is the listen address's, with 127.0.0.1
// for an unspecified host: never http://[::]:port.
func TestSandboxCommandDefaultBaseURL(t *testing.T) {
	printed, listen := startSandbox(t, "-addr", "0.0.0.0:0")
	_, port, _ := strings.Cut(listen, "]:")
	if port == "" {
		_, port, _ = strings.Cut(listen, ":")
	}
	want := "http://127.0.0.1:" + port + "/sandbox/psc/auth/realms/esante-wallet"
	if got := printedVar(t, printed, "INFOPATIENT_PSC_ISSUER"); got != want {
		t.Errorf("printed issuer %q, want %q", got, want)
	}
	if got := discoveredIssuer(t, "127.0.0.1:"+port, "/sandbox"); got != want {
		t.Errorf("discovered issuer %q", got)
	}
	index := "http://127.0.0.1:" + port + "/sandbox/"
	if !strings.Contains(printed, "Index, test identities and cards: "+index+"\n") {
		t.Errorf("no index printed: %s", printed)
	}
	if resp, err := http.Get(index); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("index: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if strings.Contains(strings.ReplaceAll(printed, "listening on "+listen, ""), listen) || strings.Contains(printed, "http://[::]") || strings.Contains(printed, "http://0.0.0.0") {
		t.Errorf("the unspecified address is printed as a URL: %s", printed)
	}
}

func TestSandboxCommandRefusesABadBaseURL(t *testing.T) {
	t.Setenv("INFOPATIENT_DATA_DIR", t.TempDir())
	for _, bad := range []string{"sandbox.example", "ftp://sandbox.example", "https://sandbox.example/?x=1"} {
		var out, errOut bytes.Buffer
		if code := Run(context.Background(), []string{"sandbox", "-addr", "127.0.0.1:0", "-base-url", bad}, strings.NewReader(""), &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "-base-url") {
			t.Errorf("%s: exit %d %q", bad, code, errOut.String())
		}
	}
}
