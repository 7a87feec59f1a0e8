package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/store"
)

// hinTokenStore adapts the store to hin.TokenStore: the store knows
// nothing of HIN (it imports no client), and hin knows nothing of the
// store; only the wiring knows both.
type hinTokenStore struct{ *store.Store }

var _ hin.TokenStore = hinTokenStore{}

// GetToken tells an absent key as hin expects: an error matching
// hin.ErrNoToken (and still store.ErrNotFound).
func (s hinTokenStore) GetToken(ctx context.Context, key string) ([]byte, error) {
	b, err := s.Store.GetToken(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w (%w)", err, hin.ErrNoToken)
	}
	return b, err
}
