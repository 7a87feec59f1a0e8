package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/infopatient/infopatient/internal/store"
)

// The session store through scs's interfaces, as scs's SessionManager
// uses it, each Find a query (the cache has tests of its own).
func testSessionStore(t *testing.T, db database) {
	s := db.open(t, store.WithoutSessionCache())
	var ss scs.Store = s.SessionStore()
	if s.SessionStore() != ss {
		t.Error("a second SessionStore is another store")
	}
	if b, found, err := ss.Find("never-committed"); found || err != nil || b != nil {
		t.Errorf("unknown token: %q %v %v", b, found, err)
	}
	data := []byte("{\"account\":1,\"name\":\"Zoé\"}\x00\xff")
	if err := ss.Commit("tok", data, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if b, found, err := ss.Find("tok"); !found || err != nil || string(b) != string(data) {
		t.Errorf("find: %q %v %v", b, found, err)
	}
	if err := ss.Commit("tok", []byte("renewed"), time.Now().Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if b, _, _ := ss.Find("tok"); string(b) != "renewed" {
		t.Errorf("after a second commit: %q", b)
	}
	// Expiry is the database's clock against the stored instant.
	if err := ss.Commit("expired", []byte("x"), time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, found, err := ss.Find("expired"); found || err != nil {
		t.Errorf("expired session found (%v)", err)
	}
	if err := ss.Commit("soon", []byte("y"), time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	all, err := ss.(scs.IterableStore).All()
	if err != nil || len(all) != 2 || string(all["tok"]) != "renewed" || string(all["soon"]) != "y" {
		t.Errorf("all live sessions: %q %v", all, err)
	}
	if err := ss.Delete("tok"); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := ss.Find("tok"); found {
		t.Error("deleted session found")
	}
	if err := ss.Delete("tok"); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
	// scs hands the store the request's context: a request gone away
	// stops its session query.
	cs, ok := ss.(interface {
		FindCtx(ctx context.Context, token string) ([]byte, bool, error)
	})
	if !ok {
		t.Fatal("the session store takes no context")
	}
	if b, found, err := cs.FindCtx(context.Background(), "soon"); !found || err != nil || string(b) != "y" {
		t.Errorf("FindCtx: %q %v %v", b, found, err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, found, err := cs.FindCtx(cancelled, "soon"); found || !errors.Is(err, context.Canceled) {
		t.Errorf("FindCtx with a cancelled context: found %v, err %v", found, err)
	}
	// Another instance sees the sessions of the first.
	if b, found, err := db.open(t).SessionStore().Find("soon"); !found || err != nil || string(b) != "y" {
		t.Errorf("from another instance: %q %v %v", b, found, err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("close with the session cleanup running: %v", err)
	}
}

// Before the schema exists the store still works (without its prepared
// statement), and finds nothing.
func TestSessionStoreBeforeMigrations(t *testing.T) {
	db := database{dsn: t.TempDir() + "/fresh.db"}
	s := db.openUnmigrated(t)
	ss := s.SessionStore()
	if _, found, err := ss.Find("tok"); found || err == nil {
		t.Errorf("no sessions table: found %v, err %v", found, err)
	}
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := ss.Commit("tok", []byte("x"), time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, found, err := ss.Find("tok"); !found || err != nil {
		t.Errorf("after Migrate: %v %v", found, err)
	}
}
