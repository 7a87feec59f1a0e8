package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

// A session ended stays ended: a request that loaded it before and
// commits afterwards writes nothing, on this instance or another, and
// learns that the session ended. A new token still commits.
func testSessionStaysEnded(t *testing.T, db database) {
	a, b := db.open(t).SessionStore(), db.open(t).SessionStore()
	exp := time.Now().Add(time.Hour)
	if err := a.Commit("tok", []byte("signed-in"), exp); err != nil {
		t.Fatal(err)
	}
	for _, end := range []struct {
		name string
		by   func(token string) error
	}{
		{"logout on this instance", a.Delete},
		{"logout on another instance", b.Delete},
	} {
		tok := "tok-" + end.name
		if err := a.Commit(tok, []byte("signed-in"), exp); err != nil {
			t.Fatal(err)
		}
		if err := end.by(tok); err != nil {
			t.Fatal(err)
		}
		for _, st := range []interface {
			Commit(string, []byte, time.Time) error
		}{a, b} {
			if err := st.Commit(tok, []byte("written back"), exp); !errors.Is(err, store.ErrSessionEnded) {
				t.Errorf("%s: a late commit returned %v, want ErrSessionEnded", end.name, err)
			}
		}
		for _, st := range []interface {
			Find(string) ([]byte, bool, error)
		}{a, b} {
			if data, found, err := st.Find(tok); found || err != nil {
				t.Errorf("%s: ended session found again: %q %v", end.name, data, err)
			}
		}
	}
	// The tombstone keeps nothing of the session.
	s := db.open(t)
	_ = s.SessionStore().Delete("tok")
	var data []byte
	if err := s.DB().QueryRow(`SELECT data FROM sessions WHERE token = $1`, "tok").Scan(&data); err != nil || len(data) != 0 {
		t.Errorf("tombstone data %q (%v)", data, err)
	}
}

// Logout and a late commit racing from two instances: the session ends
// up ended whichever statement the database runs first.
func testSessionEndRace(t *testing.T, db database) {
	a, b := db.open(t).SessionStore(), db.open(t).SessionStore()
	exp := time.Now().Add(time.Hour)
	const rounds = 40
	for i := range rounds {
		tok := "race-" + string(rune('a'+i%26)) + time.Now().Format("150405.000000000")
		if err := a.Commit(tok, []byte("x"), exp); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Go(func() { _ = a.Commit(tok, []byte("written back"), exp) })
		wg.Go(func() {
			if err := b.Delete(tok); err != nil {
				t.Error(err)
			}
		})
		wg.Wait()
		if _, found, err := b.Find(tok); found || err != nil {
			t.Fatalf("round %d: the session outlived its logout (%v)", i, err)
		}
	}
}

// Back-channel logout tokens: a jti acts once until the token expires
// (on any instance), and ends only the sessions begun by its iat.
func testLogoutTokens(t *testing.T, db database) {
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { return now }
	open := func() *store.Store {
		s, err := store.Open(context.Background(), db.dsn, store.WithClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if _, err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := open(), open()
	ctx := context.Background()
	exp := time.Now().Add(time.Hour)
	record := func(token, sid string, started time.Time) {
		t.Helper()
		if err := a.SessionStore().Commit(token, []byte("{}"), exp); err != nil {
			t.Fatal(err)
		}
		if err := a.RecordProviderSession(ctx, store.ProviderSession{Provider: "psc", SID: sid, Subject: "sub1",
			SessionToken: token, ExpiresAt: exp, StartedAt: started}); err != nil {
			t.Fatal(err)
		}
	}
	live := func(token string) bool {
		_, found, err := b.SessionStore().Find(token)
		if err != nil {
			t.Fatal(err)
		}
		return found
	}
	record("before", "sid1", now.Add(-time.Minute))
	record("same-second", "sid2", now)
	record("after", "sid3", now.Add(time.Second))

	tok := store.LogoutToken{Provider: "psc", Issuer: "https://psc", JTI: "j1", Subject: "sub1", IssuedAt: now, Expiry: now.Add(2 * time.Minute)}
	if n, err := a.EndByLogoutToken(ctx, tok); err != nil || n != 2 {
		t.Fatalf("subject-only token ended %d (%v), want the 2 sessions begun by its iat", n, err)
	}
	if live("before") || live("same-second") || !live("after") {
		t.Errorf("live after the token: before %v, same second %v, after %v", live("before"), live("same-second"), live("after"))
	}
	// Replayed, on another instance: refused, nothing more ends.
	record("later", "sid4", now.Add(-time.Second))
	if n, err := b.EndByLogoutToken(ctx, tok); !errors.Is(err, store.ErrReplayed) || n != 0 {
		t.Errorf("replay: ended %d, err %v", n, err)
	}
	if !live("later") {
		t.Error("a replayed token ended a session")
	}
	// Another issuer's jti is another token.
	other := tok
	other.Issuer = "https://other"
	if _, err := a.EndByLogoutToken(ctx, other); err != nil {
		t.Errorf("same jti from another issuer: %v", err)
	}
	// By sid, bound by iat too.
	sidTok := store.LogoutToken{Provider: "psc", Issuer: "https://psc", JTI: "j2", SID: "sid3", IssuedAt: now, Expiry: now.Add(time.Minute)}
	if n, err := a.EndByLogoutToken(ctx, sidTok); err != nil || n != 0 || !live("after") {
		t.Errorf("sid token issued before the session: ended %d (%v)", n, err)
	}
	if _, err := a.EndByLogoutToken(ctx, store.LogoutToken{Provider: "psc", Issuer: "https://psc", SID: "sid3"}); err == nil {
		t.Error("a token without jti was accepted")
	}
	// The jti is remembered until the token expires, then swept.
	now = now.Add(3 * time.Minute)
	if _, err := a.Sweep(ctx, now); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := a.DB().QueryRow(`SELECT COUNT(*) FROM logout_tokens`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d logout tokens left after their expiry (%v)", left, err)
	}
}
