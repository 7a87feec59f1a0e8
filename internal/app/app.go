// Package app wires InfoPatient together: it owns the store, the session
// manager, the authority clients, the sandbox in demo mode and the web
// server, and shuts them down in order.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"golang.org/x/sync/errgroup"

	"github.com/infopatient/infopatient/internal/commune"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/httpserve"
	"github.com/infopatient/infopatient/internal/i18n"
	"github.com/infopatient/infopatient/internal/metrics"
	"github.com/infopatient/infopatient/internal/password"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/static"
	"github.com/infopatient/infopatient/web"
)

// App is the running portal.
type App struct {
	Config   *config.Config
	Logger   *slog.Logger
	Store    *store.Store
	Sessions *scs.SessionManager
	Metrics  *metrics.Metrics
	Web      *web.Server
	// Sandbox is set in demo mode.
	Sandbox *sandbox.Sandbox

	handler    http.Handler
	auth       *authorities
	now        func() time.Time
	sweepEvery time.Duration
}

// Options tune what New builds; the zero value is production.
type Options struct {
	// Hasher hashes the demo accounts and checks sign-ins, unknown accounts
	// included (tests use a low cost).
	Hasher *password.Hasher
	// Now is the clock (tests move it).
	Now func() time.Time
	// Store, when set, is used instead of opening the configured database
	// (tests observe the database through it), with its own clock. The App
	// closes it.
	Store *store.Store
}

// New opens the store (migrating it), seeds the demo data in demo mode and
// builds the web application.
func New(ctx context.Context, cfg *config.Config, logger *slog.Logger, opts Options) (*App, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	st := opts.Store
	if st == nil {
		var err error
		if st, err = store.Open(ctx, cfg.DSN(), store.WithClock(opts.Now)); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	a := &App{Config: cfg, Logger: logger, Store: st, now: opts.Now, sweepEvery: sweepEvery}
	if err := a.init(ctx, opts); err != nil {
		_ = st.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) init(ctx context.Context, opts Options) error {
	cfg := a.Config
	if _, err := a.Store.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	h := password.Default
	if opts.Hasher != nil {
		h = *opts.Hasher
	}
	if cfg.Demo {
		if err := demo.Seed(ctx, a.Store, h); err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
		if err := demo.SeedIdentities(ctx, a.Store); err != nil {
			return fmt.Errorf("seed demo identities: %w", err)
		}
	}
	catalog, err := i18n.Load()
	if err != nil {
		return err
	}
	assets, err := static.Load()
	if err != nil {
		return err
	}
	a.Metrics = metrics.New(a.Store.DB())
	auth, err := newAuthorities(authorityDeps{
		cfg: cfg, logger: a.Logger, tokens: hinTokenStore{a.Store}, now: opts.Now, observe: a.observeTokenRequest,
	})
	if err != nil {
		return err
	}
	a.Sandbox = auth.sandbox
	a.auth = auth
	a.Sessions = web.NewSessionManager(a.Store.SessionStore(), cfg.SessionLifetime, cfg.SecureCookies())
	a.Web = web.New(web.Deps{
		Config:           cfg,
		Logger:           a.Logger,
		Sessions:         a.Sessions,
		Catalog:          catalog,
		Assets:           assets,
		Metrics:          a.Metrics,
		Accounts:         a.Store,
		Audit:            a.Store,
		Limiter:          a.Store,
		Passwords:        h,
		DB:               a.Store,
		Logins:           a.Store,
		Identities:       a.Store,
		ProviderSessions: a.Store,
		Passkeys:         a.Store,
		PSC:              auth.psc,
		HIN:              auth.hinSignInClient(),
		HINTokens:        auth.hinTokens,
		HINDirectory:     auth.webHINDirectory(),
		ServiceTokens:    auth.serviceTokens,
		Covercard:        auth.covercard,
		INSi:             auth.insiSearcher(),
		INSIdentities:    a.Store,
		Communes:         commune.Embedded, // parsed on first use
		Rights:           auth.rights,
		Box:              auth.box,
		Now:              opts.Now,

		// Context sharing, with the PSC tokens it is done with.
		PSCTokens:           auth.pscTokens,
		PSCContext:          auth.pscContext,
		ShareableIdentities: a.Store,
	})
	a.handler = a.Web.Echo()
	if a.Sandbox != nil {
		// The sandbox is the other party: it is mounted beside the portal,
		// outside the portal's middleware, and reached over HTTP.
		mux := http.NewServeMux()
		mux.Handle("/sandbox/", a.Sandbox)
		mux.Handle("/", a.Web.Echo())
		a.handler = mux
	}
	return nil
}

// Handler is the whole site: the portal, and the sandbox in demo mode.
func (a *App) Handler() http.Handler { return a.handler }

// Close releases the store.
func (a *App) Close() error { return a.Store.Close() }

// Run serves the portal on ln, /metrics alone on metricsLn when it is not
// nil (the listener of INFOPATIENT_METRICS_ADDR, kept from the public) and
// sweeps expired rows, until ctx is cancelled (SIGINT/SIGTERM) or one of
// them fails; requests in flight then have up to 15 seconds to finish.
// ready is called once the listeners serve. Run returns when all have
// stopped, so that Close may follow.
func (a *App) Run(ctx context.Context, ln, metricsLn net.Listener, ready func()) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		srv := &http.Server{
			Handler:           a.handler,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       a.Config.ReadTimeout,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn),
		}
		return httpserve.Until(ctx, srv, ln, 15*time.Second)
	})
	if metricsLn != nil {
		g.Go(func() error {
			if err := a.ServeMetrics(ctx, metricsLn); err != nil {
				return fmt.Errorf("metrics listener: %w", err)
			}
			return nil
		})
	}
	g.Go(func() error {
		a.sweep(ctx)
		return nil
	})
	if ready != nil {
		ready()
	}
	<-ctx.Done()
	a.Logger.Info("shutting down")
	return g.Wait()
}

// ServeMetrics serves /metrics alone on ln until ctx is cancelled.
func (a *App) ServeMetrics(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.Metrics.Handler())
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn),
	}
	return httpserve.Until(ctx, srv, ln, 5*time.Second)
}

// sweepEvery is how often expired rows are deleted.
const sweepEvery = 10 * time.Minute

// sweep deletes expired sign-ins, provider sessions, rate-limit windows
// and token rows past HIN's refresh-token lifetime until ctx ends. Every
// instance sweeps; the deletes are idempotent.
func (a *App) sweep(ctx context.Context) {
	t := time.NewTicker(a.sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := a.Store.Sweep(ctx, a.now())
			switch {
			case ctx.Err() != nil: // cut short by the shutdown
			case err != nil:
				a.Logger.Warn("sweep failed", slog.Any("err", err))
			case n > 0:
				a.Logger.Debug("swept expired rows", slog.Int64("rows", n))
			}
		}
	}
}

// NewLogger builds the structured logger the configuration asks for.
func NewLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(cfg.LogFormat, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
