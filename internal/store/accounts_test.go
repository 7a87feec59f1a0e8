package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

func testAccounts(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	before := time.Now().Add(-time.Second)
	zoe, err := s.CreateAccount(ctx, store.Account{Login: "751234567", GivenName: "Zoé", FamilyName: "Müller-Dubois",
		Profession: "Médecin généraliste", RPPS: "10001234567", PasswordHash: "$2a$10$hash"})
	if err != nil || zoe.ID == 0 {
		t.Fatalf("create: %+v %v", zoe, err)
	}
	if zoe.CreatedAt.Before(before) || zoe.CreatedAt.Location() != time.UTC {
		t.Errorf("created at %v", zoe.CreatedAt)
	}
	// No RPPS and no local password: both optional.
	eloise, err := s.CreateAccount(ctx, store.Account{Login: "131234568", GivenName: "Éloïse", FamilyName: "Lefèvre"})
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if _, err := s.CreateAccount(ctx, store.Account{Login: "931234565", CreatedAt: created}); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateAccount(ctx, store.Account{Login: "751234567", GivenName: "Autre"})
	mustErr(t, "taken login", err, store.ErrConflict)

	for _, tc := range []struct {
		name string
		get  func() (store.Account, error)
		want store.Account
	}{
		{"by id", func() (store.Account, error) { return s.AccountByID(ctx, zoe.ID) }, zoe},
		{"by login", func() (store.Account, error) { return s.AccountByLogin(ctx, "751234567") }, zoe},
		{"no password", func() (store.Account, error) { return s.AccountByLogin(ctx, "131234568") }, eloise},
	} {
		got, err := tc.get()
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v %v, want %+v", tc.name, got, err, tc.want)
		}
	}
	if got, _ := s.AccountByLogin(ctx, "931234565"); !got.CreatedAt.Equal(created) {
		t.Errorf("given creation time %v came back as %v", created, got.CreatedAt)
	}
	_, err = s.AccountByID(ctx, zoe.ID+1000)
	mustErr(t, "unknown id", err, store.ErrNotFound)
	_, err = s.AccountByLogin(ctx, "000000000")
	mustErr(t, "unknown login", err, store.ErrNotFound)

	all, err := s.ListAccounts(ctx)
	if err != nil || len(all) != 3 || all[0].Login != "131234568" || all[1].Login != "751234567" || all[2].Login != "931234565" {
		t.Errorf("list, by login: %+v %v", all, err)
	}

	if err := s.SetPasswordHash(ctx, eloise.ID, "$2a$10$new"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.AccountByID(ctx, eloise.ID); got.PasswordHash != "$2a$10$new" || got.GivenName != "Éloïse" {
		t.Errorf("after SetPasswordHash: %+v", got)
	}
	if err := s.SetPasswordHash(ctx, zoe.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.AccountByID(ctx, zoe.ID); got.PasswordHash != "" {
		t.Errorf("password not removed: %q", got.PasswordHash)
	}
	mustErr(t, "password of an unknown account", s.SetPasswordHash(ctx, zoe.ID+1000, "x"), store.ErrNotFound)
}

func TestListAccountsEmpty(t *testing.T) {
	s := database{dsn: t.TempDir() + "/empty.db"}.open(t)
	all, err := s.ListAccounts(context.Background())
	if err != nil || len(all) != 0 {
		t.Errorf("%+v %v", all, err)
	}
}

func testIdentities(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a, _ := s.CreateAccount(ctx, store.Account{Login: "751234567", GivenName: "Zoé", FamilyName: "Müller-Dubois"})
	b, _ := s.CreateAccount(ctx, store.Account{Login: "131234568", GivenName: "Éloïse"})

	if err := s.LinkIdentity(ctx, "psc", "810100000001", a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkIdentity(ctx, "psc", "810100000001", a.ID); err != nil {
		t.Errorf("linking again to the same account: %v", err)
	}
	mustErr(t, "linking to another account", s.LinkIdentity(ctx, "psc", "810100000001", b.ID), store.ErrConflict)
	mustErr(t, "linking to no account", s.LinkIdentity(ctx, "hin", "zmuller", a.ID+1000), store.ErrNotFound)
	if err := s.LinkIdentity(ctx, "hin", "zmuller", a.ID); err != nil {
		t.Fatal(err)
	}
	// The same subject at another authority is another identity.
	if err := s.LinkIdentity(ctx, "hin", "810100000001", b.ID); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ provider, subject string }{{"psc", "810100000001"}, {"hin", "zmuller"}} {
		got, err := s.AccountByIdentity(ctx, tc.provider, tc.subject)
		if err != nil || got.ID != a.ID || got.FamilyName != "Müller-Dubois" {
			t.Errorf("%s %s: %+v %v", tc.provider, tc.subject, got, err)
		}
	}
	if got, err := s.AccountByIdentity(ctx, "hin", "810100000001"); err != nil || got.ID != b.ID {
		t.Errorf("hin 810100000001: %+v %v", got, err)
	}
	_, err := s.AccountByIdentity(ctx, "psc", "unknown")
	mustErr(t, "unlinked identity", err, store.ErrNotFound)

	ids, err := s.IdentitiesOf(ctx, a.ID)
	if err != nil || len(ids) != 2 || ids[0].Provider != "hin" || ids[0].Subject != "zmuller" ||
		ids[1].Provider != "psc" || ids[1].Subject != "810100000001" {
		t.Fatalf("identities of a: %+v %v", ids, err)
	}
	for _, id := range ids {
		if id.AccountID != a.ID || id.LinkedAt.IsZero() {
			t.Errorf("identity %+v", id)
		}
	}

	if err := s.UnlinkIdentity(ctx, "hin", "zmuller"); err != nil {
		t.Fatal(err)
	}
	mustErr(t, "unlinking twice", s.UnlinkIdentity(ctx, "hin", "zmuller"), store.ErrNotFound)
	_, err = s.AccountByIdentity(ctx, "hin", "zmuller")
	mustErr(t, "unlinked identity", err, store.ErrNotFound)
	// Once unlinked, another account may take it.
	if err := s.LinkIdentity(ctx, "hin", "zmuller", b.ID); err != nil {
		t.Errorf("relinking to another account after unlinking: %v", err)
	}
	c, _ := s.CreateAccount(ctx, store.Account{Login: "931234565"})
	if ids, err := s.IdentitiesOf(ctx, c.ID); err != nil || len(ids) != 0 {
		t.Errorf("identities of an account without any: %+v %v", ids, err)
	}
}

// Two instances linking one identity to two accounts at once: exactly one
// link is made, the other is refused.
func testIdentityLinkedOnce(t *testing.T, db database) {
	s1, s2 := db.open(t), db.open(t)
	ctx := context.Background()
	const accounts = 8
	ids := make([]int64, accounts)
	for i := range ids {
		a, err := s1.CreateAccount(ctx, store.Account{Login: string(rune('A'+i)) + "00000000"})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = a.ID
	}
	var wins, conflicts atomic.Int32
	var wg sync.WaitGroup
	for i, id := range ids {
		s := []*store.Store{s1, s2}[i%2]
		wg.Go(func() {
			switch err := s.LinkIdentity(ctx, "psc", "810100000001", id); {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, store.ErrConflict):
				conflicts.Add(1)
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 || conflicts.Load() != accounts-1 {
		t.Fatalf("%d links made, %d refused", wins.Load(), conflicts.Load())
	}
}
