package pprofserve_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/pprofserve"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Profiles are served on their own listener.
func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- pprofserve.Serve(ctx, ln, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	base := "http://" + ln.Addr().String()
	if status, body := get(t, base+"/debug/pprof/"); status != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("index: %d", status)
	}
	if status, _ := get(t, base+"/debug/pprof/heap"); status != http.StatusOK {
		t.Errorf("heap profile: %d", status)
	}
	if status, _ := get(t, base+"/"); status != http.StatusNotFound {
		t.Errorf("outside /debug/pprof: %d", status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("stop: %v", err)
	}
}

// The public listener never serves profiles.
func TestPublicListenerHasNoProfiles(t *testing.T) {
	p := apptest.Start(t, nil)
	for _, path := range []string{"/debug/pprof", "/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/cmdline"} {
		if status, _ := get(t, p.URL+path); status != http.StatusNotFound {
			t.Errorf("%s on the public listener: %d, want 404", path, status)
		}
	}
}

func TestPprofAddrIsChecked(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:6060", true},
		{"localhost", false},
		{"127.0.0.1:8080", false}, // INFOPATIENT_ADDR's default
		{"127.0.0.1:9090", false}, // the metrics listener below
	} {
		env := map[string]string{"INFOPATIENT_PPROF_ADDR": tc.addr, "INFOPATIENT_METRICS_ADDR": "127.0.0.1:9090", "INFOPATIENT_DEMO": "true"}
		cfg, err := config.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if (err == nil) != tc.ok {
			t.Errorf("%q: %v", tc.addr, err)
		}
		if err == nil && cfg.PprofAddr != tc.addr {
			t.Errorf("%q read as %q", tc.addr, cfg.PprofAddr)
		}
		if err != nil && !strings.Contains(err.Error(), "INFOPATIENT_PPROF_ADDR") {
			t.Errorf("%q: the message does not name the variable: %v", tc.addr, err)
		}
	}
}
