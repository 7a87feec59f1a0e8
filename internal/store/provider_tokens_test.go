package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

// A PSC sign-in's sealed tokens live beside its ID token: recorded with
// the session, read by its own session token only, replaced at each
// refresh, dropped when refused, and gone with the record at logout,
// back-channel logout or expiry.
func testProviderTokens(t *testing.T, db database) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := now
	ctx := context.Background()
	s, err := store.Open(ctx, db.dsn, store.WithClock(func() time.Time { return clock }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rec := func(sid, token string, tokens []byte, exp time.Time) {
		t.Helper()
		if err := s.RecordProviderSession(ctx, store.ProviderSession{Provider: "psc", SID: sid, Subject: "sub", SessionToken: token,
			ExpiresAt: exp, IDToken: []byte("id-" + sid), Tokens: tokens}); err != nil {
			t.Fatal(err)
		}
	}
	read := func(token string) string {
		t.Helper()
		b, err := s.ProviderTokens(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if b == nil {
			return "<none>"
		}
		return string(b)
	}
	rec("sid1", "tokA", []byte("sealed-a1"), now.Add(time.Hour))
	rec("sid2", "tokB", []byte("sealed-b1"), now.Add(time.Hour))
	rec("sid3", "tokNone", nil, now.Add(time.Hour))
	rec("sid4", "tokOld", []byte("sealed-old"), now.Add(time.Minute))
	if got := read("tokA"); got != "sealed-a1" {
		t.Errorf("tokA %q", got)
	}
	if p, err := s.ProviderSession(ctx, "tokA", now); err != nil || string(p.Tokens) != "sealed-a1" || string(p.IDToken) != "id-sid1" {
		t.Errorf("record %+v %v", p, err)
	}
	for _, tok := range []string{"tokNone", "never-recorded"} {
		if got := read(tok); got != "<none>" {
			t.Errorf("%s: %q", tok, got)
		}
	}
	// A refresh rotates them; the neighbour's stay.
	if err := s.SetProviderTokens(ctx, "tokA", []byte("sealed-a2")); err != nil {
		t.Fatal(err)
	}
	if read("tokA") != "sealed-a2" || read("tokB") != "sealed-b1" {
		t.Errorf("after the rotation: %q %q", read("tokA"), read("tokB"))
	}
	mustErr(t, "set on a gone session", s.SetProviderTokens(ctx, "never-recorded", []byte("x")), store.ErrNotFound)
	// Refused: dropped, the record stays (the portal session goes on).
	if err := s.DropProviderTokens(ctx, "tokB"); err != nil {
		t.Fatal(err)
	}
	if read("tokB") != "<none>" {
		t.Error("dropped tokens still read")
	}
	if p, err := s.ProviderSession(ctx, "tokB", now); err != nil || string(p.IDToken) != "id-sid2" || p.Tokens != nil {
		t.Errorf("the record after the drop: %+v %v", p, err)
	}
	// Expired: none.
	clock = now.Add(2 * time.Minute)
	if read("tokOld") != "<none>" {
		t.Error("an expired session's tokens are read")
	}
	// Logout and back-channel logout take them with the record.
	if err := s.ForgetSessionToken(ctx, "tokA"); err != nil {
		t.Fatal(err)
	}
	if read("tokA") != "<none>" {
		t.Error("tokens outlive the logout")
	}
	rec("sid5", "tokC", []byte("sealed-c"), now.Add(time.Hour))
	if _, err := s.EndProviderSessions(ctx, "psc", "sid5", ""); err != nil {
		t.Fatal(err)
	}
	if read("tokC") != "<none>" {
		t.Error("tokens outlive the back-channel logout")
	}
}
