package covercard

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeTokens hands out a token and, on Refresh, the next one; it records
// what it was asked.
type fakeTokens struct {
	mu         sync.Mutex
	tokens     []string // Token gives tokens[0], each Refresh the next
	refreshed  []string // tokens passed to Refresh
	tokenErr   error
	refreshErr error
}

func (f *fakeTokens) Token(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.tokenErr != nil {
		return "", f.tokenErr
	}
	return f.tokens[0], nil
}

func (f *fakeTokens) Refresh(_ context.Context, rejected string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshed = append(f.refreshed, rejected)
	if f.refreshErr != nil {
		return "", f.refreshErr
	}
	return f.tokens[len(f.refreshed)], nil
}

// fakeCovercard answers like Covercard: it accepts the tokens in valid,
// serves body, and records every request.
type fakeCovercard struct {
	valid       map[string]bool
	body        []byte
	contentType string
	status      int // forced status when not zero
	mu          sync.Mutex
	requests    []*http.Request
}

func (f *fakeCovercard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Clone(context.Background()))
	f.mu.Unlock()
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch {
	case f.status != 0:
		w.WriteHeader(f.status)
		return
	case !ok || !f.valid[token]:
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, "token invalid or expired", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	_, _ = w.Write(f.body)
}

func (f *fakeCovercard) hits() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func newFake(t *testing.T, body []byte, validTokens ...string) (*fakeCovercard, *httptest.Server) {
	f := &fakeCovercard{valid: map[string]bool{}, body: body, contentType: "text/xml; charset=windows-1252"}
	for _, tok := range validTokens {
		f.valid[tok] = true
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func newClient(srv *httptest.Server, cfg Config) *Client {
	cfg.URL = srv.URL + "/covercard/servlet/ch.ofac.ca.covercard.CaValidationHorizontale"
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return fixtureDay }
	}
	return New(cfg, srv.Client())
}

// A token as HIN issues them, with characters reserved in URLs.
const hinToken = "a1B2#c3+D4/e5=f6%g7&h8"

// assertNoSecrets fails when err repeats the token or the card number.
func assertNoSecrets(t *testing.T, err error, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, zoeCard) {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("error %q contains a secret or the card number", err)
		}
	}
}

func TestLookupSendsTheRequestCovercardExpects(t *testing.T) {
	f, srv := newFake(t, readFixture(t, "valid-windows-1252.xml"), hinToken)
	c := newClient(srv, Config{Langue: "2"})
	res, err := c.Lookup(t.Context(), zoeCard, &fakeTokens{tokens: []string{hinToken}})
	if err != nil {
		t.Fatalf("Lookup: %v", err)
	}
	if res.Outcome != Valid || res.Person.GivenName != "Zoé" || res.Person.Address.Line1 != "Rue de l’Église 12" {
		t.Errorf("result %v %+v", res.Outcome, res.Person)
	}
	if f.hits() != 1 {
		t.Fatalf("%d requests, want 1", f.hits())
	}
	r := f.requests[0]
	if r.Method != http.MethodGet || r.URL.Path != "/covercard/servlet/ch.ofac.ca.covercard.CaValidationHorizontale" {
		t.Errorf("request %s %s", r.Method, r.URL.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+hinToken {
		t.Errorf("Authorization = %q", got)
	}
	q := r.URL.Query()
	want := map[string]string{"type": "XML", "langue": "2", "carte": zoeCard, "ReturnType": "42a"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("query %s = %q, want %q", k, q.Get(k), v)
		}
	}
	if len(q) != len(want) {
		t.Errorf("query %v has extra parameters", q)
	}
	if strings.Contains(r.URL.RawQuery, "a1B2") {
		t.Error("the token leaked into the URL")
	}
}

func TestLookupDefaultsLangueAndKeepsConfiguredQuery(t *testing.T) {
	f, srv := newFake(t, readFixture(t, "valid-utf8.xml"), hinToken)
	c := New(Config{URL: srv.URL + "/servlet?tenant=a+b", Now: func() time.Time { return fixtureDay }}, srv.Client())
	if _, err := c.Lookup(t.Context(), zoeCard, &fakeTokens{tokens: []string{hinToken}}); err != nil {
		t.Fatal(err)
	}
	q := f.requests[0].URL.Query()
	if q.Get("langue") != "1" || q.Get("tenant") != "a b" || q.Get("carte") != zoeCard {
		t.Errorf("query = %v", q)
	}
}

// The langue mapping, checked against HIN's French guide: German (1) is
// the default; the guide's value (3) is sent verbatim, never remapped,
// since no source says which language it is.
func TestLangueMappingAsDocumented(t *testing.T) {
	if LangueGerman != "1" || LangueHINFrenchGuide != "3" {
		t.Fatalf("langue constants %q %q", LangueGerman, LangueHINFrenchGuide)
	}
	for configured, sent := range map[string]string{"": LangueGerman, LangueHINFrenchGuide: "3", "2": "2"} {
		f, srv := newFake(t, readFixture(t, "valid-utf8.xml"), hinToken)
		c := New(Config{URL: srv.URL, Langue: configured, Now: func() time.Time { return fixtureDay }}, srv.Client())
		if _, err := c.Lookup(t.Context(), zoeCard, &fakeTokens{tokens: []string{hinToken}}); err != nil {
			t.Fatal(err)
		}
		if got := f.requests[0].URL.Query().Get("langue"); got != sent {
			t.Errorf("configured %q: sent %q, want %q", configured, got, sent)
		}
	}
}

func TestLookupRefreshesOnceOn401(t *testing.T) {
	f, srv := newFake(t, readFixture(t, "valid-iso-8859-1.xml"), "fresh")
	tokens := &fakeTokens{tokens: []string{"stale", "fresh"}}
	res, err := newClient(srv, Config{}).Lookup(t.Context(), zoeCard, tokens)
	if err != nil {
		t.Fatalf("Lookup: %v", err)
	}
	if res.Outcome != Valid || res.Person.FamilyName != "Müller-Dubois" {
		t.Errorf("result %v %+v", res.Outcome, res.Person)
	}
	if len(tokens.refreshed) != 1 || tokens.refreshed[0] != "stale" {
		t.Errorf("Refresh calls = %q, want one with the refused token", tokens.refreshed)
	}
	if f.hits() != 2 || f.requests[1].Header.Get("Authorization") != "Bearer fresh" {
		t.Errorf("%d requests; retry sent %q", f.hits(), f.requests[len(f.requests)-1].Header.Get("Authorization"))
	}
}

func TestLookupGivesUpAfterTheSecond401(t *testing.T) {
	f, srv := newFake(t, readFixture(t, "valid-utf8.xml")) // accepts no token
	tokens := &fakeTokens{tokens: []string{"stale#1", "refused#2", "never"}}
	_, err := newClient(srv, Config{}).Lookup(t.Context(), zoeCard, tokens)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusUnauthorized {
		t.Errorf("err = %#v, want a StatusError 401", err)
	}
	if len(tokens.refreshed) != 1 || f.hits() != 2 {
		t.Errorf("%d refreshes, %d requests; want 1 and 2", len(tokens.refreshed), f.hits())
	}
	assertNoSecrets(t, err, "stale#1", "refused#2")
}

func TestLookupRefreshFailure(t *testing.T) {
	errReauth := errors.New("hin: sign in again")
	f, srv := newFake(t, readFixture(t, "valid-utf8.xml"))
	tokens := &fakeTokens{tokens: []string{"stale"}, refreshErr: errReauth}
	_, err := newClient(srv, Config{}).Lookup(t.Context(), zoeCard, tokens)
	if !errors.Is(err, ErrUnauthorized) || !errors.Is(err, errReauth) {
		t.Fatalf("err = %v, want ErrUnauthorized wrapping the refresh error", err)
	}
	if f.hits() != 1 {
		t.Errorf("%d requests, want 1 (no retry without a token)", f.hits())
	}
}

func TestLookupTokenFailure(t *testing.T) {
	errNoToken := errors.New("hin: no token stored")
	f, srv := newFake(t, readFixture(t, "valid-utf8.xml"))
	_, err := newClient(srv, Config{}).Lookup(t.Context(), zoeCard, &fakeTokens{tokenErr: errNoToken})
	if !errors.Is(err, errNoToken) {
		t.Fatalf("err = %v, want the token source's error", err)
	}
	if f.hits() != 0 {
		t.Errorf("%d requests without a token", f.hits())
	}
}

// An empty token is treated as refused: refreshed once, never sent.
func TestLookupEmptyToken(t *testing.T) {
	f, srv := newFake(t, readFixture(t, "valid-utf8.xml"), "fresh")
	tokens := &fakeTokens{tokens: []string{"", "fresh"}}
	res, err := newClient(srv, Config{}).Lookup(t.Context(), zoeCard, tokens)
	if err != nil || res.Outcome != Valid {
		t.Fatalf("Lookup: %v, %+v", err, res)
	}
	if f.hits() != 1 || len(tokens.refreshed) != 1 {
		t.Errorf("%d requests, %d refreshes; want 1 and 1", f.hits(), len(tokens.refreshed))
	}
}

func TestLookupNoTokenEvenAfterRefresh(t *testing.T) {
	f, srv := newFake(t, readFixture(t, "valid-utf8.xml"), "fresh")
	tokens := &fakeTokens{tokens: []string{"", ""}}
	_, err := newClient(srv, Config{}).Lookup(t.Context(), zoeCard, tokens)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if f.hits() != 0 || len(tokens.refreshed) != 1 {
		t.Errorf("%d requests, %d refreshes; want 0 and 1", f.hits(), len(tokens.refreshed))
	}
}

// One Client serves concurrent requests (run with -race).
func TestLookupConcurrent(t *testing.T) {
	f, srv := newFake(t, readFixture(t, "valid-windows-1252.xml"), hinToken)
	c := newClient(srv, Config{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			res, err := c.Lookup(t.Context(), zoeCard, &fakeTokens{tokens: []string{hinToken}})
			if err == nil && res.Person.GivenName != "Zoé" {
				err = errors.New("wrong person " + res.Person.GivenName)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if f.hits() != 8 {
		t.Errorf("%d requests, want 8", f.hits())
	}
}

func TestLookupStatusErrors(t *testing.T) {
	tests := []struct {
		status int
		want   error
	}{
		{http.StatusForbidden, ErrForbidden},
		{http.StatusInternalServerError, ErrUnavailable},
		{http.StatusBadGateway, ErrUnavailable},
		{http.StatusServiceUnavailable, ErrUnavailable},
		{http.StatusTooManyRequests, ErrUnavailable},
		{http.StatusNotFound, ErrUnavailable},
		{http.StatusBadRequest, ErrUnavailable},
	}
	for _, tt := range tests {
		f, srv := newFake(t, nil, hinToken)
		f.status = tt.status
		tokens := &fakeTokens{tokens: []string{hinToken}}
		_, err := newClient(srv, Config{}).Lookup(t.Context(), zoeCard, tokens)
		if !errors.Is(err, tt.want) {
			t.Errorf("HTTP %d: err = %v, want %v", tt.status, err, tt.want)
			continue
		}
		var se *StatusError
		if !errors.As(err, &se) || se.StatusCode != tt.status {
			t.Errorf("HTTP %d: err = %#v, want a StatusError with the status", tt.status, err)
		}
		if len(tokens.refreshed) != 0 || f.hits() != 1 {
			t.Errorf("HTTP %d: %d refreshes, %d requests; want 0 and 1", tt.status, len(tokens.refreshed), f.hits())
		}
		assertNoSecrets(t, err, hinToken)
	}
}

func TestLookupTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	c := newClient(srv, Config{Timeout: 50 * time.Millisecond})
	start := time.Now()
	_, err := c.Lookup(t.Context(), zoeCard, &fakeTokens{tokens: []string{hinToken}})
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrUnavailable wrapping the deadline", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Lookup took %v despite a 50 ms timeout", elapsed)
	}
	assertNoSecrets(t, err, hinToken)
}

// A stalled body counts against the timeout too.
func TestLookupTimeoutWhileReadingTheBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<?xml version="1.0"?><r>`))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	_, err := newClient(srv, Config{Timeout: 50 * time.Millisecond}).Lookup(t.Context(), zoeCard, &fakeTokens{tokens: []string{hinToken}})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
}

func TestLookupNetworkError(t *testing.T) {
	_, srv := newFake(t, nil)
	c := newClient(srv, Config{})
	srv.Close()
	_, err := c.Lookup(t.Context(), zoeCard, &fakeTokens{tokens: []string{hinToken}})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	assertNoSecrets(t, err, hinToken)
}

func TestLookupResponseSizeLimit(t *testing.T) {
	body := readFixture(t, "valid-utf8.xml")
	for _, tt := range []struct {
		limit int64
		want  error
	}{
		{int64(len(body)), nil},
		{int64(len(body)) - 1, ErrMalformed},
		{1024, ErrMalformed},
	} {
		_, srv := newFake(t, body, hinToken)
		_, err := newClient(srv, Config{MaxResponseBytes: tt.limit}).Lookup(t.Context(), zoeCard, &fakeTokens{tokens: []string{hinToken}})
		if !errors.Is(err, tt.want) && (tt.want != nil || err != nil) {
			t.Errorf("limit %d for %d bytes: err = %v, want %v", tt.limit, len(body), err, tt.want)
		}
	}
}

// With the default 1 MiB limit, a larger answer is refused before parsing.
func TestLookupOversizedAnswer(t *testing.T) {
	valid := string(readFixture(t, "valid-utf8.xml"))
	padding := "<!--" + strings.Repeat("x", 1<<20) + "-->"
	huge := strings.Replace(valid, "<CH-Baseinformation>", padding+"<CH-Baseinformation>", 1)
	_, srv := newFake(t, []byte(huge), hinToken)
	_, err := newClient(srv, Config{}).Lookup(t.Context(), zoeCard, &fakeTokens{tokens: []string{hinToken}})
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Fatalf("err = %v, want ErrMalformed for size", err)
	}
}

func TestLookupMalformedAnswer(t *testing.T) {
	_, srv := newFake(t, readFixture(t, "malformed.xml"), hinToken)
	_, err := newClient(srv, Config{}).Lookup(t.Context(), zoeCard, &fakeTokens{tokens: []string{hinToken}})
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
}

// An answer about another card than the one asked for is never shown.
func TestLookupRefusesAnAnswerAboutAnotherCard(t *testing.T) {
	_, srv := newFake(t, readFixture(t, "valid-utf8.xml"), hinToken)
	_, err := newClient(srv, Config{}).Lookup(t.Context(), "80756015600099999999", &fakeTokens{tokens: []string{hinToken}})
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
	assertNoSecrets(t, err, "80756015600099999999")
}

func TestLookupJudgesExpiryWithTheConfiguredClock(t *testing.T) {
	_, srv := newFake(t, readFixture(t, "valid-utf8.xml"), hinToken)
	later := func() time.Time { return time.Date(2031, time.January, 1, 8, 0, 0, 0, time.UTC) }
	res, err := newClient(srv, Config{Now: later}).Lookup(t.Context(), zoeCard, &fakeTokens{tokens: []string{hinToken}})
	if err != nil || res.Outcome != Expired {
		t.Fatalf("Lookup = %+v, %v; want Expired", res, err)
	}
}

func TestLookupInvalidConfiguredURL(t *testing.T) {
	var calls atomic.Int32
	tokens := &countingTokens{calls: &calls}
	_, err := New(Config{URL: "not a url"}, nil).Lookup(t.Context(), zoeCard, tokens)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if calls.Load() != 0 {
		t.Error("asked for a token with nowhere to send it")
	}
}

type countingTokens struct{ calls *atomic.Int32 }

func (c *countingTokens) Token(context.Context) (string, error) { c.calls.Add(1); return "t", nil }
func (c *countingTokens) Refresh(context.Context, string) (string, error) {
	c.calls.Add(1)
	return "t", nil
}

func TestNewDefaults(t *testing.T) {
	c := New(Config{}, nil)
	if c.endpoint.String() != DefaultURL || c.langue != "1" || c.timeout != 10*time.Second || c.maxBytes != 1<<20 || c.http == nil || c.http.CheckRedirect == nil || c.now == nil {
		t.Errorf("defaults: %+v", c)
	}
	u := c.requestURL("80756015600012345678")
	want := DefaultURL + "?ReturnType=42a&carte=80756015600012345678&langue=1&type=XML"
	if u != want {
		t.Errorf("requestURL = %s, want %s", u, want)
	}
}
