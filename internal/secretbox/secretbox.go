// Package secretbox encrypts small secrets at rest (HIN access and
// refresh tokens) with AES-256-GCM. Every ciphertext is bound to a
// context, its associated data (for tokens: the storage key of the row),
// so that a ciphertext copied to another row does not open there.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// KeySize is the key length: AES-256.
const KeySize = 32

// format1 starts every ciphertext: a version byte leaves room for another
// algorithm or key scheme later.
const format1 byte = 1

// Errors. Neither message carries key or data.
var (
	// ErrKeySize: the key is not KeySize bytes.
	ErrKeySize = fmt.Errorf("secretbox: the key must be %d bytes", KeySize)
	// ErrOpen: the ciphertext does not open with this key and associated
	// data (wrong key, other row, altered or truncated data).
	ErrOpen = errors.New("secretbox: cannot open: wrong key, wrong associated data or altered ciphertext")
)

// Box seals and opens with one key. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New returns a box for a KeySize-byte key; the key is copied.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, ErrKeySize
	}
	block, err := aes.NewCipher(append([]byte(nil), key...))
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secretbox: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext bound to aad: version, random nonce, then the
// ciphertext and its tag. A random 96-bit nonce is safe for far more
// seals than a token store will ever make with one key.
func (b *Box) Seal(plaintext, aad []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	out := make([]byte, 1+ns, 1+ns+len(plaintext)+b.aead.Overhead())
	out[0] = format1
	if _, err := rand.Read(out[1 : 1+ns]); err != nil {
		return nil, fmt.Errorf("secretbox: nonce: %w", err)
	}
	return b.aead.Seal(out, out[1:1+ns], plaintext, aad), nil
}

// Open decrypts a ciphertext from Seal with the same aad; any mismatch
// gives ErrOpen.
func (b *Box) Open(ciphertext, aad []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	if len(ciphertext) < 1+ns+b.aead.Overhead() || ciphertext[0] != format1 {
		return nil, ErrOpen
	}
	plain, err := b.aead.Open(nil, ciphertext[1:1+ns], ciphertext[1+ns:], aad)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
