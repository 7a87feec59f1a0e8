package psc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/singleflight"
)

// TokenStore keeps each sign-in's sealed tokens, shared by every instance
// of the portal; the portal's store implements it beside the ID token in
// provider_sessions.
type TokenStore interface {
	// ProviderTokens returns the sealed tokens of the local session, or
	// nil (and no error) when it keeps none or is gone.
	ProviderTokens(ctx context.Context, sessionToken string) ([]byte, error)
	// SetProviderTokens replaces them; ErrNotFound-like errors when the
	// session is gone are the store's to tell.
	SetProviderTokens(ctx context.Context, sessionToken string, sealed []byte) error
	// DropProviderTokens forgets them (the session's row stays).
	DropProviderTokens(ctx context.Context, sessionToken string) error
	// WithLock runs fn holding an exclusive lock on key across every
	// instance (PostgreSQL advisory lock; a mutex on SQLite).
	WithLock(ctx context.Context, key string, fn func(ctx context.Context) error) error
}

// Sealer encrypts with associated data (secretbox.Box does).
type Sealer interface {
	Seal(plaintext, aad []byte) ([]byte, error)
	Open(ciphertext, aad []byte) ([]byte, error)
}

// refresher is the part of Client a TokenKeeper needs.
type refresher interface {
	refresh(ctx context.Context, refreshToken string) (Tokens, error)
}

// TokenKeeper keeps each PSC sign-in's tokens sealed in the store and
// refreshes the access token before use, once per sign-in at a time: in
// this process (singleflight) and across instances (the store's lock,
// then a second read, as hin's UserTokens): PSC's refresh tokens rotate,
// so two refreshes with the same one would end the sign-in's tokens.
// Safe for concurrent use.
type TokenKeeper struct {
	client  refresher
	store   TokenStore
	box     Sealer
	now     func() time.Time
	flights singleflight.Group
}

// NewTokenKeeper keeps tokens in store, sealed with box, refreshed by c.
func NewTokenKeeper(c *Client, store TokenStore, box Sealer) *TokenKeeper {
	return &TokenKeeper{client: c, store: store, box: box, now: c.cfg.Now}
}

// keyOf names a sign-in's tokens for the lock and the sealing's
// associated data: a hash, so that the session token never appears in a
// lock name or a log.
func keyOf(sessionToken string) string {
	sum := sha256.Sum256([]byte(sessionToken))
	return "psc:tokens:" + hex.EncodeToString(sum[:12])
}

// Seal seals a sign-in's tokens for the store, bound to its session
// (a ciphertext moved to another session does not open). The portal
// records them with the provider session at sign-in.
func (k *TokenKeeper) Seal(sessionToken string, t Tokens) ([]byte, error) {
	if t.AccessToken == "" {
		return nil, errors.New("psc: no token to seal")
	}
	plain, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	return k.box.Seal(plain, []byte(keyOf(sessionToken)))
}

// Save stores a sign-in's tokens (Seal, then the store).
func (k *TokenKeeper) Save(ctx context.Context, sessionToken string, t Tokens) error {
	sealed, err := k.Seal(sessionToken, t)
	if err != nil {
		return err
	}
	key := keyOf(sessionToken)
	return k.store.WithLock(ctx, key, func(ctx context.Context) error {
		return k.store.SetProviderTokens(ctx, sessionToken, sealed)
	})
}

// Forget drops a sign-in's tokens (they also go with the session's row
// at logout).
func (k *TokenKeeper) Forget(ctx context.Context, sessionToken string) error {
	return k.store.WithLock(ctx, keyOf(sessionToken), func(ctx context.Context) error {
		return k.store.DropProviderTokens(ctx, sessionToken)
	})
}

// errUnreadable: sealed tokens that do not open (key changed) or decode.
var errUnreadable = errors.New("psc: stored tokens unreadable")

func (k *TokenKeeper) load(ctx context.Context, sessionToken string) (*Tokens, error) {
	sealed, err := k.store.ProviderTokens(ctx, sessionToken)
	if err != nil {
		return nil, fmt.Errorf("psc: token store: %w", err)
	}
	if sealed == nil {
		return nil, nil
	}
	plain, err := k.box.Open(sealed, []byte(keyOf(sessionToken)))
	if err != nil {
		return nil, errUnreadable
	}
	var t Tokens
	if json.Unmarshal(plain, &t) != nil || t.AccessToken == "" {
		return nil, errUnreadable
	}
	return &t, nil
}

// Token returns the sign-in's access token, refreshed first when it
// expires within RefreshMargin. ErrReauthRequired: none kept, or PSC
// refused the refresh (the tokens are then dropped). ErrUnavailable: PSC
// could not be reached and the token has expired; the tokens are kept.
func (k *TokenKeeper) Token(ctx context.Context, sessionToken string) (string, error) {
	t, err := k.load(ctx, sessionToken)
	switch {
	case err == nil && t != nil && t.freshAt(k.now(), RefreshMargin):
		return t.AccessToken, nil
	case err != nil && !errors.Is(err, errUnreadable):
		return "", err
	}
	return k.renew(ctx, sessionToken, "")
}

// Refresh replaces rejected, an access token an API refused (401),
// unless another request already replaced it: then it returns that one.
func (k *TokenKeeper) Refresh(ctx context.Context, sessionToken, rejected string) (string, error) {
	return k.renew(ctx, sessionToken, rejected)
}

// flightTimeout bounds a shared refresh, whoever waits for it.
const flightTimeout = 15 * time.Second

// renew refreshes once for every caller asking together in this process,
// under the store's lock for the other instances.
func (k *TokenKeeper) renew(ctx context.Context, sessionToken, rejected string) (string, error) {
	key := keyOf(sessionToken)
	answer := k.flights.DoChan(key+"\x00"+rejected, func() (any, error) {
		// Not bound to the first caller: its going away must not fail
		// the others waiting for the same answer.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flightTimeout)
		defer cancel()
		var access string
		err := k.store.WithLock(fctx, key, func(ctx context.Context) error {
			var err error
			access, err = k.renewLocked(ctx, sessionToken, rejected)
			return err
		})
		return access, err
	})
	select {
	case r := <-answer:
		if r.Err != nil {
			return "", r.Err
		}
		return r.Val.(string), nil
	case <-ctx.Done():
		return "", fmt.Errorf("%w: token refresh: %v", ErrUnavailable, ctx.Err())
	}
}

// renewLocked runs under the lock: it reads the tokens again (another
// instance may have refreshed them meanwhile) and refreshes only if they
// are still stale, or still the rejected one.
func (k *TokenKeeper) renewLocked(ctx context.Context, sessionToken, rejected string) (string, error) {
	t, err := k.load(ctx, sessionToken)
	switch {
	case errors.Is(err, errUnreadable):
		if derr := k.store.DropProviderTokens(ctx, sessionToken); derr != nil {
			return "", derr
		}
		return "", fmt.Errorf("%w: %w", ErrReauthRequired, err)
	case err != nil:
		return "", err
	case t == nil:
		return "", ErrReauthRequired
	}
	now := k.now()
	replaced := rejected != "" && t.AccessToken != rejected
	if (replaced || rejected == "") && t.freshAt(now, RefreshMargin) {
		return t.AccessToken, nil
	}
	if t.RefreshToken == "" || (!t.RefreshExpiry.IsZero() && !now.Before(t.RefreshExpiry)) {
		if err := k.store.DropProviderTokens(ctx, sessionToken); err != nil {
			return "", err
		}
		return "", fmt.Errorf("%w: the refresh token has expired", ErrReauthRequired)
	}
	next, err := k.client.refresh(ctx, t.RefreshToken)
	switch {
	case errors.Is(err, ErrRejected):
		// invalid_grant and the like: PSC's session is over.
		if derr := k.store.DropProviderTokens(ctx, sessionToken); derr != nil {
			return "", derr
		}
		return "", fmt.Errorf("%w: %w", ErrReauthRequired, err)
	case err != nil && rejected == "" && t.freshAt(now, 0):
		return t.AccessToken, nil // PSC out of reach, the token still valid: use it
	case err != nil:
		return "", err
	}
	if next.RefreshToken == "" {
		next.RefreshToken, next.RefreshExpiry = t.RefreshToken, t.RefreshExpiry
	}
	sealed, err := k.Seal(sessionToken, next)
	if err != nil {
		return "", err
	}
	if err := k.store.SetProviderTokens(ctx, sessionToken, sealed); err != nil {
		return "", err
	}
	return next.AccessToken, nil
}
