package secretbox

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrKeyFormat: a configured key is not base64 of KeySize bytes.
var ErrKeyFormat = fmt.Errorf("secretbox: the key must be %d bytes in base64", KeySize)

// GenerateKey returns a new random key.
func GenerateKey() []byte {
	key := make([]byte, KeySize)
	_, _ = rand.Read(key) // never fails (crypto/rand)
	return key
}

// EncodeKey is the configuration form of a key: standard base64.
func EncodeKey(key []byte) string { return base64.StdEncoding.EncodeToString(key) }

// ParseKey reads a key from configuration: base64 (standard or URL
// alphabet, padded or not) of KeySize bytes, surrounding space ignored.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(s); err == nil {
			if len(key) != KeySize {
				return nil, ErrKeyFormat
			}
			return key, nil
		}
	}
	return nil, ErrKeyFormat
}

// LoadOrCreateKeyFile returns the key kept in path, creating the file
// (mode 0600, its directory 0700) with a new key the first time. It is
// meant for demo mode, where no key is configured: tokens stored in one
// run still open in the next. Two processes starting together agree on
// one key: the file appears whole or not at all.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	key, err := readKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("secretbox: key directory: %w", err)
	}
	if err := createKeyFile(path, GenerateKey()); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	// Whoever won the race, the file now holds the key.
	return readKeyFile(path)
}

func readKeyFile(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("secretbox: reading the key file: %w", err)
	}
	key, err := ParseKey(string(raw))
	if err != nil {
		return nil, fmt.Errorf("secretbox: key file %s: %w", path, err)
	}
	return key, nil
}

// createKeyFile writes the key to a private temporary file and links it
// into place, which fails with fs.ErrExist when path already exists.
func createKeyFile(path string, key []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".key-*")
	if err != nil {
		return fmt.Errorf("secretbox: creating the key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("secretbox: creating the key file: %w", err)
	}
	_, werr := tmp.Write([]byte(EncodeKey(key) + "\n"))
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return fmt.Errorf("secretbox: writing the key file: %w", err)
	}
	err = os.Link(tmp.Name(), path)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return fs.ErrExist
	}
	// A file system without hard links: create the file exclusively.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		return fmt.Errorf("secretbox: creating the key file: %w", err)
	}
	_, werr = f.Write([]byte(EncodeKey(key) + "\n"))
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("secretbox: writing the key file: %w", err)
	}
	return nil
}
