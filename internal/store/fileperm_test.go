package store_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/infopatient/infopatient/internal/store"
)

// The SQLite database is created 0600 in a 0750 directory, whatever the
// umask, and an existing world-readable file is narrowed.
func TestSQLiteFileIsPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "infopatient.db")
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for p, want := range map[string]os.FileMode{dir: 0o750, path: 0o600} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", filepath.Base(p), got, want)
		}
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("an existing 0644 file stays %o", info.Mode().Perm())
	}
	// An in-memory database gets no file of ours.
	t.Chdir(t.TempDir())
	if s, err = store.Open(context.Background(), ":memory:"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if info, err := os.Stat(":memory:"); err == nil && info.Size() == 0 && info.Mode().Perm() == 0o600 {
		t.Error("an in-memory database got an empty 0600 file")
	}
}
