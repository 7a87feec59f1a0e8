// Package web is InfoPatient's HTTP front: Echo routes, middleware and one
// handler per page. It depends on the store and the authority clients; none
// of them depends on it.
package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/i18n"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/static"
)

// Accounts is what sign-in needs of the store.
type Accounts interface {
	AccountByID(ctx context.Context, id int64) (store.Account, error)
	AccountByLogin(ctx context.Context, login string) (store.Account, error)
}

// Patients is what the French lookup needs of the store.
type Patients interface {
	PatientByNIR(ctx context.Context, nir string) (store.Patient, error)
}

// AuditTrail records and lists patient lookups.
type AuditTrail interface {
	RecordLookup(ctx context.Context, l store.Lookup) error
	RecentLookups(ctx context.Context, accountID int64, limit int) ([]store.Lookup, error)
}

// RateLimiter counts sign-in attempts across all instances.
type RateLimiter interface {
	HitRateLimit(ctx context.Context, key string, window time.Duration, now time.Time) (int, error)
	ResetRateLimit(ctx context.Context, key string) error
}

// Pinger tells whether the database answers (readiness).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is everything the web layer is given; the app container builds it.
type Deps struct {
	Config   *config.Config
	Logger   *slog.Logger
	Sessions *scs.SessionManager
	Catalog  *i18n.Catalog
	Assets   *static.Assets

	Accounts Accounts
	Patients Patients
	Audit    AuditTrail
	Limiter  RateLimiter
	DB       Pinger

	// Now is the clock (tests move it).
	Now func() time.Time
}

// Server holds the dependencies of every handler.
type Server struct {
	Deps
	echo *echo.Echo
}

// New builds the Echo application with its middleware and routes.
func New(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &Server{Deps: d, echo: echo.New()}
	s.echo.HideBanner = true
	s.echo.HidePort = true
	s.echo.IPExtractor = ipExtractor(d.Config.TrustedProxies)
	s.echo.HTTPErrorHandler = s.handleError
	s.routes()
	return s
}

// Echo returns the application, an http.Handler.
func (s *Server) Echo() *echo.Echo { return s.echo }
