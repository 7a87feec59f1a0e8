// Package apptest starts a real InfoPatient server for tests: demo mode,
// a fresh SQLite database (or PostgreSQL when TEST_DATABASE_URL is set),
// a loopback listener on a free port, and a browser-like client with a
// cookie jar that scrapes CSRF tokens from the forms it reads.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/crypto/bcrypt"

	"github.com/infopatient/infopatient/internal/app"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/password"
	"github.com/infopatient/infopatient/internal/secretbox"
	"github.com/infopatient/infopatient/internal/testclock"
	"github.com/infopatient/infopatient/internal/testdb"
)

// Portal is a running server.
type Portal struct {
	URL string
	// MetricsURL is /metrics on its own listener.
	MetricsURL string
	App        *app.App
	Clock      *testclock.Clock
	// Logs holds every log line the portal wrote, so that tests can prove
	// what never reaches a log (tokens, codes, secrets).
	Logs *LogBuffer
}

// LogBuffer is the portal's log output, safe for concurrent use.
type LogBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Start runs a demo-mode portal until the test ends. env adds or overrides
// INFOPATIENT_* variables.
func Start(t testing.TB, env map[string]string) *Portal {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	vars := map[string]string{
		"INFOPATIENT_ADDR":     ln.Addr().String(),
		"INFOPATIENT_BASE_URL": base,
		"INFOPATIENT_DATA_DIR": t.TempDir(),
		"INFOPATIENT_DEMO":     "true",
		// /metrics has a listener of its own (Portal.MetricsURL).
		"INFOPATIENT_METRICS_ADDR": "127.0.0.1:0",
	}
	if dsn := testdb.URL(t); dsn != "" {
		// A shared database wants a shared token key; one portal alone
		// needs no more than a key of its own.
		vars["INFOPATIENT_DATABASE_URL"] = dsn
		vars["INFOPATIENT_TOKEN_KEY"] = secretbox.EncodeKey(secretbox.GenerateKey())
	}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	clock := testclock.New(time.Now())
	logs := &LogBuffer{}
	var out io.Writer = logs
	if testing.Verbose() {
		out = io.MultiWriter(logs, &testWriter{t})
	}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, logger, app.Options{Hasher: &password.Hasher{Cost: bcrypt.MinCost}, Now: clock.Now})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	mln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() { done <- a.Run(ctx, ln, mln, nil) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
		_ = a.Close()
	})
	return &Portal{URL: base, MetricsURL: "http://" + mln.Addr().String() + "/metrics", App: a, Clock: clock, Logs: logs}
}

type testWriter struct{ t testing.TB }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Browser is a cookie-keeping client that does not follow redirects, so
// tests see where each step leads.
type Browser struct {
	t      testing.TB
	base   string
	Client *http.Client
	// Page is the last HTML page read.
	Page *goquery.Document
}

// NewBrowser returns a fresh browser (no cookies) for the portal.
func (p *Portal) NewBrowser(t testing.TB) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{t: t, base: p.URL, Client: &http.Client{
		Jar:     jar,
		Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// Response is what a step returned.
type Response struct {
	Status   int
	Header   http.Header
	Location string
	Body     string
	Doc      *goquery.Document
}

// Get fetches a path or absolute URL.
func (b *Browser) Get(target string) *Response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.abs(target), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.Do(req)
}

// Do sends a request and reads the answer (HTML pages are parsed).
func (b *Browser) Do(req *http.Request) *Response {
	b.t.Helper()
	resp, err := b.Client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	r := &Response{Status: resp.StatusCode, Header: resp.Header, Location: resp.Header.Get("Location"), Body: string(body)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		r.Doc, err = goquery.NewDocumentFromReader(strings.NewReader(r.Body))
		if err != nil {
			b.t.Fatal(err)
		}
		b.Page = r.Doc
	}
	return r
}

// Follow GETs redirects until a page answers, at most 10 hops.
func (b *Browser) Follow(r *Response) *Response {
	b.t.Helper()
	for i := 0; i < 10 && r.Location != ""; i++ {
		r = b.Get(r.Location)
	}
	return r
}

// Post submits a form to target with the CSRF token of the last page read.
func (b *Browser) Post(target string, form url.Values) *Response {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok && b.Page != nil {
		if tok, ok := b.Page.Find(`input[name="_csrf"]`).First().Attr("value"); ok {
			form.Set("_csrf", tok)
		}
	}
	return b.PostRaw(target, form)
}

// PostRaw submits a form exactly as given (no CSRF token added).
func (b *Browser) PostRaw(target string, form url.Values) *Response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.abs(target), strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(req)
}

// Cookie returns the named cookie the browser holds for the portal.
func (b *Browser) Cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.base)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (b *Browser) abs(target string) string {
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		return target
	}
	return b.base + target
}

// Text returns the trimmed text of the first element with data-testid=id
// on the last page read.
func (b *Browser) Text(id string) string {
	if b.Page == nil {
		return ""
	}
	return strings.Join(strings.Fields(b.Page.Find(`[data-testid="`+id+`"]`).First().Text()), " ")
}

// Has reports whether the last page has an element with data-testid=id.
func (b *Browser) Has(id string) bool {
	return b.Page != nil && b.Page.Find(`[data-testid="`+id+`"]`).Length() > 0
}

// SignIn signs in with a demo account and lands on its first page.
func (b *Browser) SignIn(login, pw string) *Response {
	b.t.Helper()
	b.Get("/")
	r := b.Post("/login", url.Values{"login": {login}, "password": {pw}})
	if r.Status != http.StatusSeeOther {
		b.t.Fatalf("sign-in of %s: status %d", login, r.Status)
	}
	return b.Follow(r)
}
