package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

func testTokenBlobs(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	_, err := s.GetToken(ctx, "hin:user:1")
	mustErr(t, "absent token", err, store.ErrNotFound)

	blob := []byte{0, 1, 2, 0xff, 0xfe, '\'', '"', 0} // every byte kept, NULs too
	if err := s.PutToken(ctx, "hin:user:1", []byte("older")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutToken(ctx, "hin:user:1", blob); err != nil {
		t.Fatal(err)
	}
	if err := s.PutToken(ctx, "hin:cc:practice", []byte("service")); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetToken(ctx, "hin:user:1"); err != nil || !bytes.Equal(got, blob) {
		t.Errorf("replaced blob: %v %v", got, err)
	}
	if err := s.DeleteToken(ctx, "hin:user:1"); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetToken(ctx, "hin:user:1")
	mustErr(t, "deleted token", err, store.ErrNotFound)
	if err := s.DeleteToken(ctx, "hin:user:1"); err != nil {
		t.Errorf("deleting an absent token: %v", err)
	}
	if got, err := s.GetToken(ctx, "hin:cc:practice"); err != nil || string(got) != "service" {
		t.Errorf("another key: %q %v", got, err)
	}
}

// Token rows not written for HIN's refresh-token lifetime are swept: a
// professional whose session expired without a logout leaves nothing
// usable behind for longer than that. Rows written since stay.
func testSweepTokens(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	written := time.Now()
	for _, key := range []string{"hin:user:1", "hin:cc:practice"} {
		if err := s.PutToken(ctx, key, []byte("sealed")); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.Sweep(ctx, written.Add(store.TokenRetention-time.Minute)); n != 0 || err != nil {
		t.Fatalf("swept %d rows within the lifetime: %v", n, err)
	}
	if _, err := s.GetToken(ctx, "hin:user:1"); err != nil {
		t.Fatalf("a live token was swept: %v", err)
	}
	if n, err := s.Sweep(ctx, written.Add(store.TokenRetention+time.Minute)); n != 2 || err != nil {
		t.Fatalf("swept %d rows past the lifetime, want 2: %v", n, err)
	}
	for _, key := range []string{"hin:user:1", "hin:cc:practice"} {
		_, err := s.GetToken(ctx, key)
		mustErr(t, key+" after the sweep", err, store.ErrNotFound)
	}
	// A token written again is kept for a lifetime from then.
	if err := s.PutToken(ctx, "hin:user:2", []byte("sealed")); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Sweep(ctx, time.Now().Add(time.Hour)); n != 0 || err != nil {
		t.Errorf("a fresh token swept: %d %v", n, err)
	}
}
