package simstyle_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/sandbox/internal/simstyle"
)

func TestServeWritesTheStylesheet(t *testing.T) {
	rec := httptest.NewRecorder()
	simstyle.Serve(rec, httptest.NewRequest(http.MethodGet, simstyle.Path, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/css; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	css := rec.Body.String()
	// Each simulator has its accent; the projector's large type.
	for _, want := range []string{"body.sim-psc", "body.sim-hin", "body.sim-index", ".masthead", "button.secondary", "label.method", "code.copy"} {
		if !strings.Contains(css, want) {
			t.Errorf("stylesheet lacks %s", want)
		}
	}
	// Pages allow style-src 'self' only: nothing may be fetched elsewhere,
	// and buttons must not fall back to the browser's own font.
	if strings.Contains(css, "url(") || strings.Contains(css, "@import") {
		t.Error("stylesheet fetches another resource")
	}
	if !strings.Contains(css, "button,input,select,textarea{font:inherit}") {
		t.Error("controls do not inherit the page's font")
	}
}

func TestServeHeadAndOtherMethods(t *testing.T) {
	rec := httptest.NewRecorder()
	simstyle.Serve(rec, httptest.NewRequest(http.MethodHead, simstyle.Path, nil))
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("HEAD: status %d, %d bytes", rec.Code, rec.Body.Len())
	}
	rec = httptest.NewRecorder()
	simstyle.Serve(rec, httptest.NewRequest(http.MethodPost, simstyle.Path, nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestHrefNamesTheContent(t *testing.T) {
	h := simstyle.Href("/sandbox/hin")
	if !strings.HasPrefix(h, "/sandbox/hin"+simstyle.Path+"?v=") || len(h) <= len("/sandbox/hin"+simstyle.Path+"?v=") {
		t.Errorf("Href = %q", h)
	}
}
