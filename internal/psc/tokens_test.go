package psc_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
	"github.com/infopatient/infopatient/internal/secretbox"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/testdb"
)

// keeperEnv is a PSC sign-in whose tokens a TokenKeeper keeps in a real
// store (SQLite, or PostgreSQL when TEST_DATABASE_URL is set).
type keeperEnv struct {
	r       *rp
	clk     *testClock
	dsn     string
	store   *store.Store
	box     *secretbox.Box
	keeper  *psc.TokenKeeper
	session string // the local session token
	login   *psc.Login
}

type backendCase struct {
	name string
	dsn  func(t *testing.T) string
}

func tokenBackends() []backendCase {
	return []backendCase{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "infopatient.db") }},
		{"postgres", func(t *testing.T) string {
			u := testdb.URL(t)
			if u == "" {
				t.Skip("TEST_DATABASE_URL is not set")
			}
			return u
		}},
	}
}

func openStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func newKeeperEnv(t *testing.T, dsn string) *keeperEnv {
	t.Helper()
	e := &keeperEnv{clk: newClock(), dsn: dsn, session: "session-" + t.Name()}
	e.r = clocked(t, e.clk)
	e.store = openStore(t, dsn)
	var err error
	if e.box, err = secretbox.New(secretbox.GenerateKey()); err != nil {
		t.Fatal(err)
	}
	e.keeper = psc.NewTokenKeeper(e.r.client, e.store, e.box)
	if e.login, err = e.r.login(t); err != nil {
		t.Fatal(err)
	}
	e.record(t, e.session, e.login)
	return e
}

// record stores a sign-in as the portal does: the provider session with
// its sealed tokens.
func (e *keeperEnv) record(t *testing.T, session string, login *psc.Login) {
	t.Helper()
	sealed, err := e.keeper.Seal(session, login.Tokens)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.RecordProviderSession(context.Background(), store.ProviderSession{Provider: "psc", SID: login.SID, Subject: login.Subject,
		SessionToken: session, ExpiresAt: time.Now().Add(12 * time.Hour), IDToken: []byte("sealed id token"), Tokens: sealed}); err != nil {
		t.Fatal(err)
	}
}

func (e *keeperEnv) refreshes() int { return e.r.sim.Stats().Token }

func TestTokenKeeper(t *testing.T) {
	t.Parallel()
	for _, b := range tokenBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			testTokenKeeper(t, b.dsn(t))
		})
	}
}

func testTokenKeeper(t *testing.T, dsn string) {
	e := newKeeperEnv(t, dsn)
	ctx := context.Background()
	first := e.login.Tokens.AccessToken
	if e.login.Tokens.RefreshToken == "" || e.login.Tokens.RefreshExpiry.IsZero() {
		t.Fatalf("tokens %+v", e.login.Tokens)
	}
	calls := e.refreshes()
	if got, err := e.keeper.Token(ctx, e.session); err != nil || got != first || e.refreshes() != calls {
		t.Fatalf("fresh token: %q %v (%d calls)", got, err, e.refreshes()-calls)
	}
	// Sealed in the store, never in the clear.
	raw, _ := e.store.ProviderTokens(ctx, e.session)
	if len(raw) == 0 || containsBytes(raw, first) || containsBytes(raw, e.login.Tokens.RefreshToken) {
		t.Fatal("tokens not sealed")
	}
	// Within the margin of its 2 minutes: refreshed before use.
	e.clk.advance(100 * time.Second)
	second, err := e.keeper.Token(ctx, e.session)
	if err != nil || second == first || e.refreshes() != calls+1 {
		t.Fatalf("refresh: %q %v (%d calls)", second, err, e.refreshes()-calls)
	}
	if got, _ := e.keeper.Token(ctx, e.session); got != second {
		t.Error("the refreshed token was not kept")
	}
	// An API refused the current token: replaced; refused an old one:
	// the current one, no call.
	third, err := e.keeper.Refresh(ctx, e.session, second)
	if err != nil || third == second || e.refreshes() != calls+2 {
		t.Fatalf("refresh of a rejected token: %q %v", third, err)
	}
	if got, err := e.keeper.Refresh(ctx, e.session, second); err != nil || got != third || e.refreshes() != calls+2 {
		t.Errorf("a token already replaced: %q %v", got, err)
	}
	// A ciphertext moved to another session does not open there.
	other := "session-other-" + t.Name()
	e.record(t, other, e.login)
	if err := e.store.SetProviderTokens(ctx, other, raw); err != nil {
		t.Fatal(err)
	}
	if _, err := e.keeper.Token(ctx, other); !errors.Is(err, psc.ErrReauthRequired) {
		t.Errorf("moved ciphertext: %v", err)
	}
	// Forgotten: sign in again.
	if err := e.keeper.Forget(ctx, other); err != nil {
		t.Fatal(err)
	}
	if _, err := e.keeper.Token(ctx, other); !errors.Is(err, psc.ErrReauthRequired) {
		t.Errorf("forgotten: %v", err)
	}
	if _, err := e.keeper.Token(ctx, "never-signed-in"); !errors.Is(err, psc.ErrReauthRequired) {
		t.Errorf("no sign-in: %v", err)
	}
}

// PSC down while the token still lives: it is used; once expired, the
// caller hears PSC is unavailable and the tokens are kept for later.
func TestTokenKeeperWhenPSCIsDown(t *testing.T) {
	t.Parallel()
	e := newKeeperEnv(t, filepath.Join(t.TempDir(), "infopatient.db"))
	ctx := context.Background()
	e.r.sim.Misbehave(clientID, pscsim.TokenServerError, true)
	e.clk.advance(100 * time.Second)
	if got, err := e.keeper.Token(ctx, e.session); err != nil || got != e.login.Tokens.AccessToken {
		t.Errorf("still valid: %q %v", got, err)
	}
	e.clk.advance(time.Minute)
	if _, err := e.keeper.Token(ctx, e.session); !errors.Is(err, psc.ErrUnavailable) {
		t.Errorf("expired, PSC down: %v", err)
	}
	e.r.sim.Behave()
	if got, err := e.keeper.Token(ctx, e.session); err != nil || got == e.login.Tokens.AccessToken {
		t.Errorf("PSC back: %q %v", got, err)
	}
}

// A refresh PSC refuses (its session ended) asks for a new sign-in and
// drops the tokens; the portal's record of the session stays. Past the
// refresh token's 30 minutes no call is made at all.
func TestTokenKeeperRefused(t *testing.T) {
	t.Parallel()
	e := newKeeperEnv(t, filepath.Join(t.TempDir(), "infopatient.db"))
	ctx := context.Background()
	if err := e.r.sim.EndSession(ctx, e.login.SID); err != nil {
		t.Fatal(err)
	}
	e.clk.advance(119 * time.Second)
	if _, err := e.keeper.Token(ctx, e.session); !errors.Is(err, psc.ErrReauthRequired) {
		t.Fatalf("refused refresh: %v", err)
	}
	if raw, _ := e.store.ProviderTokens(ctx, e.session); raw != nil {
		t.Error("refused tokens kept")
	}
	if _, err := e.store.ProviderSession(ctx, e.session, time.Now()); err != nil {
		t.Errorf("the session's record went too: %v", err)
	}

	e2 := newKeeperEnv(t, filepath.Join(t.TempDir(), "infopatient.db"))
	e2.clk.advance(31 * time.Minute)
	calls := e2.refreshes()
	if _, err := e2.keeper.Token(ctx, e2.session); !errors.Is(err, psc.ErrReauthRequired) || e2.refreshes() != calls {
		t.Errorf("past the refresh token's life: %v (%d calls)", err, e2.refreshes()-calls)
	}
}

// Many requests of two instances needing a refresh at once: one refresh
// (PSC's refresh tokens rotate; a second one would be refused), and
// every request gets the new token.
func TestTokenKeeperSingleFlightAcrossInstances(t *testing.T) {
	t.Parallel()
	for _, b := range tokenBackends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			e := newKeeperEnv(t, b.dsn(t))
			second := psc.NewTokenKeeper(e.r.client, openStore(t, e.dsn), e.box)
			if e.store.Dialect() == store.SQLite {
				second = psc.NewTokenKeeper(e.r.client, e.store, e.box) // one process owns a SQLite file
			}
			e.clk.advance(100 * time.Second)
			calls := e.refreshes()
			var wg sync.WaitGroup
			got := make([]string, 16)
			errs := make([]error, len(got))
			for i := range got {
				k := e.keeper
				if i%2 == 1 {
					k = second
				}
				wg.Go(func() { got[i], errs[i] = k.Token(context.Background(), e.session) })
			}
			wg.Wait()
			for i := range got {
				if errs[i] != nil || got[i] != got[0] || got[i] == e.login.Tokens.AccessToken {
					t.Errorf("request %d: %q %v", i, got[i], errs[i])
				}
			}
			if n := e.refreshes() - calls; n != 1 {
				t.Errorf("%d refreshes", n)
			}
		})
	}
}

// The source plugs into x/oauth2's HTTP client for an API on the
// professional's behalf.
func TestSessionTokensAsOAuth2Source(t *testing.T) {
	t.Parallel()
	e := newKeeperEnv(t, filepath.Join(t.TempDir(), "infopatient.db"))
	var seen string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = r.Header.Get("Authorization") }))
	t.Cleanup(api.Close)
	ctx := context.Background()
	resp, err := oauth2.NewClient(ctx, e.keeper.For(e.session).OAuth2(ctx)).Get(api.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if seen != "Bearer "+e.login.Tokens.AccessToken {
		t.Errorf("Authorization %q", seen)
	}
	if got, err := e.keeper.For(e.session).Token(ctx); err != nil || got != e.login.Tokens.AccessToken {
		t.Errorf("Token: %q %v", got, err)
	}
	if _, err := oauth2.NewClient(ctx, e.keeper.For("gone").OAuth2(ctx)).Get(api.URL); !errors.Is(err, psc.ErrReauthRequired) {
		t.Errorf("no tokens: %v", err)
	}
}

func containsBytes(b []byte, s string) bool { return s != "" && bytes.Contains(b, []byte(s)) }
