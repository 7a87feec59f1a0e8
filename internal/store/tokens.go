package store

import (
	"context"
	"database/sql"
	"errors"
)

// GetToken returns an encrypted token blob, or ErrNotFound. The store
// never sees a token in the clear: the HIN client encrypts. (internal/app
// adapts the store to hin.TokenStore, so that the store imports no client.)
func (s *Store) GetToken(ctx context.Context, key string) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT ciphertext FROM tokens WHERE key = $1`, key).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return b, err
}

// PutToken stores an encrypted token blob under key.
func (s *Store) PutToken(ctx context.Context, key string, ciphertext []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO tokens (key, ciphertext, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
		key, ciphertext, unix(s.now()))
	return err
}

// DeleteToken forgets a token blob (absent is fine).
func (s *Store) DeleteToken(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM tokens WHERE key = $1`, key)
	return err
}
