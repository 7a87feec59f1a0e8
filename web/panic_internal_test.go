package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/metrics"
)

// A handler that panics gives the portal's 500 page and nothing of the
// panic; the log has its stack, and the request still has its access
// line and its metric, both with the request id.
func TestPanicIsAnErrorPageWithAStackInTheLog(t *testing.T) {
	var logs strings.Builder // ServeHTTP runs the request on this goroutine
	m := metrics.New(nil)
	s := New(Deps{Config: &config.Config{}, Logger: slog.New(slog.NewTextHandler(&logs, nil)), Metrics: m})
	s.echo.GET("/panic", func(echo.Context) error { panic("boom") })

	req := httptest.NewRequest(http.MethodGet, "/panic", nil)
	req.Header.Set(echo.HeaderXRequestID, "panic-1")
	rec := httptest.NewRecorder()
	s.Echo().ServeHTTP(rec, req)

	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `data-testid="error-title">Erreur du portail<`) {
		t.Fatalf("panic: %d\n%s", rec.Code, rec.Body)
	}
	for _, leak := range []string{"boom", "goroutine", ".go:"} {
		if strings.Contains(rec.Body.String(), leak) {
			t.Errorf("the page shows %q", leak)
		}
	}
	if rec.Header().Get("Content-Security-Policy") == "" {
		t.Error("the 500 page lacks the security headers")
	}
	var access, stack string
	for _, l := range strings.Split(logs.String(), "\n") {
		switch {
		case strings.Contains(l, "msg=request "):
			access = l
		case strings.Contains(l, "msg=panic "):
			stack = l
		}
	}
	if !strings.Contains(access, "status=500") || !strings.Contains(access, "route=/panic") || !strings.Contains(access, "request_id=panic-1") {
		t.Errorf("access line %q", access)
	}
	if !strings.Contains(stack, "boom") || !strings.Contains(stack, "goroutine") || !strings.Contains(stack, "panic_internal_test.go") ||
		!strings.Contains(stack, "request_id=panic-1") {
		t.Errorf("panic line %q", stack)
	}

	scrape := httptest.NewRecorder()
	m.Handler().ServeHTTP(scrape, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if want := `infopatient_http_requests_total{method="GET",route="/panic",status="500"} 1`; !strings.Contains(scrape.Body.String(), want) {
		t.Errorf("metrics lack %s", want)
	}
}
