package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaultsStartTheDemo(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.BaseURL != "http://127.0.0.1:8080" || c.DataDir != "data" {
		t.Errorf("unexpected defaults: %+v", c)
	}
	if !c.Demo {
		t.Error("demo mode should be on while no authority is configured")
	}
	if c.LogLevel != "warn" {
		t.Errorf("demo log level %q, want warn: the banner, and the problems", c.LogLevel)
	}
	if c.SessionIdleTimeout != 30*time.Minute || c.SessionLifetime != 12*time.Hour {
		t.Errorf("session timeouts: %s / %s", c.SessionIdleTimeout, c.SessionLifetime)
	}
	if c.DSN() != filepath.Join("data", "infopatient.db") || c.SecureCookies() {
		t.Errorf("DSN %q secure %v", c.DSN(), c.SecureCookies())
	}
	if got := strings.Join(c.PSC.Scopes, " "); got != "openid scope_all" || c.PSC.ACRValues != "eidas1" {
		t.Errorf("PSC defaults: %q %q", got, c.PSC.ACRValues)
	}
}

func TestConfiguredAuthorityTurnsDemoOff(t *testing.T) {
	c, err := Load(env(map[string]string{
		"INFOPATIENT_PSC_ENV":           "bas",
		"INFOPATIENT_PSC_CLIENT_ID":     "infopatient",
		"INFOPATIENT_PSC_CLIENT_SECRET": "s3cret",
		"INFOPATIENT_BASE_URL":          "https://infopatient.example/",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Demo || !c.SecureCookies() || c.BaseURL != "https://infopatient.example" {
		t.Errorf("demo=%v secure=%v base=%q", c.Demo, c.SecureCookies(), c.BaseURL)
	}
	if c.LogLevel != "info" {
		t.Errorf("log level %q outside demo mode, want info", c.LogLevel)
	}
}

// The log level is info by default, warn in demo mode (so that the
// terminal keeps the start-up banner in view), and what
// INFOPATIENT_LOG_LEVEL says in either.
func TestLogLevelDefaultFollowsDemoMode(t *testing.T) {
	real := map[string]string{"INFOPATIENT_PSC_ENV": "bas", "INFOPATIENT_PSC_CLIENT_ID": "infopatient", "INFOPATIENT_PSC_CLIENT_SECRET": "s3cret"}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	for name, tc := range map[string]struct {
		vars map[string]string
		want string
	}{
		"demo":                        {nil, "warn"},
		"demo with a real authority":  {with(real, "INFOPATIENT_DEMO", "true"), "warn"},
		"demo, level set":             {with(nil, "INFOPATIENT_LOG_LEVEL", "info"), "info"},
		"demo, debug":                 {with(nil, "INFOPATIENT_LOG_LEVEL", "DEBUG"), "debug"},
		"real authorities":            {real, "info"},
		"demo off":                    {with(nil, "INFOPATIENT_DEMO", "false"), "info"},
		"real authorities, level set": {with(real, "INFOPATIENT_LOG_LEVEL", "error"), "error"},
	} {
		c, err := Load(env(tc.vars))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.LogLevel != tc.want {
			t.Errorf("%s: log level %q, want %q", name, c.LogLevel, tc.want)
		}
		for _, s := range c.Settings() {
			if s.Name == "INFOPATIENT_LOG_LEVEL" && !strings.EqualFold(s.Value, tc.want) {
				t.Errorf("%s: printed as %q", name, s.Value)
			}
		}
	}
}

// The problems come out in the same order on every run, the PSC
// endpoints in the order of the documentation.
func TestProblemsComeInAStableOrder(t *testing.T) {
	vars := map[string]string{"INFOPATIENT_PSC_CLIENT_ID": "x", "INFOPATIENT_PSC_CLIENT_SECRET": "s"}
	endpoints := []string{"INFOPATIENT_PSC_ISSUER", "INFOPATIENT_PSC_DISCOVERY_URL", "INFOPATIENT_PSC_AUTHORIZE_URL",
		"INFOPATIENT_PSC_TOKEN_URL", "INFOPATIENT_PSC_USERINFO_URL", "INFOPATIENT_PSC_JWKS_URL", "INFOPATIENT_PSC_END_SESSION_URL"}
	for _, name := range endpoints {
		vars[name] = "ftp://x"
	}
	var first []string
	for range 20 {
		var cerr *Error
		if _, err := Load(env(vars)); !errors.As(err, &cerr) {
			t.Fatalf("want *Error, got %v", err)
		}
		var names []string
		for _, p := range cerr.Problems {
			names = append(names, strings.SplitN(p, ":", 2)[0])
		}
		if first == nil {
			first = names
			if got, want := strings.Join(names, " "), strings.Join(endpoints, " "); got != want {
				t.Fatalf("order %s, want %s", got, want)
			}
		} else if !slices.Equal(names, first) {
			t.Fatalf("order changed: %q, then %q", first, names)
		}
	}
}

func TestEveryProblemIsReportedOnItsOwnLine(t *testing.T) {
	_, err := Load(env(map[string]string{
		"INFOPATIENT_ADDR":                 "nope",
		"INFOPATIENT_SESSION_IDLE_TIMEOUT": "soon",
		"INFOPATIENT_LOG_FORMAT":           "xml",
		"INFOPATIENT_PSC_CLIENT_ID":        "x",
		"INFOPATIENT_PSC_TOKEN_URL":        "ftp://x",
		"INFOPATIENT_TRUSTED_PROXIES":      "10.0.0.0/8, banana",
		"INFOPATIENT_DATABASE_URL":         "mysql://x",
	}))
	var cerr *Error
	if !errors.As(err, &cerr) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("want *Error, got %v", err)
	}
	for _, name := range []string{"INFOPATIENT_ADDR", "INFOPATIENT_SESSION_IDLE_TIMEOUT", "INFOPATIENT_LOG_FORMAT",
		"INFOPATIENT_PSC_ISSUER", "INFOPATIENT_PSC_CLIENT_SECRET", "INFOPATIENT_PSC_TOKEN_URL",
		"INFOPATIENT_TRUSTED_PROXIES", "INFOPATIENT_DATABASE_URL"} {
		found := 0
		for _, p := range cerr.Problems {
			if strings.HasPrefix(p, name+":") {
				found++
			}
		}
		if found != 1 {
			t.Errorf("%s: reported %d times in %q", name, found, cerr.Problems)
		}
	}
}

func TestSecretsFromFilesAndMasked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{
		"INFOPATIENT_HIN_CLIENT_ID":          "ch.app",
		"INFOPATIENT_HIN_CLIENT_SECRET_FILE": path,
		"INFOPATIENT_TOKEN_KEY":              testKey,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.HIN.ClientSecret != "from-file" {
		t.Fatalf("secret %q", c.HIN.ClientSecret)
	}
	for _, s := range c.Settings() {
		if strings.Contains(s.Masked(), "from-file") {
			t.Errorf("%s shows its secret", s.Name)
		}
		if s.Name == "INFOPATIENT_HIN_CLIENT_SECRET" && (s.Source != "file" || s.Masked() != "********") {
			t.Errorf("secret setting %+v", s)
		}
	}
}

func TestSecretFileProblems(t *testing.T) {
	_, err := Load(env(map[string]string{
		"INFOPATIENT_PSC_CLIENT_SECRET":      "a",
		"INFOPATIENT_PSC_CLIENT_SECRET_FILE": "/nonexistent",
		"INFOPATIENT_TOKEN_KEY_FILE":         "/nonexistent/key",
	}))
	if err == nil || !strings.Contains(err.Error(), "not both") || !strings.Contains(err.Error(), "INFOPATIENT_TOKEN_KEY_FILE: cannot read") {
		t.Fatalf("got %v", err)
	}
}

func TestDurationsAcceptSeconds(t *testing.T) {
	c, err := Load(env(map[string]string{"INFOPATIENT_STATE_TIMEOUT": "1800"}))
	if err != nil || c.StateTimeout != 30*time.Minute {
		t.Fatalf("%v %v", c, err)
	}
}

func TestTokenKeyRequiredOutsideDemo(t *testing.T) {
	_, err := Load(env(map[string]string{
		"INFOPATIENT_HIN_CLIENT_ID": "ch.app", "INFOPATIENT_HIN_CLIENT_SECRET": "s",
	}))
	if err == nil || !strings.Contains(err.Error(), "INFOPATIENT_TOKEN_KEY") {
		t.Fatalf("got %v", err)
	}
}

// Instances sharing PostgreSQL must share the key that seals HIN tokens
// and PSC ID tokens, demo mode or not: a key of their own, created under
// each data directory, would leave each instance unable to open what the
// others sealed.
func TestTokenKeyRequiredWithASharedDatabase(t *testing.T) {
	for _, demo := range []string{"true", "false"} {
		_, err := Load(env(map[string]string{
			"INFOPATIENT_DEMO": demo, "INFOPATIENT_DATABASE_URL": "postgres://infopatient@db/infopatient",
		}))
		if err == nil || !strings.Contains(err.Error(), "INFOPATIENT_TOKEN_KEY: required with INFOPATIENT_DATABASE_URL") {
			t.Errorf("demo %s: got %v", demo, err)
		}
	}
	if _, err := Load(env(map[string]string{
		"INFOPATIENT_DATABASE_URL": "postgres://infopatient@db/infopatient", "INFOPATIENT_TOKEN_KEY": testKey,
	})); err != nil {
		t.Errorf("with a key: %v", err)
	}
}

// Provider variables without a client id would leave PSC on the sandbox
// (or off) without a word: one problem line names them.
func TestPSCVariablesWithoutClientIDAreReported(t *testing.T) {
	for _, tc := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"INFOPATIENT_PSC_ISSUER": "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet"},
			"INFOPATIENT_PSC_CLIENT_ID: INFOPATIENT_PSC_ISSUER is set but INFOPATIENT_PSC_CLIENT_ID is not"},
		{map[string]string{"INFOPATIENT_PSC_ENV": "bas", "INFOPATIENT_PSC_CLIENT_SECRET_FILE": "/run/secrets/psc", "INFOPATIENT_PSC_TOKEN_URL": "https://psc.example/token"},
			"INFOPATIENT_PSC_CLIENT_ID: INFOPATIENT_PSC_ENV, INFOPATIENT_PSC_TOKEN_URL, INFOPATIENT_PSC_CLIENT_SECRET_FILE are set but INFOPATIENT_PSC_CLIENT_ID is not"},
	} {
		_, err := Load(env(tc.vars))
		var cerr *Error
		if !errors.As(err, &cerr) {
			t.Errorf("%v: accepted", tc.vars)
			continue
		}
		found := 0
		for _, p := range cerr.Problems {
			if strings.HasPrefix(p, "INFOPATIENT_PSC_CLIENT_ID:") {
				found++
				if !strings.HasPrefix(p, tc.want) {
					t.Errorf("problem %q, want %q…", p, tc.want)
				}
			}
		}
		if found != 1 {
			t.Errorf("%v: %d client id problems in %q", tc.vars, found, cerr.Problems)
		}
	}
	// The scopes and acr_values tune the demo's sandbox too.
	if _, err := Load(env(map[string]string{"INFOPATIENT_PSC_ACR_VALUES": "eidas2", "INFOPATIENT_PSC_SCOPES": "openid scope_all"})); err != nil {
		t.Errorf("sandbox tuning refused: %v", err)
	}
}
