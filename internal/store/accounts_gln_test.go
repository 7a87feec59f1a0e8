package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/infopatient/infopatient/internal/store"
)

// An account's GLN (migration 0009): kept, unique when set, empty for as
// many accounts as have none; the account is found by it.
func testAccountGLN(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	weber, err := s.CreateAccount(ctx, store.Account{Login: "756100003", FamilyName: "Weber", GLN: "7601001000032"})
	if err != nil || weber.GLN != "7601001000032" {
		t.Fatalf("create with a GLN: %+v %v", weber, err)
	}
	for _, login := range []string{"756100004", "756100005"} {
		if _, err := s.CreateAccount(ctx, store.Account{Login: login, FamilyName: "Sans GLN"}); err != nil {
			t.Fatalf("two accounts without a GLN: %v", err)
		}
	}
	_, err = s.CreateAccount(ctx, store.Account{Login: "756100006", FamilyName: "Autre", GLN: "7601001000032"})
	mustErr(t, "a GLN taken", err, store.ErrConflict)

	got, err := s.AccountByGLN(ctx, "7601001000032")
	if err != nil || got != weber {
		t.Errorf("by GLN: %+v %v, want %+v", got, err, weber)
	}
	if got, _ := s.AccountByID(ctx, weber.ID); got.GLN != weber.GLN {
		t.Errorf("GLN read back %q", got.GLN)
	}
	_, err = s.AccountByGLN(ctx, "")
	mustErr(t, "empty GLN", err, store.ErrNotFound)
	_, err = s.AccountByGLN(ctx, "7601001000018")
	mustErr(t, "unknown GLN", err, store.ErrNotFound)
}

// LinkIdentityByGLN links a HIN identity to the account of its GLN and
// writes the account's security trail, unless the account has another HIN
// identity already.
func testLinkIdentityByGLN(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	weber, err := s.CreateAccount(ctx, store.Account{Login: "756100003", FamilyName: "Weber", GLN: "7601001000032"})
	if err != nil {
		t.Fatal(err)
	}
	muster, err := s.CreateAccount(ctx, store.Account{Login: "756100001", FamilyName: "Muster", GLN: "7601001000018"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.LinkIdentityByGLN(ctx, "hin", "hweber", "")
	mustErr(t, "empty GLN", err, store.ErrNotFound)
	_, err = s.LinkIdentityByGLN(ctx, "hin", "hweber", "7601001000025")
	mustErr(t, "GLN of no account", err, store.ErrNotFound)

	got, err := s.LinkIdentityByGLN(ctx, "hin", "hweber", "7601001000032")
	if err != nil || got.ID != weber.ID {
		t.Fatalf("linked to %+v %v", got, err)
	}
	if a, err := s.AccountByIdentity(ctx, "hin", "hweber"); err != nil || a.ID != weber.ID {
		t.Errorf("hweber now signs in as %+v %v", a, err)
	}
	events, err := s.RecentSecurityEvents(ctx, weber.ID, 10)
	if err != nil || len(events) != 1 || events[0].Kind != store.EventIdentityLinkedByGLN || events[0].Detail != "hin hweber (GLN 7601001000032)" {
		t.Errorf("security trail: %+v %v", events, err)
	}

	// Another HIN identity with that GLN: the account has one already.
	_, err = s.LinkIdentityByGLN(ctx, "hin", "impostor", "7601001000032")
	mustErr(t, "second HIN identity", err, store.ErrOtherIdentity)
	_, err = s.AccountByIdentity(ctx, "hin", "impostor")
	mustErr(t, "the refused identity", err, store.ErrNotFound)
	// An identity of another provider does not count.
	if err := s.LinkIdentity(ctx, "psc", "899700218896", muster.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkIdentityByGLN(ctx, "hin", "cmuster", "7601001000018"); err != nil {
		t.Errorf("an account with a PSC identity: %v", err)
	}
	// An identity that is another account's is not moved.
	_, err = s.LinkIdentityByGLN(ctx, "hin", "cmuster", "7601001000032")
	if !errors.Is(err, store.ErrOtherIdentity) && !errors.Is(err, store.ErrConflict) {
		t.Errorf("moving cmuster: %v", err)
	}
	if a, _ := s.AccountByIdentity(ctx, "hin", "cmuster"); a.ID != muster.ID {
		t.Errorf("cmuster moved to %+v", a)
	}
}

// Two HIN identities racing for one account's GLN: one wins, the other
// is refused, never both linked.
func testLinkIdentityByGLNRace(t *testing.T, db database) {
	s := db.open(t)
	other := db.open(t) // a second instance
	ctx := context.Background()
	weber, err := s.CreateAccount(ctx, store.Account{Login: "756100003", FamilyName: "Weber", GLN: "7601001000032"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			st := s
			if i%2 == 1 {
				st = other
			}
			_, errs[i] = st.LinkIdentityByGLN(ctx, "hin", "hin"+string(rune('a'+i)), "7601001000032")
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, store.ErrOtherIdentity):
		default:
			// SQLite may answer "busy" to a writer that waited too long:
			// refused too, never linked.
			t.Logf("refused: %v", err)
		}
	}
	ids, err := s.IdentitiesOf(ctx, weber.ID)
	if err != nil || won != 1 || len(ids) != 1 {
		t.Errorf("%d won, account has %+v %v", won, ids, err)
	}
}
