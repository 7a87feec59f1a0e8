// Package pprofserve serves net/http/pprof on a listener of its own
// (INFOPATIENT_PPROF_ADDR), never on the public one: profiles show
// memory contents and cost CPU, so they stay on an operator's address.
package pprofserve

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/infopatient/infopatient/internal/httpserve"
)

// Handler is pprof's index, profiles and traces under /debug/pprof/.
// It is built on a mux of its own: importing net/http/pprof also
// registers on http.DefaultServeMux, which InfoPatient never serves.
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// Serve serves Handler on ln until ctx is cancelled. A CPU profile or a
// trace lasts as long as asked (?seconds=), so there is no write timeout.
func Serve(ctx context.Context, ln net.Listener, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	return httpserve.Until(ctx, srv, ln, 5*time.Second)
}
