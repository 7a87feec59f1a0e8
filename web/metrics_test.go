package web_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

func TestMetricsCountWhatHappened(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	b.Post("/patient", url.Values{"identifier": {"80756000000000000003"}})
	r := b.Get(p.MetricsURL)
	if r.Status != http.StatusOK {
		t.Fatalf("metrics: %d", r.Status)
	}
	for _, want := range []string{
		`infopatient_sign_ins_total{authority="local",outcome="success"} 1`,
		`infopatient_http_requests_total{method="GET",route="/identification",status="200"} 1`,
		`infopatient_covercard_lookups_total{outcome="blocked"} 1`,
		`infopatient_token_refreshes_total{kind="service",outcome="ok"} 1`,
		`go_sql_open_connections{db_name="infopatient"}`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestMetricsCountUnknownMethodsAsOther(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	for _, method := range []string{"BREW", "PROPFIND", "get"} {
		req, _ := http.NewRequest(method, p.URL+"/identification", nil)
		b.Do(req)
	}
	r := b.Get(p.MetricsURL)
	if !regexp.MustCompile(`infopatient_http_requests_total\{method="other",route="[^"]*",status="\d+"\} 3\n`).MatchString(r.Body) {
		t.Error("unknown methods are not counted together as other")
	}
	for _, method := range []string{"BREW", "PROPFIND", `"get"`} {
		if strings.Contains(r.Body, method) {
			t.Errorf("a series is labelled %s", method)
		}
	}
}

// With INFOPATIENT_METRICS_ADDR, /metrics is served on its own listener
// and the public one answers 404.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	p := apptest.Start(t, map[string]string{"INFOPATIENT_METRICS_ADDR": "127.0.0.1:0"})
	b := p.NewBrowser(t)
	if r := b.Get("/metrics"); r.Status != http.StatusNotFound || strings.Contains(r.Body, "infopatient_") {
		t.Errorf("public /metrics: %d", r.Status)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.App.ServeMetrics(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("metrics listener: %v", err)
		}
	})
	r := b.Get("http://" + ln.Addr().String() + "/metrics")
	if r.Status != http.StatusOK || !regexp.MustCompile(`infopatient_http_requests_total\{method="GET",route="[^"]*",status="404"\} 1\n`).MatchString(r.Body) {
		t.Errorf("metrics listener: %d", r.Status)
	}
	if r := b.Get("http://" + ln.Addr().String() + "/identification"); r.Status != http.StatusNotFound {
		t.Errorf("the metrics listener serves the portal: %d", r.Status)
	}
}
