package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/covercard"
	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/password"
	"github.com/infopatient/infopatient/internal/secretbox"
)

// syncBuffer collects the portal's log lines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// covercardURL is where the portal's Covercard client goes, "" without one.
func covercardURL(a *App) string {
	if a.auth.covercard == nil {
		return ""
	}
	return a.auth.covercard.URL()
}

// newApp builds the portal without serving it; logs collects its lines.
func newApp(t *testing.T, cfg *config.Config) (*App, *syncBuffer, error) {
	t.Helper()
	logs := &syncBuffer{}
	a, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(logs, nil)),
		Options{Hasher: &password.Hasher{Cost: bcrypt.MinCost}})
	if err == nil {
		t.Cleanup(func() { _ = a.Close() })
	}
	return a, logs, err
}

var realHIN = map[string]string{
	"INFOPATIENT_HIN_CLIENT_ID":     "ch.infopatient",
	"INFOPATIENT_HIN_CLIENT_SECRET": "hin-s3cret",
	"INFOPATIENT_TOKEN_KEY":         secretbox.EncodeKey(secretbox.GenerateKey()),
}

// hin.Config.Validate runs at start-up on what the variables make
// together, even when a configuration did not come through the loader.
func TestStartRefusesAnInvalidHINConfiguration(t *testing.T) {
	cfg := loadConfig(t, realHIN)
	cfg.HIN.TokenURL = "http://oauth2.hin.ch/REST/v1/OAuth/GetAccessToken"
	cfg.HIN.TokenGroup = "hin covercard"
	_, _, err := newApp(t, cfg)
	if err == nil || !strings.Contains(err.Error(), "TokenURL must be https") || !strings.Contains(err.Error(), "TokenGroup") {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "hin-s3cret") {
		t.Error("the error reveals the secret")
	}
	cfg = loadConfig(t, realHIN)
	cfg.BaseURL = "http://infopatient.example.ch"
	if _, _, err := newApp(t, cfg); err == nil || !strings.Contains(err.Error(), "RedirectURL must be https") {
		t.Fatalf("plain-http redirect: %v", err)
	}
	if _, _, err := newApp(t, loadConfig(t, realHIN)); err != nil {
		t.Fatalf("a valid configuration: %v", err)
	}
}

// fakeHIN is a token endpoint that records who asked, by grant.
type fakeHIN struct {
	*httptest.Server
	mu      sync.Mutex
	clients []string // "grant client_id path"
}

func newFakeHIN(t *testing.T) *fakeHIN {
	f := &fakeHIN{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		f.mu.Lock()
		f.clients = append(f.clients, r.PostForm.Get("grant_type")+" "+r.PostForm.Get("client_id")+" "+r.URL.Path)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"practice-token","expires_in":3600,"token_type":"Bearer"}`)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeHIN) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.clients...)
}

// fakeCovercard records the Authorization header of each lookup.
type fakeCovercard struct {
	*httptest.Server
	mu      sync.Mutex
	bearers []string
}

func newFakeCovercard(t *testing.T) *fakeCovercard {
	f := &fakeCovercard{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.bearers = append(f.bearers, r.Header.Get("Authorization"))
		f.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = io.WriteString(w, `<?xml version="1.0"?><r xmlns="http://www.ofac.ch/XEDO"><validCard>0</validCard></r>`)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeCovercard) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.bearers...)
}

func withVars(base map[string]string, more map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

const someCard = "80756000000000000001"

// Demo mode with only the real HIN configured: the sandbox's Covercard
// would receive real HIN tokens, so Covercard is off and the log says how
// to turn it on; the sandbox's device credentials are not sent to the
// real HIN either.
func TestDemoWithRealHINTurnsTheSandboxCovercardOff(t *testing.T) {
	fh := newFakeHIN(t)
	a, logs, err := newApp(t, loadConfig(t, withVars(realHIN, map[string]string{
		"INFOPATIENT_DEMO": "true", "INFOPATIENT_HIN_TOKEN_URL": fh.URL,
	})))
	if err != nil {
		t.Fatal(err)
	}
	if a.auth.hinSignInClient() == nil || a.auth.hinTokens == nil || a.auth.hin.TokenURL() != fh.URL {
		t.Errorf("HIN sign-in: %v, token URL %q", a.auth.hinSignInClient() != nil, a.auth.hin.TokenURL())
	}
	if a.auth.covercard != nil || a.auth.serviceTokens != nil {
		t.Errorf("Covercard %q and service tokens %v with the real HIN and the sandbox's Covercard", covercardURL(a), a.auth.serviceTokens != nil)
	}
	if !strings.Contains(logs.String(), "Covercard is off") || !strings.Contains(logs.String(), covercard.DefaultURL) {
		t.Errorf("no clear message: %s", logs)
	}
	if a.Sandbox == nil {
		t.Error("the rest of the demo (PSC) lost its sandbox")
	}
}

// With the practice's own credentials too, they are sent to the real
// HIN, the one the sign-in uses.
func TestDemoWithRealHINAndPracticeCredentials(t *testing.T) {
	fh := newFakeHIN(t)
	a, _, err := newApp(t, loadConfig(t, withVars(realHIN, map[string]string{
		"INFOPATIENT_DEMO": "true", "INFOPATIENT_HIN_TOKEN_URL": fh.URL,
		"INFOPATIENT_COVERCARD_CLIENT_ID": "ch.practice-device", "INFOPATIENT_COVERCARD_CLIENT_SECRET": "device-s3cret",
	})))
	if err != nil {
		t.Fatal(err)
	}
	if a.auth.serviceTokens == nil {
		t.Fatal("no service tokens")
	}
	if _, err := a.auth.serviceTokens.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(fh.requests(), "; "); got != "client_credentials ch.practice-device /hin_covercard" {
		t.Errorf("HIN saw %q", got)
	}
}

// Demo mode with the real HIN and Covercard: a HIN professional's token
// goes to the configured Covercard, never to the sandbox's.
func TestDemoWithRealHINAndCovercard(t *testing.T) {
	fh, fc := newFakeHIN(t), newFakeCovercard(t)
	a, logs, err := newApp(t, loadConfig(t, withVars(realHIN, map[string]string{
		"INFOPATIENT_DEMO": "true", "INFOPATIENT_HIN_TOKEN_URL": fh.URL, "INFOPATIENT_COVERCARD_URL": fc.URL,
	})))
	if err != nil {
		t.Fatal(err)
	}
	if covercardURL(a) != fc.URL || a.auth.serviceTokens != nil {
		t.Fatalf("Covercard %q, service tokens %v", covercardURL(a), a.auth.serviceTokens != nil)
	}
	ctx := t.Context()
	if err := a.auth.hinTokens.Save(ctx, 7, &hin.Token{AccessToken: "real-user-token", Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.auth.covercard.Lookup(ctx, someCard, a.auth.hinTokens.For(7)); err != nil {
		t.Fatal(err)
	}
	if got := fc.seen(); len(got) != 1 || got[0] != "Bearer real-user-token" {
		t.Errorf("Covercard saw %q", got)
	}
	if strings.Contains(logs.String(), "is off") {
		t.Errorf("warned: %s", logs)
	}
}

// Demo mode with only the real Covercard: the sandbox's HIN tokens would
// be refused there, so HIN sign-in is off; the practice's credentials go
// to the real HIN's token endpoint, not to the sandbox's.
func TestDemoWithRealCovercardTurnsTheSandboxHINOff(t *testing.T) {
	fh, fc := newFakeHIN(t), newFakeCovercard(t)
	a, logs, err := newApp(t, loadConfig(t, map[string]string{
		"INFOPATIENT_DEMO": "true", "INFOPATIENT_HIN_TOKEN_URL": fh.URL, "INFOPATIENT_COVERCARD_URL": fc.URL,
		"INFOPATIENT_COVERCARD_CLIENT_ID": "ch.practice-device", "INFOPATIENT_COVERCARD_CLIENT_SECRET": "device-s3cret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if a.auth.hinSignInClient() != nil || a.auth.hinTokens != nil {
		t.Error("signing in with the sandbox's HIN for the real Covercard")
	}
	if !strings.Contains(logs.String(), "HIN sign-in is off") {
		t.Errorf("no clear message: %s", logs)
	}
	if _, err := a.auth.covercard.Lookup(t.Context(), someCard, a.auth.serviceTokens); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(fh.requests(), "; "); got != "client_credentials ch.practice-device /hin_covercard" {
		t.Errorf("HIN saw %q", got)
	}
	if got := fc.seen(); len(got) != 1 || got[0] != "Bearer practice-token" {
		t.Errorf("Covercard saw %q", got)
	}

	// Without INFOPATIENT_HIN_TOKEN_URL, HIN's production endpoint.
	a, _, err = newApp(t, loadConfig(t, map[string]string{
		"INFOPATIENT_DEMO": "true", "INFOPATIENT_COVERCARD_URL": fc.URL,
		"INFOPATIENT_COVERCARD_CLIENT_ID": "ch.practice-device", "INFOPATIENT_COVERCARD_CLIENT_SECRET": "device-s3cret",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := a.auth.hin.TokenURL(); got != hin.DefaultTokenURL {
		t.Errorf("service token URL %q", got)
	}
}

// Plain demo mode: the sandbox stands in for HIN and Covercard together,
// with its own device credentials, even if a practice's are configured.
func TestDemoSandboxStandsInForHINAndCovercardTogether(t *testing.T) {
	for _, vars := range []map[string]string{
		{"INFOPATIENT_DEMO": "true"},
		{"INFOPATIENT_DEMO": "true", "INFOPATIENT_COVERCARD_CLIENT_ID": "ch.practice-device", "INFOPATIENT_COVERCARD_CLIENT_SECRET": "device-s3cret"},
	} {
		a, logs, err := newApp(t, loadConfig(t, vars))
		if err != nil {
			t.Fatal(err)
		}
		sb := a.Sandbox
		if a.auth.hinSignInClient() == nil || a.auth.hin.TokenURL() != sb.HINTokenURL() || covercardURL(a) != sb.CovercardURL() || a.auth.serviceTokens == nil {
			t.Errorf("%v: HIN %q, Covercard %q", vars, a.auth.hin.TokenURL(), covercardURL(a))
		}
		if _, practice := vars["INFOPATIENT_COVERCARD_CLIENT_ID"]; practice != strings.Contains(logs.String(), "INFOPATIENT_COVERCARD_CLIENT_ID is ignored") {
			t.Errorf("%v: logs %s", vars, logs)
		}
	}
}
