package hin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/infopatient/infopatient/internal/secretbox"
)

// refresher is the part of Client that UserTokens needs.
type refresher interface {
	Refresh(ctx context.Context, refreshToken string) (*Token, error)
}

// UserTokens keeps each professional's HIN tokens (after a HIN sign-in)
// and refreshes them when needed: one refresh per account at a time,
// in this process (singleflight) and across instances (the store's
// lock), so that concurrent requests never spend the same rotating
// refresh token twice. It is safe for concurrent use.
type UserTokens struct {
	client  refresher
	store   sealedStore
	now     func() time.Time
	flights singleflight.Group
}

// NewUserTokens keeps tokens in store, sealed with box, refreshed by client.
func NewUserTokens(client *Client, store TokenStore, box *secretbox.Box) *UserTokens {
	return &UserTokens{client: client, store: sealedStore{store: store, box: box}, now: client.cfg.Now}
}

// Save stores the tokens of a sign-in, replacing the account's previous ones.
func (u *UserTokens) Save(ctx context.Context, accountID int64, tok *Token) error {
	if tok == nil || tok.AccessToken == "" {
		return errors.New("hin: no token to save")
	}
	key := userKey(accountID)
	return u.store.withLock(ctx, key, func(ctx context.Context) error {
		return u.store.put(ctx, key, record{Token: tok})
	})
}

// Forget deletes the account's tokens (logout).
func (u *UserTokens) Forget(ctx context.Context, accountID int64) error {
	key := userKey(accountID)
	return u.store.withLock(ctx, key, func(ctx context.Context) error {
		return u.store.delete(ctx, key)
	})
}

// Token returns the account's access token, refreshed first when it
// expires within RefreshMargin. ErrReauthRequired: no token, or HIN
// refused the refresh (the tokens are then deleted). ErrUnavailable: HIN
// could not be reached; the tokens are kept.
func (u *UserTokens) Token(ctx context.Context, accountID int64) (string, error) {
	r, err := u.store.get(ctx, userKey(accountID))
	switch {
	case err == nil && r.Token.freshAt(u.now(), RefreshMargin):
		return r.Token.AccessToken, nil
	case err != nil && !errors.Is(err, ErrNoToken) && !errors.Is(err, errUnreadable):
		return "", err
	}
	return u.renew(ctx, accountID, "")
}

// Refresh replaces rejected, an access token the protected application
// refused (401), unless another request has already replaced it.
func (u *UserTokens) Refresh(ctx context.Context, accountID int64, rejected string) (string, error) {
	return u.renew(ctx, accountID, rejected)
}

// For is the account's TokenSource.
func (u *UserTokens) For(accountID int64) TokenSource { return accountSource{u, accountID} }

type accountSource struct {
	u         *UserTokens
	accountID int64
}

func (a accountSource) Token(ctx context.Context) (string, error) { return a.u.Token(ctx, a.accountID) }
func (a accountSource) Refresh(ctx context.Context, rejected string) (string, error) {
	return a.u.Refresh(ctx, a.accountID, rejected)
}

// renew refreshes once for all the callers that ask together. rejected is
// empty when the token is merely stale.
func (u *UserTokens) renew(ctx context.Context, accountID int64, rejected string) (string, error) {
	key := userKey(accountID)
	return sharedFlight(ctx, &u.flights, key+"\x00"+rejected, flightTimeout, func(ctx context.Context) (string, error) {
		var access string
		err := u.store.withLock(ctx, key, func(ctx context.Context) error {
			var err error
			access, err = u.renewLocked(ctx, key, rejected)
			return err
		})
		return access, err
	})
}

// renewLocked runs under the store's lock: it reads the token again, for
// another instance may have refreshed it meanwhile, and refreshes only if
// it is still stale or still the rejected one.
func (u *UserTokens) renewLocked(ctx context.Context, key, rejected string) (string, error) {
	r, err := u.store.get(ctx, key)
	switch {
	case errors.Is(err, ErrNoToken):
		return "", ErrReauthRequired
	case errors.Is(err, errUnreadable):
		if derr := u.store.delete(ctx, key); derr != nil {
			return "", derr
		}
		return "", fmt.Errorf("%w: %w", ErrReauthRequired, err)
	case err != nil:
		return "", err
	case r.Token == nil:
		return "", ErrReauthRequired
	}
	current := r.Token
	replaced := rejected != "" && current.AccessToken != rejected
	if (replaced || rejected == "") && current.freshAt(u.now(), RefreshMargin) {
		return current.AccessToken, nil
	}
	if current.RefreshToken == "" {
		if err := u.store.delete(ctx, key); err != nil {
			return "", err
		}
		return "", fmt.Errorf("%w: no refresh token", ErrReauthRequired)
	}
	next, err := u.client.Refresh(ctx, current.RefreshToken)
	switch {
	case errors.Is(err, ErrInvalidGrant):
		if derr := u.store.delete(ctx, key); derr != nil {
			return "", derr
		}
		return "", fmt.Errorf("%w: %w", ErrReauthRequired, err)
	case err != nil && rejected == "" && current.freshAt(u.now(), 0):
		// HIN is out of reach but the token has not expired yet: use it.
		return current.AccessToken, nil
	case err != nil:
		return "", err
	}
	if next.RefreshToken == "" {
		next.RefreshToken = current.RefreshToken
	}
	if next.HINID == "" {
		next.HINID = current.HINID
	}
	if err := u.store.put(ctx, key, record{Token: next}); err != nil {
		return "", err
	}
	return next.AccessToken, nil
}
