package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

func testAuditTrail(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a, _ := s.CreateAccount(ctx, store.Account{Login: "751234567"})
	b, _ := s.CreateAccount(ctx, store.Account{Login: "131234568"})
	base := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	// Recorded out of order, two at the same instant, one to the millisecond.
	for _, i := range []int{2, 0, 4, 1, 3} {
		at := base.Add(time.Duration(i) * time.Minute)
		if err := s.RecordLookup(ctx, store.Lookup{AccountID: a.ID, At: at, Kind: "nir", Identifier: fmt.Sprint(i), Outcome: "found"}); err != nil {
			t.Fatal(err)
		}
	}
	precise := base.Add(4*time.Minute + 7*time.Millisecond)
	if err := s.RecordLookup(ctx, store.Lookup{AccountID: a.ID, At: precise, Kind: "card", Identifier: "80756015090002647590", Outcome: "blocked"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordLookup(ctx, store.Lookup{AccountID: a.ID, At: precise, Kind: "card", Identifier: "same instant, later", Outcome: "found"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordLookup(ctx, store.Lookup{AccountID: b.ID, At: base, Kind: "nir", Identifier: "other", Outcome: "unknown"}); err != nil {
		t.Fatal(err)
	}
	mustErr(t, "lookup by no account", s.RecordLookup(ctx, store.Lookup{AccountID: b.ID + 1000, Kind: "nir"}), store.ErrNotFound)

	got, err := s.RecentLookups(ctx, a.ID, 4)
	if err != nil || len(got) != 4 {
		t.Fatalf("%+v %v", got, err)
	}
	wantIDs := []string{"same instant, later", "80756015090002647590", "4", "3"}
	for i, l := range got {
		if l.Identifier != wantIDs[i] || l.AccountID != a.ID || l.ID == 0 {
			t.Errorf("lookup %d: %+v, want identifier %q", i, l, wantIDs[i])
		}
	}
	if !got[1].At.Equal(precise) || got[1].At.Location() != time.UTC || got[1].Kind != "card" || got[1].Outcome != "blocked" {
		t.Errorf("lookup read back as %+v", got[1])
	}
	if all, _ := s.RecentLookups(ctx, a.ID, 100); len(all) != 7 {
		t.Errorf("all of a's lookups: %d", len(all))
	}
	if got, _ := s.RecentLookups(ctx, b.ID, 10); len(got) != 1 || got[0].Identifier != "other" {
		t.Errorf("another account's lookups: %+v", got)
	}
	for _, limit := range []int{0, -1} {
		if got, err := s.RecentLookups(ctx, a.ID, limit); err != nil || len(got) != 0 {
			t.Errorf("limit %d: %+v %v", limit, got, err)
		}
	}
	// Without a time, the lookup is stamped now.
	c, _ := s.CreateAccount(ctx, store.Account{Login: "931234565"})
	_ = s.RecordLookup(ctx, store.Lookup{AccountID: c.ID, Kind: "nir", Identifier: "x", Outcome: "found"})
	if got, _ := s.RecentLookups(ctx, c.ID, 1); len(got) != 1 || time.Since(got[0].At) > time.Minute {
		t.Errorf("unstamped lookup: %+v", got)
	}
}
