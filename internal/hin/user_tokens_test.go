package hin

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
	"github.com/infopatient/infopatient/internal/secretbox"
)

const account = int64(42)

func (e *env) userTokens() *UserTokens { return NewUserTokens(e.client, e.store, e.box) }

func TestUserTokensSaveAndUse(t *testing.T) {
	e := newEnv(t)
	u := e.userTokens()
	tok := e.signIn("cmuster")
	if err := u.Save(context.Background(), account, tok); err != nil {
		t.Fatal(err)
	}
	got, err := u.Token(context.Background(), account)
	if err != nil || got != tok.AccessToken {
		t.Fatalf("%q %v", got, err)
	}
	if s := e.sim.Stats(); s.RefreshToken != 0 {
		t.Fatalf("a fresh token was refreshed: %+v", s)
	}
	// Sealed at rest: neither token appears in the store.
	raw := e.store.raw("hin:user:42")
	if len(raw) == 0 || bytes.Contains(raw, []byte(tok.AccessToken)) || bytes.Contains(raw, []byte(tok.RefreshToken)) {
		t.Fatal("tokens stored in clear")
	}
	// Through the TokenSource of the account.
	var ts TokenSource = u.For(account)
	if got, err := ts.Token(context.Background()); err != nil || got != tok.AccessToken {
		t.Fatalf("source: %q %v", got, err)
	}
}

func TestUserTokensRefreshWhenStale(t *testing.T) {
	tests := []struct {
		name    string
		advance time.Duration
		refresh bool
	}{
		{"well before expiry", 30 * time.Minute, false},
		{"just outside the margin", time.Hour - RefreshMargin - time.Second, false},
		{"within the margin", time.Hour - 30*time.Second, true},
		{"expired", 2 * time.Hour, true},
		{"expired for days", 5 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			u := e.userTokens()
			first := e.signIn("cmuster")
			if err := u.Save(context.Background(), account, first); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(tt.advance)
			got, err := u.Token(context.Background(), account)
			if err != nil {
				t.Fatal(err)
			}
			if refreshed := got != first.AccessToken; refreshed != tt.refresh {
				t.Fatalf("refreshed = %v", refreshed)
			}
			if want := map[bool]int{false: 0, true: 1}[tt.refresh]; e.sim.Stats().RefreshToken != want {
				t.Fatalf("%d refresh requests", e.sim.Stats().RefreshToken)
			}
			if !tt.refresh {
				return
			}
			// The rotated refresh token was stored: the next refresh works.
			e.clock.Advance(2 * time.Hour)
			if _, err := u.Token(context.Background(), account); err != nil {
				t.Fatalf("second refresh: %v", err)
			}
		})
	}
}

func TestUserTokensOneRefreshForConcurrentRequests(t *testing.T) {
	e := newEnv(t)
	// Two instances of the portal over one store.
	instances := []*UserTokens{e.userTokens(), e.userTokens()}
	if err := instances[0].Save(context.Background(), account, e.signIn("cmuster")); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour)
	const n = 50
	got := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = instances[i%2].Token(context.Background(), account) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if got[i] != got[0] {
			t.Fatal("callers got different tokens")
		}
	}
	if s := e.sim.Stats(); s.RefreshToken != 1 {
		t.Fatalf("%d refresh requests, want 1", s.RefreshToken)
	}
	if _, err := e.sim.Introspect(got[0]); err != nil {
		t.Fatalf("token handed out is not live: %v", err)
	}
}

func TestUserTokensRefreshRejected(t *testing.T) {
	e := newEnv(t)
	u := e.userTokens()
	first := e.signIn("cmuster")
	_ = u.Save(context.Background(), account, first)
	// Covercard refused a token that is still fresh by the clock (revoked).
	e.sim.RevokeAccessToken(first.AccessToken)
	const n = 50
	got := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var err error
			if got[i], err = u.For(account).Refresh(context.Background(), first.AccessToken); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if s := e.sim.Stats(); s.RefreshToken != 1 {
		t.Fatalf("%d refreshes", s.RefreshToken)
	}
	for _, g := range got {
		if g == first.AccessToken || g != got[0] {
			t.Fatalf("got %q", g)
		}
	}
	// A late request that still holds the first token gets the new one,
	// without another refresh.
	late, err := u.Refresh(context.Background(), account, first.AccessToken)
	if err != nil || late != got[0] || e.sim.Stats().RefreshToken != 1 {
		t.Fatalf("late: %q %v, %d refreshes", late, err, e.sim.Stats().RefreshToken)
	}
	// The new one refused in turn: refreshed again.
	again, err := u.Refresh(context.Background(), account, got[0])
	if err != nil || again == got[0] || e.sim.Stats().RefreshToken != 2 {
		t.Fatalf("again: %v, %d refreshes", err, e.sim.Stats().RefreshToken)
	}
}

func TestUserTokensInvalidGrant(t *testing.T) {
	e := newEnv(t)
	u := e.userTokens()
	_ = u.Save(context.Background(), account, e.signIn("cmuster"))
	e.clock.Advance(2 * time.Hour)
	e.sim.Misbehave(hinsim.FaultInvalidGrant, 1)
	_, err := u.Token(context.Background(), account)
	if !errors.Is(err, ErrReauthRequired) || !errors.Is(err, ErrInvalidGrant) {
		t.Fatalf("%v", err)
	}
	if e.store.has("hin:user:42") {
		t.Fatal("refused tokens kept")
	}
	before := e.sim.Stats().RefreshToken
	if _, err := u.Token(context.Background(), account); !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("after deletion: %v", err)
	}
	if e.sim.Stats().RefreshToken != before {
		t.Fatal("a request went out without tokens")
	}
}

func TestUserTokensSpentRefreshToken(t *testing.T) {
	// Another party used the refresh token (e.g. a restored backup):
	// HIN answers invalid_grant, the user signs in again.
	e := newEnv(t)
	u := e.userTokens()
	tok := e.signIn("cmuster")
	_ = u.Save(context.Background(), account, tok)
	if _, err := e.client.Refresh(context.Background(), tok.RefreshToken); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour)
	if _, err := u.Token(context.Background(), account); !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("%v", err)
	}
}

func TestUserTokensHINUnavailable(t *testing.T) {
	e := newEnv(t)
	u := e.userTokens()
	first := e.signIn("cmuster")
	_ = u.Save(context.Background(), account, first)

	// Inside the margin but not expired: the current token still serves.
	e.clock.Advance(time.Hour - 30*time.Second)
	e.sim.Misbehave(hinsim.FaultServerError, 1)
	if got, err := u.Token(context.Background(), account); err != nil || got != first.AccessToken {
		t.Fatalf("%q %v", got, err)
	}
	// Expired: the error shows, the tokens stay.
	e.clock.Advance(time.Minute)
	e.sim.Misbehave(hinsim.FaultServerError, 1)
	if _, err := u.Token(context.Background(), account); !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrReauthRequired) {
		t.Fatalf("%v", err)
	}
	if !e.store.has("hin:user:42") {
		t.Fatal("tokens dropped on a network error")
	}
	// HIN is back: the kept refresh token works.
	if got, err := u.Token(context.Background(), account); err != nil || got == first.AccessToken {
		t.Fatalf("%q %v", got, err)
	}
	// A rejected token is not handed back when the refresh fails.
	e.sim.Misbehave(hinsim.FaultServerError, 1)
	cur, _ := u.Token(context.Background(), account)
	if _, err := u.Refresh(context.Background(), account, cur); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("refresh of a rejected token: %v", err)
	}
}

func TestUserTokensWithoutTokens(t *testing.T) {
	e := newEnv(t)
	u := e.userTokens()
	ctx := context.Background()
	if _, err := u.Token(ctx, account); !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("none stored: %v", err)
	}
	if err := u.Save(ctx, account, nil); err == nil {
		t.Fatal("saved nil")
	}
	if err := u.Save(ctx, account, &Token{}); err == nil {
		t.Fatal("saved an empty token")
	}
	// Expired, without a refresh token: nothing to do but sign in again.
	_ = u.Save(ctx, account, &Token{AccessToken: "a", Expiry: e.clock.Now().Add(-time.Second), HINID: "cmuster"})
	if _, err := u.Token(ctx, account); !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("no refresh token: %v", err)
	}
	if e.store.has("hin:user:42") {
		t.Fatal("useless token kept")
	}
}

func TestUserTokensForget(t *testing.T) {
	e := newEnv(t)
	u := e.userTokens()
	_ = u.Save(context.Background(), account, e.signIn("cmuster"))
	_ = u.Save(context.Background(), account+1, e.signIn("aakeret"))
	if err := u.Forget(context.Background(), account); err != nil {
		t.Fatal(err)
	}
	if _, err := u.Token(context.Background(), account); !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("%v", err)
	}
	if _, err := u.Token(context.Background(), account+1); err != nil {
		t.Fatalf("another account's tokens went too: %v", err)
	}
}

func TestUserTokensSealedPerAccount(t *testing.T) {
	e := newEnv(t)
	u := e.userTokens()
	_ = u.Save(context.Background(), account, e.signIn("cmuster"))
	// A ciphertext copied to another account's row does not open there.
	e.store.set("hin:user:43", e.store.raw("hin:user:42"))
	if _, err := u.Token(context.Background(), 43); !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("%v", err)
	}
	if e.store.has("hin:user:43") {
		t.Fatal("unreadable row kept")
	}
	// After a change of encryption key, users sign in again.
	otherBox, _ := secretbox.New(secretbox.GenerateKey())
	if _, err := NewUserTokens(e.client, e.store, otherBox).Token(context.Background(), account); !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("%v", err)
	}
}

func TestUserTokensStoreFailure(t *testing.T) {
	e := newEnv(t)
	u := e.userTokens()
	e.store.getErr = errors.New("database is down")
	_, err := u.Token(context.Background(), account)
	if err == nil || errors.Is(err, ErrReauthRequired) || errors.Is(err, ErrNoToken) {
		t.Fatalf("%v", err)
	}
}

func TestUserTokensCallerLeavesFlightFinishes(t *testing.T) {
	e := newEnv(t, func(c *hinsim.Config) { c.SlowDelay = 200 * time.Millisecond })
	u := e.userTokens()
	first := e.signIn("cmuster")
	_ = u.Save(context.Background(), account, first)
	e.clock.Advance(2 * time.Hour)
	e.sim.Misbehave(hinsim.FaultSlow, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := u.Token(ctx, account); !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v", err)
	}
	// The refresh went on for the others: the next caller gets its result.
	got, err := u.Token(context.Background(), account)
	if err != nil || got == first.AccessToken {
		t.Fatalf("%q %v", got, err)
	}
	if s := e.sim.Stats(); s.RefreshToken != 1 {
		t.Fatalf("%d refreshes", s.RefreshToken)
	}
}
