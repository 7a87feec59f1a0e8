package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

// waitServing waits until each store's session cache answers (on
// PostgreSQL, once its listener is connected).
func waitServing(t *testing.T, stores ...*store.Store) {
	t.Helper()
	for _, s := range stores {
		s.SessionStore()
		for deadline := time.Now().Add(5 * time.Second); !s.SessionCacheServing(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the session cache does not serve")
			}
		}
	}
}

// The cache answers a session already read without a query, and a
// session ended on any instance — logout, back-channel logout — is
// refused by every instance at its very next load. On SQLite there is one
// instance; on PostgreSQL, two.
func testSessionCacheCoherence(t *testing.T, db database) {
	ctx := context.Background()
	a := db.open(t)
	b := a
	if a.Dialect() == store.Postgres {
		b = db.open(t)
	}
	waitServing(t, a, b)
	exp := time.Now().Add(time.Hour)
	// cached reads token on each instance until the cache serves it: a
	// read that crosses the notice of the session's own last write is
	// (rightly) not kept, so a write just made may take one more read.
	cached := func(token string) {
		t.Helper()
		for _, s := range []*store.Store{a, b} {
			for deadline := time.Now().Add(2 * time.Second); ; {
				if _, found, err := s.SessionStore().Find(token); !found || err != nil {
					t.Fatalf("%s: %v %v", token, found, err)
				}
				hits := s.SessionCacheHits()
				if _, found, _ := s.SessionStore().Find(token); found && s.SessionCacheHits() == hits+1 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: the cache never serves it", token)
				}
			}
		}
	}
	refused := func(token, why string) {
		t.Helper()
		for _, s := range []*store.Store{a, b} {
			if _, found, err := s.SessionStore().Find(token); found || err != nil {
				t.Errorf("%s: the session is still served (%v)", why, err)
			}
		}
	}

	if err := a.SessionStore().Commit("logout", []byte("x"), exp); err != nil {
		t.Fatal(err)
	}
	cached("logout")
	if err := a.SessionStore().Delete("logout"); err != nil {
		t.Fatal(err)
	}
	refused("logout", "after a logout")

	if err := a.SessionStore().Commit("bcl", []byte("x"), exp); err != nil {
		t.Fatal(err)
	}
	if err := a.RecordProviderSession(ctx, store.ProviderSession{Provider: "psc", SID: "s1", Subject: "u1", SessionToken: "bcl", ExpiresAt: exp}); err != nil {
		t.Fatal(err)
	}
	cached("bcl")
	if n, err := a.EndProviderSessions(ctx, "psc", "s1", ""); n != 1 || err != nil {
		t.Fatalf("back-channel logout ended %d (%v)", n, err)
	}
	refused("bcl", "after a back-channel logout")

	// A change made by one instance reaches the other (soon: a commit
	// does not wait for the notification as an end does).
	if err := a.SessionStore().Commit("changed", []byte("v1"), exp); err != nil {
		t.Fatal(err)
	}
	cached("changed")
	if err := a.SessionStore().Commit("changed", []byte("v2"), exp); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		data, _, _ := b.SessionStore().Find("changed")
		if string(data) == "v2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other instance still reads %q", data)
		}
	}
}

// Without the cache every load is a query.
func TestWithoutSessionCache(t *testing.T) {
	s := database{dsn: t.TempDir() + "/nocache.db"}.open(t, store.WithoutSessionCache())
	ss := s.SessionStore()
	if err := ss.Commit("tok", []byte("x"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, found, err := ss.Find("tok"); !found || err != nil {
			t.Fatal(found, err)
		}
	}
	if s.SessionCacheHits() != 0 || s.SessionCacheServing() {
		t.Error("the cache served with WithoutSessionCache")
	}
}
