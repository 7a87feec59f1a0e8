package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

// What the store dates itself, it dates by its clock.
func testClock(t *testing.T, db database) {
	at := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	s := db.open(t, store.WithClock(func() time.Time { return at }))
	ctx := context.Background()
	a, err := s.CreateAccount(ctx, store.Account{Login: "751234567"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.CreatedAt.Equal(at) {
		t.Errorf("account created at %v, want %v", a.CreatedAt, at)
	}
	if err := s.RecordLookup(ctx, store.Lookup{AccountID: a.ID, Kind: "nir", Identifier: "x", Outcome: "found"}); err != nil {
		t.Fatal(err)
	}
	if l, err := s.RecentLookups(ctx, a.ID, 1); err != nil || len(l) != 1 || !l[0].At.Equal(at) {
		t.Errorf("lookup: %+v %v, want at %v", l, err, at)
	}
}
