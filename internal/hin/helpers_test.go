package hin

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
	"github.com/infopatient/infopatient/internal/secretbox"
	"github.com/infopatient/infopatient/internal/testclock"
)

const (
	testGroup       = "hin_covercard"
	testClientID    = "ch.infopatient"
	testSecret      = "grant-s3cret+/#x"
	testDeviceID    = "ch.infopatient-cc"
	testDeviceSec   = "device-s3cret#+y"
	testRedirectURI = "https://portal.example/auth/hin/callback"
)

// memStore is an in-memory TokenStore with the contract of the portal's
// store: ErrNoToken when absent, copies in and out, and a per-key lock
// shared by every ServiceTokens/UserTokens built on it (as instances
// share PostgreSQL's advisory locks).
type memStore struct {
	mu     sync.Mutex
	data   map[string][]byte
	locks  map[string]chan struct{}
	getErr error // returned by GetToken when set
	puts   atomic.Int32
}

func newMemStore() *memStore {
	return &memStore{data: map[string][]byte{}, locks: map[string]chan struct{}{}}
}

func (m *memStore) GetToken(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.getErr != nil {
		return nil, m.getErr
	}
	v, ok := m.data[key]
	if !ok {
		return nil, ErrNoToken
	}
	return append([]byte(nil), v...), nil
}

func (m *memStore) PutToken(_ context.Context, key string, ct []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.puts.Add(1)
	m.data[key] = append([]byte(nil), ct...)
	return nil
}

func (m *memStore) DeleteToken(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.data, key)
	return nil
}

func (m *memStore) WithLock(ctx context.Context, key string, fn func(context.Context) error) error {
	m.mu.Lock()
	l, ok := m.locks[key]
	if !ok {
		l = make(chan struct{}, 1)
		m.locks[key] = l
	}
	m.mu.Unlock()
	select {
	case l <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l }()
	return fn(ctx)
}

func (m *memStore) has(key string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.data[key]
	return ok
}

func (m *memStore) raw(key string) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]byte(nil), m.data[key]...)
}

func (m *memStore) set(key string, v []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data[key] = v
}

// TestMemStoreContract keeps the test store honest about the contract.
func TestMemStoreContract(t *testing.T) {
	ctx := context.Background()
	m := newMemStore()
	if _, err := m.GetToken(ctx, "k"); !errors.Is(err, ErrNoToken) {
		t.Fatalf("absent: %v", err)
	}
	in := []byte("abc")
	_ = m.PutToken(ctx, "k", in)
	in[0] = 'x'
	out, _ := m.GetToken(ctx, "k")
	if string(out) != "abc" {
		t.Fatal("store keeps the caller's slice")
	}
	if err := m.DeleteToken(ctx, "k"); err != nil || m.has("k") {
		t.Fatal("delete")
	}
	if err := m.DeleteToken(ctx, "k"); err != nil {
		t.Fatal("deleting an absent key failed")
	}
	// The lock excludes, and waiting for it ends with ctx.
	held := make(chan struct{})
	release := make(chan struct{})
	go func() { _ = m.WithLock(ctx, "k", func(context.Context) error { close(held); <-release; return nil }) }()
	<-held
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := m.WithLock(short, "k", func(context.Context) error { return nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("lock not exclusive: %v", err)
	}
	if err := m.WithLock(ctx, "other", func(context.Context) error { return nil }); err != nil {
		t.Fatal("keys share a lock")
	}
	close(release)
	if err := m.WithLock(ctx, "k", func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

func newClock() *testclock.Clock { return testclock.New(time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)) }

// env is a HIN simulator and a client configured for it.
type env struct {
	t      *testing.T
	sim    *hinsim.Server
	srv    *httptest.Server
	clock  *testclock.Clock
	client *Client
	box    *secretbox.Box
	boxKey []byte
	store  *memStore
}

// useKey seals the env's tokens with key from now on.
func (e *env) useKey(key []byte) {
	e.t.Helper()
	var err error
	if e.box, err = secretbox.New(key); err != nil {
		e.t.Fatal(err)
	}
	e.boxKey = key
}

func newEnv(t *testing.T, mutate ...func(*hinsim.Config)) *env {
	t.Helper()
	e := &env{t: t, clock: newClock(), store: newMemStore()}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { e.sim.ServeHTTP(w, r) }))
	t.Cleanup(e.srv.Close)
	cfg := hinsim.Config{
		BaseURL: e.srv.URL + "/sandbox/hin",
		Identities: []hinsim.Identity{
			{HINID: "cmuster", Title: "Dr.", GivenName: "Claudia", FamilyName: "Muster", Profession: "Médecin"},
			{HINID: "aakeret", GivenName: "Andrea", FamilyName: "Akeret", Profession: "Pharmacienne"},
		},
		Clients: []hinsim.Client{{ID: testClientID, Secret: testSecret, Name: "InfoPatient", RedirectURIs: []string{testRedirectURI}, TokenGroups: []string{testGroup}}},
		Devices: []hinsim.Device{{ClientID: testDeviceID, Secret: testDeviceSec, TokenGroup: testGroup}},
		Now:     e.clock.Now,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	sim, err := hinsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.sim = sim
	e.client = New(e.config(), e.srv.Client())
	e.box, err = secretbox.New(secretbox.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) config() Config {
	return Config{
		AuthorizeURL: e.sim.AuthorizeURL(),
		TokenURL:     e.sim.TokenURL(),
		ManualURL:    e.srv.URL + "/sandbox/hin/apps?app=HinCredMgrOAuth&tokenGroup={tokenGroup}",
		ClientID:     testClientID,
		ClientSecret: testSecret,
		TokenGroup:   testGroup,
		RedirectURL:  testRedirectURI,
		HTTPTimeout:  5 * time.Second,
		Now:          e.clock.Now,
	}
}

// browse follows HIN's pages as a user would: the identity, then Yes.
// It returns the final redirect (grant flow) or the page's code (manual).
func (e *env) browse(start, hinID string) (location *url.URL, manualCode string) {
	e.t.Helper()
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page := func(resp *http.Response, err error) *goquery.Document {
		e.t.Helper()
		if err != nil {
			e.t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			e.t.Fatalf("%s: status %d", resp.Request.URL.Path, resp.StatusCode)
		}
		doc, err := goquery.NewDocumentFromReader(resp.Body)
		if err != nil {
			e.t.Fatal(err)
		}
		return doc
	}
	submit := func(doc *goquery.Document, name, value string) (*http.Response, error) {
		action, _ := doc.Find("form").Attr("action")
		pending, _ := doc.Find(`input[name="pending"]`).Attr("value")
		return browser.PostForm(e.srv.URL+action, url.Values{"pending": {pending}, name: {value}})
	}
	doc := page(browser.Get(start))
	resp, err := submit(doc, "hin_id", hinID)
	doc = page(resp, err)
	if code := doc.Find(`[data-testid="hin-manual-code"]`).Text(); code != "" {
		return nil, code
	}
	resp, err = submit(doc, "decision", "yes")
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("consent: %d %v", resp.StatusCode, err)
	}
	return loc, ""
}

// signIn runs the grant flow for hinID and exchanges the code.
func (e *env) signIn(hinID string) *Token {
	e.t.Helper()
	loc, _ := e.browse(e.client.AuthCodeURL("state-1"), hinID)
	tok, err := e.client.Exchange(context.Background(), loc.Query().Get("code"), false)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// assertNoSecrets fails if err's message carries a secret.
func assertNoSecrets(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range append(secrets, testSecret, testDeviceSec) {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Fatalf("error %q reveals a secret", err)
		}
	}
}
