package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/testclock"
)

// serve mounts a sandbox under /sandbox of a loopback server.
func serve(t *testing.T, cfg sandbox.Config) (*sandbox.Sandbox, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cfg.BaseURL, cfg.PortalURL, cfg.Data = srv.URL+"/sandbox", "http://portal.example", data.Files
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/sandbox/", sb)
	return sb, srv
}

var (
	pendingRE = regexp.MustCompile(`name="pending" value="([^"]+)"`)
	codeRE    = regexp.MustCompile(`data-testid="hin-manual-code">([^<]+)<`)
)

func body(t *testing.T, resp *http.Response, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func get(t *testing.T, rawURL string) string {
	t.Helper()
	resp, err := http.Get(rawURL)
	return body(t, resp, err)
}

// manualCode walks the HIN manual page as cmuster.
func manualCode(t *testing.T, sb *sandbox.Sandbox, srv *httptest.Server) string {
	t.Helper()
	page := get(t, strings.Replace(sb.HINManualURL(), "{tokenGroup}", sandbox.TokenGroup, 1))
	m := pendingRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("manual page %.300s", page)
	}
	resp, err := http.PostForm(srv.URL+"/sandbox/hin/e-id/signin", url.Values{"pending": {m[1]}, "hin_id": {"cmuster"}})
	page = body(t, resp, err)
	c := codeRE.FindStringSubmatch(page)
	if c == nil {
		t.Fatalf("code page %.300s", page)
	}
	return htmlUnescape(c[1])
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#43;", "+", "&#35;", "#", "&amp;", "&", "&#34;", `"`, "&#39;", "'").Replace(s)
}

func hinToken(t *testing.T, sb *sandbox.Sandbox, form url.Values) (int, map[string]any) {
	t.Helper()
	form.Set("client_id", sandbox.HINClientID)
	form.Set("client_secret", sandbox.HINClientSecret)
	resp, err := http.PostForm(sb.HINTokenURL(), form)
	raw := body(t, resp, err)
	var m map[string]any
	_ = json.Unmarshal([]byte(raw), &m)
	return resp.StatusCode, m
}

// The HIN lifetimes are the sandbox's to shorten: codes, access and
// refresh tokens.
func TestHINLifetimesAreConfigurable(t *testing.T) {
	clk := testclock.New(time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC))
	sb, srv := serve(t, sandbox.Config{Now: clk.Now,
		HINAccessTokenTTL: time.Minute, HINRefreshTokenTTL: 5 * time.Minute, HINCodeTTL: 2 * time.Minute})

	code := manualCode(t, sb, srv)
	clk.Advance(2 * time.Minute)
	if st, m := hinToken(t, sb, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {""}}); st != http.StatusBadRequest {
		t.Errorf("a code of 2 minutes: %d %v", st, m)
	}

	code = manualCode(t, sb, srv)
	st, m := hinToken(t, sb, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {""}})
	if st != http.StatusOK || m["expires_in"] != float64(60) {
		t.Fatalf("exchange %d %v", st, m)
	}
	clk.Advance(5 * time.Minute)
	if st, m := hinToken(t, sb, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)}}); st == http.StatusOK {
		t.Errorf("a refresh token of 5 minutes: %d %v", st, m)
	}
}

// The PSC signing key is kept under the data directory, where demo mode
// and `infopatient sandbox` put it, and a restarted sandbox signs with it.
func TestPSCKeyIsKeptUnderTheDataDirectory(t *testing.T) {
	dir := t.TempDir()
	keyFile := sandbox.KeyFile(dir)
	if keyFile != filepath.Join(dir, "keys", "psc-sandbox.pem") {
		t.Errorf("key file %s", keyFile)
	}
	kid := func() string {
		sb, _ := serve(t, sandbox.Config{KeyFile: keyFile})
		var set struct {
			Keys []struct{ Kid string } `json:"keys"`
		}
		if err := json.Unmarshal([]byte(get(t, sb.PSCIssuer()+"/protocol/openid-connect/certs")), &set); err != nil || len(set.Keys) == 0 {
			t.Fatalf("JWKS: %v", err)
		}
		return set.Keys[0].Kid
	}
	first := kid()
	info, err := os.Stat(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", info.Mode().Perm())
	}
	if again := kid(); again != first || again == "" {
		t.Errorf("kid %q after a restart, %q before", again, first)
	}
}
