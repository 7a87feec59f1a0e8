// Package httpserve runs an http.Server for as long as a context lasts:
// the portal, its metrics listener and the stand-alone sandbox all stop
// the same way.
package httpserve

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Until serves srv on ln until ctx is done, then shuts it down, giving the
// requests in flight up to grace to finish. It returns nil after such a
// shutdown, and the server's error if it stopped by itself.
func Until(ctx context.Context, srv *http.Server, ln net.Listener, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// ctx is done: the shutdown gets a deadline of its own.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
