// Package secretbox encrypts small secrets at rest (HIN access and
// refresh tokens) with AES-256-GCM. Every ciphertext is bound to a
// context, its associated data (for tokens: the storage key of the row),
// so that a ciphertext copied to another row does not open there. A Box
// also opens what a previous key sealed, for a rolling key rotation.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
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

// Box seals with one key and opens with it or with the keys it replaced.
// It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
	// previous open what older keys sealed, during a rolling rotation.
	previous []cipher.AEAD
	// macKeys sign with the first and verify with any (see Sign).
	macKeys [][]byte
}

// New returns a box that seals with key and opens with key or any of
// previous, each KeySize bytes; the keys are copied. Previous keys let
// instances move to a new key one at a time: each opens what the others
// sealed, and what it writes again is sealed with key.
func New(key []byte, previous ...[]byte) (*Box, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	b := &Box{aead: aead, macKeys: [][]byte{macKey(key)}}
	for _, k := range previous {
		b.macKeys = append(b.macKeys, macKey(k))
		p, err := newAEAD(k)
		if err != nil {
			return nil, err
		}
		b.previous = append(b.previous, p)
	}
	return b, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
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
	return aead, nil
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

// Open decrypts a ciphertext from Seal with the same aad, with the
// current key or a previous one; any mismatch gives ErrOpen.
func (b *Box) Open(ciphertext, aad []byte) ([]byte, error) {
	ns := b.aead.NonceSize()
	if len(ciphertext) < 1+ns+b.aead.Overhead() || ciphertext[0] != format1 {
		return nil, ErrOpen
	}
	nonce, sealed := ciphertext[1:1+ns], ciphertext[1+ns:]
	if plain, err := b.aead.Open(nil, nonce, sealed, aad); err == nil {
		return plain, nil
	}
	for _, p := range b.previous {
		if plain, err := p.Open(nil, nonce, sealed, aad); err == nil {
			return plain, nil
		}
	}
	return nil, ErrOpen
}

// macKey is the signing key derived from a sealing key: one key in the
// configuration, never the same key for two jobs.
func macKey(key []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("infopatient secretbox mac"))
	return m.Sum(nil)
}

// Sign returns an HMAC-SHA256 of msg for purpose (which keeps a signature
// made for one job from being accepted by another), under a key derived
// from the box's key.
func (b *Box) Sign(purpose string, msg []byte) []byte {
	return sign(b.macKeys[0], purpose, msg)
}

// Verify reports whether mac is Sign(purpose, msg) under the box's key or
// one it replaced, in constant time.
func (b *Box) Verify(purpose string, msg, mac []byte) bool {
	ok := false
	for _, k := range b.macKeys {
		ok = hmac.Equal(sign(k, purpose, msg), mac) || ok
	}
	return ok
}

func sign(key []byte, purpose string, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(msg)
	return m.Sum(nil)
}
