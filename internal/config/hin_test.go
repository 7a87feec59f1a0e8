package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/secretbox"
)

// testKey is a well-formed INFOPATIENT_TOKEN_KEY.
var testKey = secretbox.EncodeKey(secretbox.GenerateKey())

// problemsOf loads vars and returns the problem lines, failing unless
// loading failed.
func problemsOf(t *testing.T, vars map[string]string) []string {
	t.Helper()
	_, err := Load(env(vars))
	cerr, ok := err.(*Error)
	if !ok {
		t.Fatalf("want *Error, got %v", err)
	}
	return cerr.Problems
}

// reportedOnce fails unless exactly one problem line starts with name.
func reportedOnce(t *testing.T, problems []string, name, contains string) {
	t.Helper()
	found := 0
	for _, p := range problems {
		if strings.HasPrefix(p, name+":") && strings.Contains(p, contains) {
			found++
		}
	}
	if found != 1 {
		t.Errorf("%s (%q): reported %d times in %q", name, contains, found, problems)
	}
}

func TestHINAndCovercardEndpointsMustBeHTTPS(t *testing.T) {
	problems := problemsOf(t, map[string]string{
		"INFOPATIENT_HIN_AUTHORIZE_URL": "http://apps.hin.ch/REST/v1/OAuth/GetAuthCode",
		"INFOPATIENT_HIN_TOKEN_URL":     "http://oauth2.hin.ch/REST/v1/OAuth/GetAccessToken",
		"INFOPATIENT_HIN_MANUAL_URL":    "http://apps.hin.ch/#app=HinCredMgrOAuth;tokenGroup={tokenGroup}",
		"INFOPATIENT_COVERCARD_URL":     "http://oauth2.covercard.hin.ch/covercard/servlet/x",
		"INFOPATIENT_TOKEN_KEY":         testKey,
	})
	for _, name := range []string{"INFOPATIENT_HIN_AUTHORIZE_URL", "INFOPATIENT_HIN_TOKEN_URL", "INFOPATIENT_HIN_MANUAL_URL", "INFOPATIENT_COVERCARD_URL"} {
		reportedOnce(t, problems, name, "must be https")
	}
	if len(problems) != 4 {
		t.Errorf("problems %q", problems)
	}
}

func TestHINAndCovercardEndpointProblems(t *testing.T) {
	problems := problemsOf(t, map[string]string{
		"INFOPATIENT_HIN_AUTHORIZE_URL": "/GetAuthCode",
		"INFOPATIENT_HIN_TOKEN_URL":     "https://user:pw@oauth2.hin.ch/x",
		"INFOPATIENT_HIN_MANUAL_URL":    "apps.hin.ch",
		"INFOPATIENT_COVERCARD_URL":     "https://oauth2.covercard.hin.ch/servlet#x",
	})
	reportedOnce(t, problems, "INFOPATIENT_HIN_AUTHORIZE_URL", "not an absolute URL")
	reportedOnce(t, problems, "INFOPATIENT_HIN_TOKEN_URL", "credentials")
	reportedOnce(t, problems, "INFOPATIENT_HIN_MANUAL_URL", "not an absolute URL")
	reportedOnce(t, problems, "INFOPATIENT_COVERCARD_URL", "fragment")
	for _, p := range problems {
		if strings.Contains(p, "pw@") {
			t.Errorf("%q repeats credentials", p)
		}
	}
}

func TestLoopbackEndpointsMayBePlainHTTP(t *testing.T) {
	c, err := Load(env(map[string]string{
		"INFOPATIENT_HIN_AUTHORIZE_URL": "http://127.0.0.1:9000/sandbox/hin/REST/v1/OAuth/GetAuthCode",
		"INFOPATIENT_HIN_TOKEN_URL":     "http://localhost:9000/sandbox/hin/token",
		"INFOPATIENT_HIN_MANUAL_URL":    "http://[::1]:9000/sandbox/hin/apps#app=HinCredMgrOAuth;tokenGroup={tokenGroup}",
		"INFOPATIENT_COVERCARD_URL":     "http://127.0.0.1:9000/sandbox/covercard/servlet",
		"INFOPATIENT_DEMO":              "true",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.HIN.ManualURL == "" || c.Covercard.URL == "" {
		t.Errorf("%+v %+v", c.HIN, c.Covercard)
	}
	c, err = Load(env(map[string]string{"INFOPATIENT_HIN_MANUAL_URL": "https://apps.hin.ch/#app=HinCredMgrOAuth;tokenGroup={tokenGroup}"}))
	if err != nil || !strings.Contains(c.HIN.ManualURL, "#app=") {
		t.Fatalf("HIN's own manual page: %v", err)
	}
}

func TestTokenGroupsAreChecked(t *testing.T) {
	problems := problemsOf(t, map[string]string{
		"INFOPATIENT_HIN_TOKEN_GROUP":       "hin/covercard",
		"INFOPATIENT_COVERCARD_TOKEN_GROUP": "hin covercard",
	})
	reportedOnce(t, problems, "INFOPATIENT_HIN_TOKEN_GROUP", "letters, digits")
	reportedOnce(t, problems, "INFOPATIENT_COVERCARD_TOKEN_GROUP", "letters, digits")
	c, err := Load(env(map[string]string{"INFOPATIENT_HIN_TOKEN_GROUP": "ACS-Applikation"}))
	if err != nil || c.HIN.TokenGroup != "ACS-Applikation" || c.Covercard.TokenGroup != "hin_covercard" {
		t.Fatalf("%v %v", c, err)
	}
}

func TestCovercardLangue(t *testing.T) {
	for _, ok := range []string{"1", "2", "3"} {
		c, err := Load(env(map[string]string{"INFOPATIENT_COVERCARD_LANGUE": ok}))
		if err != nil || c.Covercard.Langue != ok {
			t.Errorf("%s: %v", ok, err)
		}
	}
	if c, _ := Load(env(nil)); c.Covercard.Langue != "1" {
		t.Errorf("default langue %q", c.Covercard.Langue)
	}
	for _, bad := range []string{"0", "4", "de", "fr", "1&x=y"} {
		reportedOnce(t, problemsOf(t, map[string]string{"INFOPATIENT_COVERCARD_LANGUE": bad}), "INFOPATIENT_COVERCARD_LANGUE", "not one of 1, 2, 3")
	}
}

func TestTokenKeyIsParsed(t *testing.T) {
	key := secretbox.GenerateKey()
	c, err := Load(env(map[string]string{"INFOPATIENT_TOKEN_KEY": secretbox.EncodeKey(key)}))
	if err != nil || string(c.TokenKey) != string(key) {
		t.Fatalf("key %x, %v", c.TokenKey, err)
	}
	path := filepath.Join(t.TempDir(), "token_key")
	if err := os.WriteFile(path, []byte(secretbox.EncodeKey(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = Load(env(map[string]string{"INFOPATIENT_TOKEN_KEY_FILE": path}))
	if err != nil || string(c.TokenKey) != string(key) {
		t.Fatalf("key from file %x, %v", c.TokenKey, err)
	}
	if c, _ := Load(env(nil)); c.TokenKey != nil {
		t.Error("a key out of nowhere")
	}
}

// A malformed key is one line among the others, and the line does not
// repeat it; outside demo mode it is not reported as missing too.
func TestMalformedTokenKeyIsOneProblemLine(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, vars := range map[string]map[string]string{
		"not base64": {"INFOPATIENT_TOKEN_KEY": "sesame-open-up!"},
		"too short":  {"INFOPATIENT_TOKEN_KEY": secretbox.EncodeKey([]byte("sixteen bytes!!!"))},
		"empty file": {"INFOPATIENT_TOKEN_KEY_FILE": empty},
	} {
		t.Run(name, func(t *testing.T) {
			vars["INFOPATIENT_HIN_CLIENT_ID"], vars["INFOPATIENT_HIN_CLIENT_SECRET"] = "ch.app", "s"
			vars["INFOPATIENT_LOG_LEVEL"] = "loud"
			problems := problemsOf(t, vars)
			if len(problems) != 2 {
				t.Errorf("problems %q, want the key's and the log level's", problems)
			}
			found := 0
			for _, p := range problems {
				if strings.HasPrefix(p, "INFOPATIENT_TOKEN_KEY") {
					found++
				}
				if strings.Contains(p, "sesame") || strings.Contains(p, "c2l4dGVlbi") {
					t.Errorf("%q repeats the key", p)
				}
			}
			if found != 1 {
				t.Errorf("key reported %d times in %q", found, problems)
			}
		})
	}
}

// HIN sends the browser back to INFOPATIENT_BASE_URL's callback: https,
// unless the portal runs on a loopback address.
func TestBaseURLMustBeHTTPSForHIN(t *testing.T) {
	hinVars := func(base string) map[string]string {
		return map[string]string{
			"INFOPATIENT_HIN_CLIENT_ID": "ch.app", "INFOPATIENT_HIN_CLIENT_SECRET": "s",
			"INFOPATIENT_TOKEN_KEY": testKey, "INFOPATIENT_BASE_URL": base,
		}
	}
	reportedOnce(t, problemsOf(t, hinVars("http://infopatient.example.ch")), "INFOPATIENT_BASE_URL", "must be https")
	for _, base := range []string{"https://infopatient.example.ch", "http://127.0.0.1:8080", "http://localhost:8080"} {
		if _, err := Load(env(hinVars(base))); err != nil {
			t.Errorf("%s: %v", base, err)
		}
	}
	// Without HIN, a plain-http base (a demo on the local network) is fine.
	if _, err := Load(env(map[string]string{"INFOPATIENT_BASE_URL": "http://192.168.1.20:8080"})); err != nil {
		t.Error(err)
	}
}

func TestPreviousTokenKey(t *testing.T) {
	current, previous := secretbox.GenerateKey(), secretbox.GenerateKey()
	path := filepath.Join(t.TempDir(), "token_key.previous")
	if err := os.WriteFile(path, []byte(secretbox.EncodeKey(previous)), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(map[string]string{
		"INFOPATIENT_TOKEN_KEY":               secretbox.EncodeKey(current),
		"INFOPATIENT_TOKEN_KEY_PREVIOUS_FILE": path,
	}))
	if err != nil || string(c.TokenKey) != string(current) || string(c.TokenKeyPrevious) != string(previous) {
		t.Fatalf("keys %x %x, %v", c.TokenKey, c.TokenKeyPrevious, err)
	}
	for _, s := range c.Settings() {
		if s.Name == "INFOPATIENT_TOKEN_KEY_PREVIOUS" && (s.Source != "file" || s.Masked() != "********") {
			t.Errorf("setting %+v", s)
		}
	}
	if c, _ := Load(env(nil)); c.TokenKeyPrevious != nil {
		t.Error("a previous key out of nowhere")
	}
	reportedOnce(t, problemsOf(t, map[string]string{"INFOPATIENT_TOKEN_KEY_PREVIOUS": secretbox.EncodeKey(previous)}),
		"INFOPATIENT_TOKEN_KEY_PREVIOUS", "only with INFOPATIENT_TOKEN_KEY")
	reportedOnce(t, problemsOf(t, map[string]string{"INFOPATIENT_TOKEN_KEY": testKey, "INFOPATIENT_TOKEN_KEY_PREVIOUS": "old"}),
		"INFOPATIENT_TOKEN_KEY_PREVIOUS", "not a key")
}
