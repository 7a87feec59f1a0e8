package app

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/store"
)

// The adapter is what lets hin tell an absent token from a failing
// store; a blob put through it comes back unchanged.
func TestHINTokenStoreAdapter(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ts := hinTokenStore{s}
	_, err = ts.GetToken(ctx, "hin:user:1")
	if !errors.Is(err, hin.ErrNoToken) || !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("absent token: %v, want hin.ErrNoToken and store.ErrNotFound", err)
	}
	if err := ts.PutToken(ctx, "hin:user:1", []byte{0, 1, 0xff}); err != nil {
		t.Fatal(err)
	}
	if got, err := ts.GetToken(ctx, "hin:user:1"); err != nil || string(got) != "\x00\x01\xff" {
		t.Errorf("stored blob: %q %v", got, err)
	}
	err = ts.WithLock(ctx, "hin:cc:x", func(context.Context) error { return nil })
	if err != nil {
		t.Errorf("lock: %v", err)
	}
}
