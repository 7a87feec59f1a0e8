package cli

import (
	"bytes"
	"context"
	"net"
	"regexp"
	"strings"
	"testing"
)

// run executes a command line with the environment of a fresh demo.
func run(t *testing.T, stdin string, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Run(context.Background(), args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

func demoEnv(t *testing.T) {
	t.Setenv("INFOPATIENT_DATA_DIR", t.TempDir())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	t.Setenv("INFOPATIENT_ADDR", addr)
}

func TestConfigMasksSecrets(t *testing.T) {
	demoEnv(t)
	t.Setenv("INFOPATIENT_PSC_ENV", "bas")
	t.Setenv("INFOPATIENT_PSC_CLIENT_ID", "infopatient")
	t.Setenv("INFOPATIENT_PSC_CLIENT_SECRET", "very-secret-value")
	code, out, _ := run(t, "", "config")
	if code != 0 || strings.Contains(out, "very-secret-value") || !strings.Contains(out, "INFOPATIENT_PSC_CLIENT_SECRET") || !strings.Contains(out, "********") {
		t.Fatalf("%d\n%s", code, out)
	}
}

func TestInvalidConfigurationStopsWithOneLinePerProblem(t *testing.T) {
	demoEnv(t)
	t.Setenv("INFOPATIENT_LOG_FORMAT", "xml")
	t.Setenv("INFOPATIENT_SESSION_LIFETIME", "forever")
	code, _, errOut := run(t, "", "serve")
	if code != 1 || !strings.Contains(errOut, "INFOPATIENT_LOG_FORMAT:") || !strings.Contains(errOut, "INFOPATIENT_SESSION_LIFETIME:") {
		t.Fatalf("%d %q", code, errOut)
	}
}

func TestAccounts(t *testing.T) {
	demoEnv(t)
	if code, _, e := run(t, "short\n", "account", "create", "-login", "100000001", "-given", "Zoé", "-family", "Müller"); code != 1 || !strings.Contains(e, "at least 8") {
		t.Fatalf("short password: %d %q", code, e)
	}
	if code, out, e := run(t, "a good password\n", "account", "create", "-login", "100000001", "-given", "Zoé", "-family", "Müller", "-profession", "Médecin", "-rpps", "10001234567"); code != 0 {
		t.Fatalf("create: %d %s %s", code, out, e)
	}
	if code, _, e := run(t, "another password\n", "account", "create", "-login", "100000001", "-family", "X"); code != 1 || !strings.Contains(e, "conflict") {
		t.Errorf("duplicate: %d %q", code, e)
	}
	if code, _, _ := run(t, "", "account", "link", "100000001", "psc", "810001234567"); code != 0 {
		t.Fatal("link failed")
	}
	if code, _, e := run(t, "", "account", "link", "100000001", "facebook", "x"); code != 2 {
		t.Errorf("unknown provider: %d %q", code, e)
	}
	code, out, _ := run(t, "", "account", "list")
	if code != 0 || !strings.Contains(out, "100000001") || !strings.Contains(out, "psc:810001234567") || !strings.Contains(out, "Zoé Müller") {
		t.Errorf("list:\n%s", out)
	}
	if code, _, _ := run(t, "new password!\n", "account", "passwd", "100000001"); code != 0 {
		t.Error("passwd failed")
	}
	if code, _, e := run(t, "new password!\n", "account", "passwd", "999"); code != 1 || !strings.Contains(e, "not found") {
		t.Errorf("passwd of unknown account: %d %q", code, e)
	}
	if code, _, _ := run(t, "", "account", "unlink", "psc", "810001234567"); code != 0 {
		t.Error("unlink failed")
	}
	if code, _, e := run(t, "", "account", "unlink", "psc", "810001234567"); code != 1 || !strings.Contains(e, "not found") {
		t.Errorf("unlink twice: %d %q", code, e)
	}
}

func TestMigrateAndUsage(t *testing.T) {
	demoEnv(t)
	// The schema version is the latest migration's, whichever branches'
	// migrations are merged; 5 (patient identities) at least.
	if code, out, _ := run(t, "", "migrate"); code != 0 || !migratedTo(out, 5) {
		t.Errorf("migrate: %d %q", code, out)
	}
	if code, _, _ := run(t, "", "frobnicate"); code != 2 {
		t.Error("unknown command accepted")
	}
	// A wrongly typed command prints how to type it, once.
	if code, _, e := run(t, "", "migrate", "now"); code != 2 || e != "usage: infopatient migrate\n" {
		t.Errorf("migrate now: %d %q", code, e)
	}
	if code, out, _ := run(t, "", "help"); code != 0 || !strings.Contains(out, "sandbox") {
		t.Error("help")
	}
}

func TestCheck(t *testing.T) {
	demoEnv(t)
	if code, _, e := run(t, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, e)
	}
	code, out, e := run(t, "", "check")
	if code != 0 || strings.Count(out, " ok ") < 7 || !strings.Contains(out, "fetched; issuer") {
		t.Fatalf("demo check: %d\n%s\n%s", code, out, e)
	}
	// Asking HIN for a token would store it: the check does not.
	if !strings.Contains(out, "skipped") || !strings.Contains(out, "no token requested") {
		t.Errorf("client credentials:\n%s", out)
	}
	// A provider nobody answers for: the check fails, and says where.
	t.Setenv("INFOPATIENT_DEMO", "false")
	t.Setenv("INFOPATIENT_PSC_ISSUER", "http://127.0.0.1:1/auth/realms/esante-wallet")
	t.Setenv("INFOPATIENT_PSC_CLIENT_ID", "x")
	t.Setenv("INFOPATIENT_PSC_CLIENT_SECRET", "y")
	t.Setenv("INFOPATIENT_HTTP_TIMEOUT", "1s")
	code, out, _ = run(t, "", "check")
	if code != 1 || !strings.Contains(out, "FAILED") || !strings.Contains(out, "discovery") {
		t.Errorf("unreachable provider: %d\n%s", code, out)
	}
}

// account create takes the login as the login form reads it (spaces
// dropped) and refuses logins and RPPS numbers nobody could sign in with.
func TestAccountCreateChecksTheNumbers(t *testing.T) {
	demoEnv(t)
	for _, tc := range []struct {
		login, rpps string
		wantErr     string // "" when the account is created
	}{
		{"ab c", "", "9 digits"},
		{"12345678", "", "9 digits"},
		{"1234567890", "", "9 digits"},
		{"12345678X", "", "9 digits"},
		{"123456789", "1234567890", "11 digits"},
		{"123456789", "1234567890A", "11 digits"},
		{"100 000 002", "", ""},
		{"100000003", "100 0123 4567", ""},
	} {
		code, out, e := run(t, "a good password\n", "account", "create", "-login", tc.login, "-family", "Test", "-rpps", tc.rpps)
		switch {
		case tc.wantErr == "" && code != 0:
			t.Errorf("%q %q: %d %q", tc.login, tc.rpps, code, e)
		case tc.wantErr != "" && (code != 1 || !strings.Contains(e, tc.wantErr)):
			t.Errorf("%q %q: %d %q %q, want the error %q", tc.login, tc.rpps, code, out, e, tc.wantErr)
		}
	}
	_, out, _ := run(t, "", "account", "list")
	for _, want := range []string{"100000002", "100000003", "10001234567"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ab c") || strings.Contains(out, "12345678X") {
		t.Errorf("a refused account was created:\n%s", out)
	}
}

// account create -gln takes a GLN with its GS1 check digit (spaces and
// dots dropped) and refuses any other, or one another account has.
func TestAccountCreateGLN(t *testing.T) {
	demoEnv(t)
	for _, tc := range []struct {
		login, gln string
		wantErr    string // "" when the account is created
	}{
		{"100000011", "760100100003", "13 digits"},    // 12 digits
		{"100000012", "7601001000033", "check digit"}, // wrong check digit
		{"100000013", "760100100003X", "13 digits"},
		{"100000014", "7601.0010.0003.2", ""},
		{"100000015", "7601001000032", "already the GLN of account 100000014"},
		{"100000016", "", ""},
		{"100000017", "", ""}, // as many accounts without a GLN as wanted
	} {
		code, out, e := run(t, "a good password\n", "account", "create", "-login", tc.login, "-family", "Test", "-gln", tc.gln)
		switch {
		case tc.wantErr == "" && code != 0:
			t.Errorf("%q %q: %d %q", tc.login, tc.gln, code, e)
		case tc.wantErr != "" && (code != 1 || !strings.Contains(e, tc.wantErr)):
			t.Errorf("%q %q: %d %q %q, want the error %q", tc.login, tc.gln, code, out, e, tc.wantErr)
		}
	}
	_, out, _ := run(t, "", "account", "list")
	if !strings.Contains(out, "GLN") || !regexp.MustCompile(`(?m)^100000014 .*7601001000032`).MatchString(out) {
		t.Errorf("list lacks the GLN:\n%s", out)
	}
	for _, refused := range []string{"100000011", "100000012", "100000013", "100000015"} {
		if strings.Contains(out, refused) {
			t.Errorf("a refused account was created:\n%s", out)
		}
	}
}
