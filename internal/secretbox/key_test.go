package secretbox

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "token.key")
	first, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != KeySize {
		t.Fatalf("%d-byte key", len(first))
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", info.Mode().Perm())
	}
	again, err := LoadOrCreateKeyFile(path)
	if err != nil || !bytes.Equal(first, again) {
		t.Fatalf("second load: %v, same key %v", err, bytes.Equal(first, again))
	}
	// No temporary file is left behind.
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d files", len(entries))
	}
}

func TestLoadOrCreateKeyFileConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.key")
	const n = 16
	keys := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { keys[i], errs[i] = LoadOrCreateKeyFile(path) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !bytes.Equal(keys[i], keys[0]) {
			t.Fatal("concurrent starts disagree on the key")
		}
	}
}

func TestLoadOrCreateKeyFileKeepsABadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.key")
	secretish := "not-a-key-but-private"
	if err := os.WriteFile(path, []byte(secretish), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadOrCreateKeyFile(path)
	if err == nil {
		t.Fatal("bad key file accepted")
	}
	if strings.Contains(err.Error(), secretish) {
		t.Fatal("error quotes the file's content")
	}
	// The file was not replaced: tokens sealed with the real key stay readable once it is fixed.
	if b, _ := os.ReadFile(path); string(b) != secretish {
		t.Fatal("bad key file overwritten")
	}
}

func TestLoadOrCreateKeyFileReadsConfiguredKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.key")
	key := GenerateKey()
	if err := os.WriteFile(path, []byte(EncodeKey(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := LoadOrCreateKeyFile(path)
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("%v", err)
	}
}

func TestLoadOrCreateKeyFileUnwritable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes anywhere")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	if _, err := LoadOrCreateKeyFile(filepath.Join(dir, "token.key")); err == nil {
		t.Fatal("key created in a read-only directory")
	}
}
