package store_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

func testPasskeys(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a, _ := s.CreateAccount(ctx, store.Account{Login: "751234567"})
	b, _ := s.CreateAccount(ctx, store.Account{Login: "131234568"})

	// The user handle: random, made once, one per account, found back.
	h1, err := s.PasskeyUserHandle(ctx, a.ID)
	if err != nil || len(h1) != 32 {
		t.Fatalf("handle %x %v", h1, err)
	}
	if again, _ := s.PasskeyUserHandle(ctx, a.ID); !bytes.Equal(again, h1) {
		t.Errorf("the handle changed: %x then %x", h1, again)
	}
	if hb, _ := s.PasskeyUserHandle(ctx, b.ID); bytes.Equal(hb, h1) {
		t.Error("two accounts share a handle")
	}
	if bytes.Contains(h1, []byte(a.Login)) {
		t.Error("the handle holds the login")
	}
	if got, err := s.AccountByPasskeyHandle(ctx, h1); err != nil || got.ID != a.ID {
		t.Errorf("account by handle: %+v %v", got, err)
	}
	_, err = s.AccountByPasskeyHandle(ctx, []byte("nobody"))
	mustErr(t, "unknown handle", err, store.ErrNotFound)
	_, err = s.AccountByPasskeyHandle(ctx, nil)
	mustErr(t, "empty handle", err, store.ErrNotFound)
	_, err = s.PasskeyUserHandle(ctx, b.ID+1000)
	mustErr(t, "handle of no account", err, store.ErrNotFound)

	// Registration.
	created := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	p1, err := s.AddPasskey(ctx, store.Passkey{AccountID: a.ID, CredentialID: []byte{1, 2, 3}, Name: "Téléphone",
		Record: []byte(`{"id":"AQID"}`), SignCount: 4, CreatedAt: created})
	if err != nil || p1.ID == 0 || !p1.CreatedAt.Equal(created) {
		t.Fatalf("add: %+v %v", p1, err)
	}
	p2, err := s.AddPasskey(ctx, store.Passkey{AccountID: a.ID, CredentialID: []byte{4, 5}, Name: "Clé USB", Record: []byte(`{}`)})
	if err != nil || time.Since(p2.CreatedAt) > time.Minute || !p2.LastUsedAt.IsZero() {
		t.Fatalf("add unstamped: %+v %v", p2, err)
	}
	_, err = s.AddPasskey(ctx, store.Passkey{AccountID: b.ID, CredentialID: []byte{1, 2, 3}, Name: "copie", Record: []byte(`{}`)})
	mustErr(t, "a credential id registered twice", err, store.ErrConflict)
	_, err = s.AddPasskey(ctx, store.Passkey{AccountID: b.ID + 1000, CredentialID: []byte{9}, Name: "x", Record: []byte(`{}`)})
	mustErr(t, "passkey of no account", err, store.ErrNotFound)

	list, err := s.PasskeysOf(ctx, a.ID)
	if err != nil || len(list) != 2 || list[0].Name != "Téléphone" || list[1].Name != "Clé USB" ||
		string(list[0].Record) != `{"id":"AQID"}` || list[0].SignCount != 4 || !bytes.Equal(list[0].CredentialID, []byte{1, 2, 3}) {
		t.Fatalf("list: %+v %v", list, err)
	}
	if n, _ := s.CountPasskeys(ctx, a.ID); n != 2 {
		t.Errorf("count %d", n)
	}
	if n, _ := s.CountPasskeys(ctx, b.ID); n != 0 {
		t.Errorf("b's count %d", n)
	}
	if got, err := s.PasskeyByCredentialID(ctx, []byte{4, 5}); err != nil || got.ID != p2.ID || got.AccountID != a.ID {
		t.Errorf("by credential id: %+v %v", got, err)
	}
	_, err = s.PasskeyByCredentialID(ctx, []byte{7})
	mustErr(t, "unknown credential", err, store.ErrNotFound)

	// Removal: only by its owner.
	_, err = s.RemovePasskey(ctx, b.ID, p1.ID)
	mustErr(t, "removal by another account", err, store.ErrNotFound)
	if gone, err := s.RemovePasskey(ctx, a.ID, p1.ID); err != nil || gone.Name != "Téléphone" {
		t.Errorf("remove: %+v %v", gone, err)
	}
	_, err = s.RemovePasskey(ctx, a.ID, p1.ID)
	mustErr(t, "removed twice", err, store.ErrNotFound)
	_, err = s.PasskeyByCredentialID(ctx, []byte{1, 2, 3})
	mustErr(t, "removed credential", err, store.ErrNotFound)

	// The policy flag.
	if req, err := s.PasskeyRequired(ctx, b.ID); err != nil || req {
		t.Errorf("never set: %v %v", req, err)
	}
	c, _ := s.CreateAccount(ctx, store.Account{Login: "931234565"})
	if req, err := s.PasskeyRequired(ctx, c.ID); err != nil || req {
		t.Errorf("no handle yet: %v %v", req, err)
	}
	if err := s.SetPasskeyRequired(ctx, c.ID, true); err != nil {
		t.Fatal(err)
	}
	if req, _ := s.PasskeyRequired(ctx, c.ID); !req {
		t.Error("required not kept")
	}
	if err := s.SetPasskeyRequired(ctx, c.ID, false); err != nil {
		t.Fatal(err)
	}
	if req, _ := s.PasskeyRequired(ctx, c.ID); req {
		t.Error("optional not kept")
	}
	mustErr(t, "policy of no account", s.SetPasskeyRequired(ctx, c.ID+1000, true), store.ErrNotFound)

	// Reset: every passkey of the account, and only of it.
	_, _ = s.AddPasskey(ctx, store.Passkey{AccountID: b.ID, CredentialID: []byte{6}, Name: "b", Record: []byte(`{}`)})
	if n, err := s.ResetPasskeys(ctx, a.ID); err != nil || n != 1 {
		t.Errorf("reset: %d %v", n, err)
	}
	if n, _ := s.CountPasskeys(ctx, b.ID); n != 1 {
		t.Errorf("reset of a took b's: %d left", n)
	}
	_, err = s.ResetPasskeys(ctx, c.ID+1000)
	mustErr(t, "reset of no account", err, store.ErrNotFound)

	// A deleted account takes its passkeys and handle with it.
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM security_events WHERE account_id = $1`, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `DELETE FROM accounts WHERE id = $1`, b.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.PasskeyByCredentialID(ctx, []byte{6})
	mustErr(t, "passkey of a deleted account", err, store.ErrNotFound)
}

func testPasskeyUse(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a, _ := s.CreateAccount(ctx, store.Account{Login: "751234567"})
	b, _ := s.CreateAccount(ctx, store.Account{Login: "131234568"})
	p, _ := s.AddPasskey(ctx, store.Passkey{AccountID: a.ID, CredentialID: []byte{1}, Name: "Portable", Record: []byte(`{"v":1}`), SignCount: 5})

	used := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	next := p
	next.Record, next.SignCount, next.LastUsedAt = []byte(`{"v":2}`), 6, used
	got, err := s.UsePasskey(ctx, next, 5)
	if err != nil || !got.LastUsedAt.Equal(used) || got.Name != "Portable" {
		t.Fatalf("use: %+v %v", got, err)
	}
	back, _ := s.PasskeyByCredentialID(ctx, []byte{1})
	if back.SignCount != 6 || string(back.Record) != `{"v":2}` || !back.LastUsedAt.Equal(used) {
		t.Errorf("read back: %+v", back)
	}
	// Verified against count 5 while the row is at 6: someone used it meanwhile.
	stale := next
	stale.SignCount = 6
	_, err = s.UsePasskey(ctx, stale, 5)
	mustErr(t, "use over a stale count", err, store.ErrConflict)
	// Another account cannot write it.
	other := next
	other.AccountID, other.SignCount = b.ID, 7
	_, err = s.UsePasskey(ctx, other, 6)
	mustErr(t, "use by another account", err, store.ErrNotFound)

	// Two uses racing over the same count: one wins.
	var wg sync.WaitGroup
	results := make([]error, 8)
	for i := range results {
		wg.Go(func() {
			q := next
			q.SignCount = uint32(7 + i) //nolint:gosec // small
			_, results[i] = s.UsePasskey(ctx, q, 6)
		})
	}
	wg.Wait()
	won := 0
	for _, err := range results {
		if err == nil {
			won++
		} else {
			mustErr(t, "the losing use", err, store.ErrConflict)
		}
	}
	if won != 1 {
		t.Errorf("%d uses won the same count", won)
	}

	_, _ = s.RemovePasskey(ctx, a.ID, p.ID)
	_, err = s.UsePasskey(ctx, next, 6)
	mustErr(t, "use of a removed passkey", err, store.ErrNotFound)
}

func testSecurityEvents(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	a, _ := s.CreateAccount(ctx, store.Account{Login: "751234567"})
	b, _ := s.CreateAccount(ctx, store.Account{Login: "131234568"})
	base := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	p, _ := s.AddPasskey(ctx, store.Passkey{AccountID: a.ID, CredentialID: []byte{1}, Name: "Portable", Record: []byte(`{}`), CreatedAt: base})
	use := p
	use.SignCount, use.LastUsedAt = 1, base.Add(time.Minute)
	if _, err := s.UsePasskey(ctx, use, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemovePasskey(ctx, a.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResetPasskeys(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPasskeyRequired(ctx, a.ID, true); err != nil {
		t.Fatal(err)
	}
	_, _ = s.AddPasskey(ctx, store.Passkey{AccountID: b.ID, CredentialID: []byte{2}, Name: "b's", Record: []byte(`{}`)})

	got, err := s.RecentSecurityEvents(ctx, a.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	// Newest first: the last three are stamped now, after base.
	want := []struct{ kind, detail string }{
		{store.EventPasskeyRequired, ""}, {store.EventPasskeysReset, ""}, {store.EventPasskeyRemoved, "Portable"},
		{store.EventPasskeyUsed, "Portable"}, {store.EventPasskeyRegistered, "Portable"},
	}
	if len(got) != len(want) {
		t.Fatalf("events: %+v", got)
	}
	for i, w := range want {
		if got[i].Kind != w.kind || got[i].Detail != w.detail || got[i].AccountID != a.ID || got[i].At.Location() != time.UTC {
			t.Errorf("event %d: %+v, want %s %q", i, got[i], w.kind, w.detail)
		}
	}
	if !got[3].At.Equal(base.Add(time.Minute)) || !got[4].At.Equal(base) {
		t.Errorf("use and registration dated %v, %v", got[3].At, got[4].At)
	}
	if got, _ := s.RecentSecurityEvents(ctx, a.ID, 2); len(got) != 2 {
		t.Errorf("limit 2: %d", len(got))
	}
	if got, _ := s.RecentSecurityEvents(ctx, b.ID, 10); len(got) != 1 || got[0].Detail != "b's" {
		t.Errorf("b's events: %+v", got)
	}
	if got, err := s.RecentSecurityEvents(ctx, a.ID, 0); err != nil || got != nil {
		t.Errorf("limit 0: %+v %v", got, err)
	}
}
