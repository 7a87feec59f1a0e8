package store_test

import (
	"bytes"
	"context"
	"testing"

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
