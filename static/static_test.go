package static

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
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

func TestAssetBodiesRangesAndRevalidation(t *testing.T) {
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	css, err := files.ReadFile("css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	u := a.URL("css/app.css")
	serve := func(method string, header ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, u, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, req)
		return rec
	}

	get := serve("GET")
	if get.Code != http.StatusOK || get.Body.String() != string(css) || get.Header().Get("Content-Length") != strconv.Itoa(len(css)) {
		t.Fatalf("GET: %d, %d bytes, Content-Length %q", get.Code, get.Body.Len(), get.Header().Get("Content-Length"))
	}
	etag := get.Header().Get("Etag")
	if !strings.HasPrefix(etag, `"`) || !strings.Contains(u, strings.Trim(etag, `"`)) {
		t.Errorf("ETag %q is not the URL's hash", etag)
	}
	if head := serve("HEAD"); head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("Content-Length") != strconv.Itoa(len(css)) {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %q", head.Code, head.Body.Len(), head.Header().Get("Content-Length"))
	}
	part := serve("GET", "Range", "bytes=0-9")
	if part.Code != http.StatusPartialContent || part.Body.String() != string(css[:10]) || part.Header().Get("Content-Range") != "bytes 0-9/"+strconv.Itoa(len(css)) {
		t.Errorf("Range: %d %q %q", part.Code, part.Body.String(), part.Header().Get("Content-Range"))
	}
	if same := serve("GET", "If-None-Match", etag); same.Code != http.StatusNotModified || same.Body.Len() != 0 {
		t.Errorf("If-None-Match with the ETag: %d, %d bytes", same.Code, same.Body.Len())
	}
	if other := serve("GET", "If-None-Match", `"000000000000"`); other.Code != http.StatusOK || other.Body.String() != string(css) {
		t.Errorf("If-None-Match with another ETag: %d, %d bytes", other.Code, other.Body.Len())
	}
}

// discard is a ResponseWriter that keeps nothing of the body.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// An asset is written from the bytes read at Load: a request allocates
// a few headers, never a copy of the file (http.ServeContent's io.Copy
// allocated a buffer of the file's size per request).
func TestAssetIsNotCopiedPerRequest(t *testing.T) {
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", a.URL("css/app.css"), nil)
	w := &discard{h: http.Header{}}
	const n = 200
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		clear(w.h)
		a.ServeHTTP(w, req)
	}
	runtime.ReadMemStats(&after)
	if perRequest := (after.TotalAlloc - before.TotalAlloc) / n; perRequest > 2048 {
		t.Errorf("%d bytes allocated per request for a %d-byte stylesheet", perRequest, len(a.hashed[strings.TrimPrefix(req.URL.Path, Prefix)].body))
	}
}

// Each kind of asset is served with its type, named by the package
// rather than by the host's MIME tables.
func TestAssetContentTypes(t *testing.T) {
	a, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"css/app.css":     "text/css; charset=utf-8",
		"js/passkey.js":   "text/javascript; charset=utf-8",
		"img/logo.svg":    "image/svg+xml",
		"js/ecps-wait.js": "text/javascript; charset=utf-8",
	} {
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest("GET", a.URL(name), nil))
		if got := rec.Header().Get("Content-Type"); rec.Code != http.StatusOK || got != want {
			t.Errorf("%s: %d, Content-Type %q, want %q", name, rec.Code, got, want)
		}
	}
}
