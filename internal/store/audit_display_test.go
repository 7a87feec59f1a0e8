package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

// testLookupDisplay: a lookup keeps what its page showed and the lookup
// it reopened, is read back only by its own account, pages through, and
// rows written before migration 0008 stay readable.
func testLookupDisplay(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a, _ := s.CreateAccount(ctx, store.Account{Login: "751234567"})
	b, _ := s.CreateAccount(ctx, store.Account{Login: "131234568"})
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

	// A row as written before 0008: only the old columns.
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO lookups (account_id, at, kind, identifier, outcome) VALUES ($1, $2, 'card', '80756015090002647590', 'valid')`,
		a.ID, at.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	first, err := s.AddLookup(ctx, store.Lookup{AccountID: a.ID, At: at.Add(time.Minute), Kind: "card", Identifier: "80756015090002647590",
		Outcome: "valid", Shown: "suspended", PatientName: "MUSTER Hans"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.AddLookup(ctx, store.Lookup{AccountID: a.ID, At: at.Add(2 * time.Minute), Kind: "card", Identifier: "80756015090002647590",
		Outcome: "valid", ReopenedFrom: first})
	if err != nil || again <= first {
		t.Fatalf("second id %d after %d: %v", again, first, err)
	}

	got, err := s.LookupOf(ctx, a.ID, first)
	if err != nil {
		t.Fatal(err)
	}
	if got.PatientName != "MUSTER Hans" || got.Shown != "suspended" || got.Outcome != "valid" || got.ReopenedFrom != 0 || !got.At.Equal(at.Add(time.Minute)) {
		t.Errorf("read back %+v", got)
	}
	if got, _ := s.LookupOf(ctx, a.ID, again); got.ReopenedFrom != first {
		t.Errorf("reopened from %d, want %d", got.ReopenedFrom, first)
	}
	if _, err := s.LookupOf(ctx, b.ID, first); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another account's lookup: %v, want ErrNotFound", err)
	}
	if _, err := s.LookupOf(ctx, a.ID, again+1000); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("no such lookup: %v, want ErrNotFound", err)
	}

	// Pages of two, newest first; the old row comes last, readable.
	p1, _ := s.LookupPage(ctx, a.ID, 0, 2)
	p2, _ := s.LookupPage(ctx, a.ID, 2, 2)
	if len(p1) != 2 || p1[0].ID != again || p1[1].ID != first {
		t.Fatalf("first page %+v", p1)
	}
	if len(p2) != 1 || p2[0].PatientName != "" || p2[0].Shown != "" || p2[0].ReopenedFrom != 0 || p2[0].Outcome != "valid" {
		t.Fatalf("second page (the row written before 0008) %+v", p2)
	}
	if p3, err := s.LookupPage(ctx, a.ID, 3, 2); err != nil || len(p3) != 0 {
		t.Errorf("past the end: %v, %v", p3, err)
	}
	if p, err := s.LookupPage(ctx, a.ID, -5, 1); err != nil || len(p) != 1 || p[0].ID != again {
		t.Errorf("a negative offset is the first page: %v, %v", p, err)
	}
	if _, err := s.AddLookup(ctx, store.Lookup{AccountID: b.ID + 1000, Kind: "nir"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("lookup by no account: %v", err)
	}
}
