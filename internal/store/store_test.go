package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/testdb"
)

// backends runs the suite on SQLite always, and on PostgreSQL when
// TEST_DATABASE_URL is set (in a schema of its own).
func backends(t *testing.T, test func(t *testing.T, open func() *store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "test.db")
		test(t, func() *store.Store { return openStore(t, path) })
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := testdb.URL(t)
		if dsn == "" {
			t.Skip("TEST_DATABASE_URL is not set")
		}
		test(t, func() *store.Store { return openStore(t, dsn) })
	})
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

func TestMigrations(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		s := open()
		ctx := context.Background()
		n, err := s.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second Migrate applied %d: %v", n, err)
		}
		cur, latest, err := s.SchemaVersion(ctx)
		if err != nil || cur != latest || cur < 1 {
			t.Fatalf("version %d/%d %v", cur, latest, err)
		}
		// Several instances starting together take turns.
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := open().Migrate(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	})
}

func TestAccountsAndIdentities(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		s := open()
		ctx := context.Background()
		a, err := s.CreateAccount(ctx, store.Account{Login: "751234567", GivenName: "Zoé", FamilyName: "Müller-Dubois", Profession: "Médecin", RPPS: "99700218896", PasswordHash: "h"})
		if err != nil || a.ID == 0 {
			t.Fatal(a, err)
		}
		if _, err := s.CreateAccount(ctx, store.Account{Login: "751234567"}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate login: %v", err)
		}
		got, err := s.AccountByLogin(ctx, "751234567")
		if err != nil || got.GivenName != "Zoé" || got.FamilyName != "Müller-Dubois" || got.RPPS != "99700218896" || got.CreatedAt.IsZero() {
			t.Errorf("by login: %+v %v", got, err)
		}
		if _, err := s.AccountByID(ctx, a.ID+100); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown id: %v", err)
		}
		if err := s.SetPasswordHash(ctx, a.ID, "h2"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.AccountByID(ctx, a.ID); got.PasswordHash != "h2" {
			t.Errorf("hash %q", got.PasswordHash)
		}
		if err := s.SetPasswordHash(ctx, a.ID+100, "x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("password of unknown account: %v", err)
		}
		b, _ := s.CreateAccount(ctx, store.Account{Login: "931234565", GivenName: "Éloïse"})
		all, err := s.ListAccounts(ctx)
		if err != nil || len(all) != 2 || all[0].Login != "751234567" {
			t.Errorf("list %+v %v", all, err)
		}

		if err := s.LinkIdentity(ctx, "psc", "899700218896", a.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.LinkIdentity(ctx, "psc", "899700218896", a.ID); err != nil {
			t.Errorf("relinking to the same account: %v", err)
		}
		if err := s.LinkIdentity(ctx, "psc", "899700218896", b.ID); !errors.Is(err, store.ErrConflict) {
			t.Errorf("linking to another account: %v", err)
		}
		if err := s.LinkIdentity(ctx, "hin", "cmuster", a.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := s.AccountByIdentity(ctx, "psc", "899700218896"); err != nil || got.ID != a.ID {
			t.Errorf("by identity: %+v %v", got, err)
		}
		if _, err := s.AccountByIdentity(ctx, "hin", "899700218896"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("identity of another provider: %v", err)
		}
		ids, err := s.IdentitiesOf(ctx, a.ID)
		if err != nil || len(ids) != 2 || ids[0].Provider != "hin" || ids[1].Subject != "899700218896" {
			t.Errorf("identities %+v %v", ids, err)
		}
		if err := s.UnlinkIdentity(ctx, "hin", "cmuster"); err != nil {
			t.Fatal(err)
		}
		if err := s.UnlinkIdentity(ctx, "hin", "cmuster"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unlinking twice: %v", err)
		}
	})
}

func TestPatients(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		s := open()
		ctx := context.Background()
		p := store.Patient{
			NIR: "175122A004018", NIRKey: "43", Sex: "1", FamilyName: "SANTONI", GivenNames: "Ange-Marie",
			BirthDate: time.Date(1975, 12, 3, 0, 0, 0, 0, time.UTC), City: "AJACCIO", FundName: "CPAM de la Corse-du-Sud",
			LongTermCondition: true, RightsUntil: time.Date(2030, 6, 30, 0, 0, 0, 0, time.UTC),
		}
		if err := s.UpsertPatient(ctx, p); err != nil {
			t.Fatal(err)
		}
		p.City = "BASTIA"
		if err := s.UpsertPatient(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := s.PatientByNIR(ctx, "175122A004018")
		if err != nil || got.City != "BASTIA" || !got.LongTermCondition || !got.BirthDate.Equal(p.BirthDate) || !got.RightsUntil.Equal(p.RightsUntil) || got.NIRKey != "43" {
			t.Errorf("%+v %v", got, err)
		}
		if _, err := s.PatientByNIR(ctx, "1750575999999"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown NIR: %v", err)
		}
		if n, err := s.CountPatients(ctx); n != 1 || err != nil {
			t.Errorf("count %d %v", n, err)
		}
	})
}

func TestAuditTrail(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		s := open()
		ctx := context.Background()
		a, _ := s.CreateAccount(ctx, store.Account{Login: "1"})
		b, _ := s.CreateAccount(ctx, store.Account{Login: "2"})
		base := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
		for i := 0; i < 5; i++ {
			if err := s.RecordLookup(ctx, store.Lookup{AccountID: a.ID, At: base.Add(time.Duration(i) * time.Minute), Kind: "nir", Identifier: fmt.Sprint(i), Outcome: "found"}); err != nil {
				t.Fatal(err)
			}
		}
		_ = s.RecordLookup(ctx, store.Lookup{AccountID: b.ID, At: base, Kind: "card", Identifier: "80756", Outcome: "blocked"})
		got, err := s.RecentLookups(ctx, a.ID, 3)
		if err != nil || len(got) != 3 || got[0].Identifier != "4" || got[2].Identifier != "2" || !got[0].At.Equal(base.Add(4*time.Minute)) {
			t.Errorf("%+v %v", got, err)
		}
		if got, _ := s.RecentLookups(ctx, b.ID, 10); len(got) != 1 || got[0].Outcome != "blocked" {
			t.Errorf("another account's lookups: %+v", got)
		}
	})
}

func TestPendingLoginsWorkOnce(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		s := open()
		ctx := context.Background()
		now := time.Now()
		p := store.PendingLogin{State: "s1", Authority: "psc", Browser: "b", Nonce: "n", CodeVerifier: "v", ReturnTo: "/historique", ExpiresAt: now.Add(time.Minute)}
		if err := s.SavePendingLogin(ctx, p); err != nil {
			t.Fatal(err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := s.TakePendingLogin(ctx, "s1", now)
				switch {
				case err == nil && got.Nonce == "n" && got.CodeVerifier == "v" && got.ReturnTo == "/historique":
					wins.Add(1)
				case !errors.Is(err, store.ErrNotFound):
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d callbacks took the state", wins.Load())
		}
		_ = s.SavePendingLogin(ctx, store.PendingLogin{State: "old", Authority: "hin", ExpiresAt: now.Add(time.Minute)})
		if _, err := s.TakePendingLogin(ctx, "old", now.Add(2*time.Minute)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired state taken: %v", err)
		}
		_ = s.SavePendingLogin(ctx, store.PendingLogin{State: "a", ExpiresAt: now})
		_ = s.SavePendingLogin(ctx, store.PendingLogin{State: "b", ExpiresAt: now.Add(time.Hour)})
		_ = s.RecordProviderSession(ctx, "psc", "sid", "sub", "old-token", now.Add(-time.Second))
		_, _ = s.HitRateLimit(ctx, "login:old", time.Minute, now.Add(-48*time.Hour))
		_, _ = s.HitRateLimit(ctx, "login:new", time.Minute, now)
		if n, err := s.Sweep(ctx, now); n != 3 || err != nil {
			t.Errorf("swept %d %v", n, err)
		}
		if _, err := s.TakePendingLogin(ctx, "b", now); err != nil {
			t.Errorf("a live sign-in was swept: %v", err)
		}
		if n, _ := s.HitRateLimit(ctx, "login:new", time.Minute, now); n != 2 {
			t.Errorf("a live window was swept: %d", n)
		}
	})
}

func TestProviderSessions(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		s := open()
		ctx := context.Background()
		exp := time.Now().Add(time.Hour)
		_ = s.RecordProviderSession(ctx, "psc", "sid1", "sub1", "tokA", exp)
		_ = s.RecordProviderSession(ctx, "psc", "sid1", "sub1", "tokB", exp)
		_ = s.RecordProviderSession(ctx, "psc", "sid2", "sub1", "tokC", exp)
		_ = s.RecordProviderSession(ctx, "psc", "sid3", "sub2", "tokD", exp)
		got, err := s.TakeProviderSessions(ctx, "psc", "sid1", "")
		if err != nil || len(got) != 2 {
			t.Fatalf("by sid %v %v", got, err)
		}
		if got, _ := s.TakeProviderSessions(ctx, "psc", "sid1", ""); len(got) != 0 {
			t.Errorf("taken twice: %v", got)
		}
		if err := s.ForgetSessionToken(ctx, "tokD"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.TakeProviderSessions(ctx, "psc", "", "sub1"); len(got) != 1 || got[0] != "tokC" {
			t.Errorf("by subject %v", got)
		}
		if got, _ := s.TakeProviderSessions(ctx, "psc", "", "sub2"); len(got) != 0 {
			t.Errorf("forgotten token still mapped: %v", got)
		}
		if got, _ := s.TakeProviderSessions(ctx, "psc", "", ""); len(got) != 0 {
			t.Errorf("empty sid and sub matched %v", got)
		}
	})
}

func TestTokenBlobs(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		s := open()
		ctx := context.Background()
		if _, err := s.GetToken(ctx, "hin:user:1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("absent: %v", err)
		}
		blob := []byte{0, 1, 2, 255, '#', '+'}
		_ = s.PutToken(ctx, "hin:user:1", []byte("old"))
		if err := s.PutToken(ctx, "hin:user:1", blob); err != nil {
			t.Fatal(err)
		}
		if got, err := s.GetToken(ctx, "hin:user:1"); err != nil || string(got) != string(blob) {
			t.Errorf("%v %v", got, err)
		}
		if err := s.DeleteToken(ctx, "hin:user:1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetToken(ctx, "hin:user:1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
	})
}

func TestWithLockExcludes(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		// Two stores: two instances on PostgreSQL, one process on SQLite
		// (where the second store of the same file shares nothing, so the
		// test uses one store twice).
		s1 := open()
		s2 := s1
		if s1.Dialect() == store.Postgres {
			s2 = open()
		}
		ctx := context.Background()
		var inside, maxInside atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			s := s1
			if i%2 == 1 {
				s = s2
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.WithLock(ctx, "hin:refresh:1", func(context.Context) error {
					n := inside.Add(1)
					if n > maxInside.Load() {
						maxInside.Store(n)
					}
					time.Sleep(5 * time.Millisecond)
					inside.Add(-1)
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if maxInside.Load() != 1 {
			t.Fatalf("%d holders at once", maxInside.Load())
		}
		// A waiter gives up with its context.
		held := make(chan struct{})
		release := make(chan struct{})
		go func() {
			_ = s1.WithLock(ctx, "k", func(context.Context) error { close(held); <-release; return nil })
		}()
		<-held
		cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		err := s2.WithLock(cctx, "k", func(context.Context) error { return errors.New("entered a held lock") })
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("waiter: %v", err)
		}
		close(release)
		// Errors of fn come back, and the lock is free again.
		boom := errors.New("boom")
		if err := s2.WithLock(ctx, "k", func(context.Context) error { return boom }); !errors.Is(err, boom) {
			t.Errorf("fn error: %v", err)
		}
	})
}

func TestRateLimitWindows(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		s := open()
		ctx := context.Background()
		w := 15 * time.Minute
		now := time.Date(2026, 11, 22, 10, 0, 1, 0, time.UTC)
		for want := 1; want <= 3; want++ {
			if n, err := s.HitRateLimit(ctx, "login:acct:1", w, now); n != want || err != nil {
				t.Fatalf("hit %d: %d %v", want, n, err)
			}
		}
		if n, _ := s.HitRateLimit(ctx, "login:acct:2", w, now); n != 1 {
			t.Errorf("other key: %d", n)
		}
		if n, _ := s.HitRateLimit(ctx, "login:acct:1", w, now.Add(w)); n != 1 {
			t.Errorf("next window: %d", n)
		}
		_ = s.ResetRateLimit(ctx, "login:acct:1")
		if n, _ := s.HitRateLimit(ctx, "login:acct:1", w, now.Add(w)); n != 1 {
			t.Errorf("after reset: %d", n)
		}
	})
}

func TestSessionStore(t *testing.T) {
	backends(t, func(t *testing.T, open func() *store.Store) {
		ss := open().SessionStore()
		if err := ss.Commit("tok", []byte("data"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if b, found, err := ss.Find("tok"); !found || err != nil || string(b) != "data" {
			t.Errorf("find %q %v %v", b, found, err)
		}
		_ = ss.Commit("old", []byte("x"), time.Now().Add(-time.Second))
		if _, found, _ := ss.Find("old"); found {
			t.Error("expired session found")
		}
		_ = ss.Delete("tok")
		if _, found, _ := ss.Find("tok"); found {
			t.Error("deleted session found")
		}
	})
}
