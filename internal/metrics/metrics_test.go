package metrics

import (
	"database/sql"
	"database/sql/driver"
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

func TestHistogramsDatabaseAndProcess(t *testing.T) {
	db, err := sql.Open("metricstest", "")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(3)
	m := New(db)
	m.Request("/identification", "GET", 200, 3*time.Millisecond)
	m.Request("/identification", "GET", 200, 30*time.Millisecond)
	m.CovercardLookup("ok", 40*time.Millisecond)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q", ct)
	}
	body := rec.Body.String()
	for _, want := range []string{
		"# TYPE infopatient_http_requests_total counter",
		"# TYPE infopatient_http_request_duration_seconds histogram",
		`infopatient_http_request_duration_seconds_bucket{route="/identification",le="0.0025"} 0`,
		`infopatient_http_request_duration_seconds_bucket{route="/identification",le="0.005"} 1`,
		`infopatient_http_request_duration_seconds_bucket{route="/identification",le="0.05"} 2`,
		`infopatient_http_request_duration_seconds_bucket{route="/identification",le="+Inf"} 2`,
		`infopatient_http_request_duration_seconds_count{route="/identification"} 2`,
		`infopatient_covercard_lookup_duration_seconds_bucket{le="0.05"} 1`,
		`go_sql_max_open_connections{db_name="infopatient"} 3`,
		`go_sql_open_connections{db_name="infopatient"} 0`,
		`go_sql_wait_count_total{db_name="infopatient"} 0`,
		"\ngo_goroutines ",
		"\ngo_memstats_heap_inuse_bytes ",
		"\nprocess_resident_memory_bytes ",
		"\nprocess_cpu_seconds_total ",
		"\nprocess_open_fds ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// A label value is written as the text format escapes it: a route is
// the router's pattern, but nothing a client sends may break a line.
func TestLabelValuesAreEscaped(t *testing.T) {
	m := New(nil)
	m.Request("/a\"b\\c\nd", "GET", 404, time.Millisecond)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if want := `infopatient_http_requests_total{method="GET",route="/a\"b\\c\nd",status="404"} 1`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("metrics lack %s", want)
	}
}

// Counting a request builds no name once its series exists: it runs on
// every request.
func TestCountingARequestAllocatesNothing(t *testing.T) {
	m := New(nil)
	m.Request("/identification", "GET", 200, time.Millisecond)
	if n := testing.AllocsPerRun(100, func() { m.Request("/identification", "GET", 200, time.Millisecond) }); n != 0 {
		t.Errorf("%v allocations per request", n)
	}
}

// metricstest is a database/sql driver that opens nothing: the pool's
// figures are database/sql's own.
type metricsTestDriver struct{}

func (metricsTestDriver) Open(string) (driver.Conn, error) { return nil, driver.ErrBadConn }

func init() { sql.Register("metricstest", metricsTestDriver{}) }
