package hin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/infopatient/infopatient/internal/secretbox"
)

// TokenStore keeps sealed tokens by key, shared by every instance of the
// portal. The portal's store implements it over SQLite or PostgreSQL.
type TokenStore interface {
	// GetToken returns the ciphertext under key, or an error matching
	// ErrNoToken when there is none.
	GetToken(ctx context.Context, key string) (ciphertext []byte, err error)
	// PutToken creates or replaces the ciphertext under key.
	PutToken(ctx context.Context, key string, ciphertext []byte) error
	// DeleteToken removes key; removing an absent key is not an error.
	DeleteToken(ctx context.Context, key string) error
	// WithLock runs fn while holding an exclusive lock on key across every
	// instance (a PostgreSQL advisory lock; a mutex for SQLite), waiting
	// for it no longer than ctx allows. fn may call the methods above.
	WithLock(ctx context.Context, key string, fn func(ctx context.Context) error) error
}

// Keys under which tokens are stored.
func userKey(accountID int64) string      { return "hin:user:" + strconv.FormatInt(accountID, 10) }
func serviceKey(tokenGroup string) string { return "hin:cc:" + tokenGroup }

// record is what is sealed in the store: the token, and for client
// credentials when the last request went out, so that instances restarted
// or running side by side respect HIN's rate limit together.
type record struct {
	Token       *Token    `json:"token,omitempty"`
	RequestedAt time.Time `json:"requested_at,omitzero"`
}

// sealedStore reads and writes records encrypted with the key as
// associated data: a ciphertext moved to another key does not open.
type sealedStore struct {
	store TokenStore
	box   *secretbox.Box
}

// errUnreadable: a record does not open (the encryption key changed) or
// does not decode. It is treated like an absent token.
var errUnreadable = errors.New("hin: stored token unreadable")

func (s sealedStore) get(ctx context.Context, key string) (record, error) {
	ct, err := s.store.GetToken(ctx, key)
	if err != nil {
		if errors.Is(err, ErrNoToken) {
			return record{}, ErrNoToken
		}
		return record{}, fmt.Errorf("hin: token store: %w", err)
	}
	plain, err := s.box.Open(ct, []byte(key))
	if err != nil {
		return record{}, errUnreadable
	}
	return decodeRecord(plain)
}

func decodeRecord(plain []byte) (record, error) {
	var r record
	if err := json.Unmarshal(plain, &r); err != nil {
		return record{}, errUnreadable
	}
	if r.Token != nil && r.Token.AccessToken == "" {
		r.Token = nil
	}
	return r, nil
}

func (s sealedStore) put(ctx context.Context, key string, r record) error {
	plain, err := json.Marshal(r)
	if err != nil {
		return err
	}
	ct, err := s.box.Seal(plain, []byte(key))
	if err != nil {
		return err
	}
	if err := s.store.PutToken(ctx, key, ct); err != nil {
		return fmt.Errorf("hin: token store: %w", err)
	}
	return nil
}

func (s sealedStore) delete(ctx context.Context, key string) error {
	if err := s.store.DeleteToken(ctx, key); err != nil {
		return fmt.Errorf("hin: token store: %w", err)
	}
	return nil
}

func (s sealedStore) withLock(ctx context.Context, key string, fn func(ctx context.Context) error) error {
	return s.store.WithLock(ctx, key, fn)
}

// TokenSource hands out an access token and, after the protected
// application refused one, its replacement. The Covercard client takes
// one per lookup.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
	// Refresh replaces rejected, unless another request already did: then
	// it returns the token that replaced it.
	Refresh(ctx context.Context, rejected string) (string, error)
}

// RefreshMargin: a token this close to its expiry is refreshed before use.
const RefreshMargin = 60 * time.Second
