package static

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHashedAssetsAreServedForever(t *testing.T) {
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	u := a.URL("css/app.css")
	if !strings.HasPrefix(u, "/static/css/app.") || !strings.HasSuffix(u, ".css") || u == "/static/css/app.css" {
		t.Fatalf("URL %q is not content-hashed", u)
	}
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Errorf("%d %v", rec.Code, rec.Header())
	}
	for _, bad := range []string{"/static/css/app.css", "/static/css/app.000000000000.css", "/static/../static.go"} {
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest("GET", bad, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
}
