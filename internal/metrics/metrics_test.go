package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMetricsAreExposed(t *testing.T) {
	m := New(nil)
	m.Request("/identification", "GET", 200, 3*time.Millisecond)
	m.SignIn("psc", "success")
	m.CovercardLookup("blocked", 40*time.Millisecond)
	m.TokenRefresh("service", "ok")
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`infopatient_http_requests_total{method="GET",route="/identification",status="200"} 1`,
		`infopatient_sign_ins_total{authority="psc",outcome="success"} 1`,
		`infopatient_covercard_lookups_total{outcome="blocked"} 1`,
		`infopatient_covercard_lookup_duration_seconds_count 1`,
		`infopatient_token_refreshes_total{kind="service",outcome="ok"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestTwoInstancesDoNotShareCounters(t *testing.T) {
	a, b := New(nil), New(nil)
	a.SignIn("local", "success")
	rec := httptest.NewRecorder()
	b.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if strings.Contains(rec.Body.String(), "infopatient_sign_ins_total{") {
		t.Error("a counter leaked between instances")
	}
}

func TestUnknownMethodsShareOneSeries(t *testing.T) {
	m := New(nil)
	for _, method := range []string{"GET", "POST", "BREW", "X-1", "get", "PROPFIND"} {
		m.Request("/", method, 405, time.Millisecond)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`infopatient_http_requests_total{method="GET",route="/",status="405"} 1`,
		`infopatient_http_requests_total{method="POST",route="/",status="405"} 1`,
		`infopatient_http_requests_total{method="other",route="/",status="405"} 4`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, unwanted := range []string{"BREW", "X-1", `"get"`, "PROPFIND"} {
		if strings.Contains(body, unwanted) {
			t.Errorf("a series is labelled with the client's method %s", unwanted)
		}
	}
}
