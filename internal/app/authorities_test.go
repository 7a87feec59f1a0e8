package app

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/infopatient/infopatient/internal/config"
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

// loadConfig reads vars, over a data directory and a base URL of the test.
func loadConfig(t *testing.T, vars map[string]string) *config.Config {
	t.Helper()
	all := map[string]string{
		"INFOPATIENT_DATA_DIR": t.TempDir(),
		"INFOPATIENT_BASE_URL": "http://127.0.0.1:8080",
	}
	for k, v := range vars {
		all[k] = v
	}
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := all[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
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
