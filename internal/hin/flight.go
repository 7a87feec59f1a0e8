package hin

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/singleflight"
)

// flightTimeout bounds a shared refresh: it runs detached from the
// caller that started it, since other callers wait for it too.
const flightTimeout = 30 * time.Second

// sharedFlight runs fn once for all the callers asking under key
// together. The flight serves every caller waiting on it, so it outlives
// the one that started it: fn runs detached from ctx, for up to timeout.
// Each caller stops waiting when its own ctx ends.
func sharedFlight[T any](ctx context.Context, g *singleflight.Group, key string, timeout time.Duration, fn func(context.Context) (T, error)) (T, error) {
	ch := g.DoChan(key, func() (any, error) {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		return fn(fctx)
	})
	var zero T
	select {
	case res := <-ch:
		if res.Err != nil {
			return zero, res.Err
		}
		return res.Val.(T), nil
	case <-ctx.Done():
		return zero, fmt.Errorf("%w: %w", ErrUnavailable, ctx.Err())
	}
}
