package hin

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/infopatient/infopatient/internal/secretbox"
)

// DefaultMinInterval spaces client-credentials requests: HIN allows at
// most 0.3 per second per secret (one every 3.33 s), timed on its side
// from receipt. The spacing here is timed from the previous answer (after
// HIN's receipt, whatever the network's jitter) and keeps a 20 % margin.
const DefaultMinInterval = 4 * time.Second

// ServiceConfig is a client-credentials identity (a HIN "device"), whose
// secret the customer generates on apps.hin.ch.
type ServiceConfig struct {
	ClientID     string
	ClientSecret string
	// TokenGroup defaults to the Client's.
	TokenGroup string
	// MinInterval is the least time between two requests; DefaultMinInterval.
	MinInterval time.Duration
	// Sleep waits d or until ctx ends; a timer by default (tests move a clock).
	Sleep func(ctx context.Context, d time.Duration) error
}

// credentialsClient is the part of Client that ServiceTokens needs.
type credentialsClient interface {
	ClientCredentials(ctx context.Context, clientID, secret, tokenGroup string) (*Token, error)
}

// ServiceTokens is the practice's own access to an application (Covercard)
// through client credentials: no user, one token shared by every request.
// The token is cached in memory and, sealed, in the store, so that a
// restart or another instance reuses it; it is renewed shortly before it
// expires, by one request however many callers need it, and never sooner
// than MinInterval after the previous request from any instance. It
// implements TokenSource and is safe for concurrent use.
type ServiceTokens struct {
	client  credentialsClient
	cfg     ServiceConfig
	key     string
	store   sealedStore
	now     func() time.Time
	flights singleflight.Group
	mu      sync.Mutex
	cached  *Token
}

// NewServiceTokens returns the token source of a device identity.
func NewServiceTokens(client *Client, cfg ServiceConfig, store TokenStore, box *secretbox.Box) *ServiceTokens {
	if cfg.TokenGroup == "" {
		cfg.TokenGroup = client.TokenGroup()
	}
	return newServiceTokens(client, cfg, store, box, client.cfg.Now)
}

func newServiceTokens(client credentialsClient, cfg ServiceConfig, store TokenStore, box *secretbox.Box, now func() time.Time) *ServiceTokens {
	if cfg.MinInterval <= 0 {
		cfg.MinInterval = DefaultMinInterval
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	return &ServiceTokens{
		client: client, cfg: cfg, key: serviceKey(cfg.TokenGroup),
		store: sealedStore{store: store, box: box}, now: now,
	}
}

// Token returns a valid access token, from memory when possible.
func (s *ServiceTokens) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	cached := s.cached
	s.mu.Unlock()
	if cached.freshAt(s.now(), RefreshMargin) {
		return cached.AccessToken, nil
	}
	return s.renew(ctx, "")
}

// Refresh replaces rejected, unless another request already did.
func (s *ServiceTokens) Refresh(ctx context.Context, rejected string) (string, error) {
	return s.renew(ctx, rejected)
}

func (s *ServiceTokens) renew(ctx context.Context, rejected string) (string, error) {
	return sharedFlight(ctx, &s.flights, "\x00"+rejected, flightTimeout, func(ctx context.Context) (string, error) {
		var tok *Token
		err := s.store.withLock(ctx, s.key, func(ctx context.Context) error {
			var err error
			tok, err = s.renewLocked(ctx, rejected)
			return err
		})
		if err != nil {
			return "", err
		}
		s.mu.Lock()
		s.cached = tok
		s.mu.Unlock()
		return tok.AccessToken, nil
	})
}

// renewLocked runs under the store's lock: it reuses a token another
// instance stored meanwhile, else waits out the rate limit and asks HIN.
func (s *ServiceTokens) renewLocked(ctx context.Context, rejected string) (*Token, error) {
	r, err := s.store.get(ctx, s.key)
	if err != nil && !errors.Is(err, ErrNoToken) && !errors.Is(err, errUnreadable) {
		return nil, err
	}
	if t := r.Token; t.freshAt(s.now(), RefreshMargin) && t.AccessToken != rejected {
		return t, nil
	}
	if err := s.waitFor(ctx, r.RequestedAt.Add(s.cfg.MinInterval).Sub(s.now())); err != nil {
		return nil, err
	}
	tok, reqErr := s.client.ClientCredentials(ctx, s.cfg.ClientID, s.cfg.ClientSecret, s.cfg.TokenGroup)
	// The attempt is recorded whatever its outcome (HIN counts it), at its
	// answer: HIN's clock started between the send and now.
	r.RequestedAt = s.now()
	var te *TokenError
	if errors.Is(reqErr, ErrRateLimited) {
		// HIN's clock disagreed with ours: once, after the interval (or
		// HIN's Retry-After, when longer).
		wait := s.cfg.MinInterval
		if errors.As(reqErr, &te) && te.RetryAfter > wait {
			wait = te.RetryAfter
		}
		if err := s.waitFor(ctx, wait); err != nil {
			return nil, errors.Join(reqErr, err)
		}
		tok, reqErr = s.client.ClientCredentials(ctx, s.cfg.ClientID, s.cfg.ClientSecret, s.cfg.TokenGroup)
		r.RequestedAt = s.now()
	}
	if reqErr == nil {
		r.Token = tok
	}
	if err := s.store.put(ctx, s.key, r); err != nil {
		return nil, errors.Join(reqErr, err)
	}
	if reqErr != nil {
		return nil, reqErr
	}
	return tok, nil
}

// waitFor sleeps out a wait of the rate limit, or says at once that the
// caller's deadline comes sooner.
func (s *ServiceTokens) waitFor(ctx context.Context, wait time.Duration) error {
	if wait <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return fmt.Errorf("%w: %w: next request allowed in %v", ErrUnavailable, ErrRateLimited, wait.Round(time.Millisecond))
	}
	if err := s.cfg.Sleep(ctx, wait); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
