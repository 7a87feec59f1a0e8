// Package web is InfoPatient's HTTP front: Echo routes, middleware and one
// handler per page. It depends on the store and the authority clients; none
// of them depends on it.
package web

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/commune"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/covercard"
	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/i18n"
	"github.com/infopatient/infopatient/internal/insi"
	"github.com/infopatient/infopatient/internal/metrics"
	"github.com/infopatient/infopatient/internal/passkey"
	"github.com/infopatient/infopatient/internal/password"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/pscctx"
	"github.com/infopatient/infopatient/internal/rights"
	"github.com/infopatient/infopatient/internal/secretbox"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/static"
)

// Accounts is what sign-in needs of the store.
type Accounts interface {
	AccountByID(ctx context.Context, id int64) (store.Account, error)
	AccountByLogin(ctx context.Context, login string) (store.Account, error)
}

// AuditTrail records and lists patient lookups.
type AuditTrail interface {
	RecordLookup(ctx context.Context, l store.Lookup) error
	RecentLookups(ctx context.Context, accountID int64, limit int) ([]store.Lookup, error)
	// AddLookup records a lookup and returns its id; LookupOf reads one
	// of an account's own (store.ErrNotFound for any other); LookupPage
	// pages through an account's lookups, newest first.
	AddLookup(ctx context.Context, l store.Lookup) (int64, error)
	LookupOf(ctx context.Context, accountID, id int64) (store.Lookup, error)
	LookupPage(ctx context.Context, accountID int64, offset, limit int) ([]store.Lookup, error)
}

// RateLimiter counts sign-in attempts across all instances.
type RateLimiter interface {
	HitRateLimit(ctx context.Context, key string, window time.Duration, now time.Time) (int, error)
	ResetRateLimit(ctx context.Context, key string) error
}

// PendingLogins keeps sign-ins in flight in the database, so that one may
// start on one instance and finish on another.
type PendingLogins interface {
	SavePendingLogin(ctx context.Context, p store.PendingLogin) error
	TakePendingLogin(ctx context.Context, state string, now time.Time) (store.PendingLogin, error)
}

// Identities maps authority identities (idNat, hin_id) to accounts.
type Identities interface {
	AccountByIdentity(ctx context.Context, authority, subject string) (store.Account, error)
	LinkIdentity(ctx context.Context, authority, subject string, accountID int64) error
	// LinkIdentityByGLN links the identity to the account of that GLN,
	// unless the account has another identity of the authority
	// (store.ErrOtherIdentity), and records it in the account's trail.
	LinkIdentityByGLN(ctx context.Context, authority, subject, gln string) (store.Account, error)
	IdentitiesOf(ctx context.Context, accountID int64) ([]store.Identity, error)
}

// ProviderSessions remembers which local sessions belong to which provider
// session, so that a back-channel logout ends them on every instance.
type ProviderSessions interface {
	// RecordProviderSession also keeps what the sign-in said that only
	// some pages need (its ID token, sealed, and its claims).
	RecordProviderSession(ctx context.Context, p store.ProviderSession) error
	// ProviderSession reads a local session's record (store.ErrNotFound
	// when there is none, or it expired).
	ProviderSession(ctx context.Context, sessionToken string, now time.Time) (store.ProviderSession, error)
	// EndProviderSessions deletes the local sessions of a provider
	// session (by sid, else by subject) and returns how many there were.
	EndProviderSessions(ctx context.Context, provider, sid, subject string) (int, error)
	// EndByLogoutToken acts on a back-channel logout token once
	// (store.ErrReplayed after), ending the sessions begun by its iat.
	EndByLogoutToken(ctx context.Context, t store.LogoutToken) (int, error)
	ForgetSessionToken(ctx context.Context, sessionToken string) error
}

// ShareableIdentities reads the patient identities identity vigilance
// keeps, to tell whether a patient's INS may be shared.
type ShareableIdentities interface {
	PatientIdentityByINS(ctx context.Context, matricule, oid string) (store.PatientIdentity, error)
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
	Metrics  *metrics.Metrics

	Accounts Accounts
	Audit    AuditTrail
	Limiter  RateLimiter
	DB       Pinger
	// Passwords checks local passwords, at the cost the accounts' hashes
	// were made with (password.Default when zero).
	Passwords password.Hasher

	Logins           PendingLogins
	Identities       Identities
	ProviderSessions ProviderSessions
	// Passkeys keeps the local accounts' passkeys; nil: no passkeys.
	Passkeys PasskeyStore

	// Authorities; nil when not configured.
	PSC       *psc.Client
	HIN       *hin.Client
	HINTokens *hin.UserTokens
	// HINDirectory reads a HIN professional's name, GLN and verification
	// level from HIN's directory; nil when off.
	HINDirectory *HINDirectory
	// ServiceTokens is the practice's own Covercard access (client
	// credentials), used when the professional has no HIN token.
	ServiceTokens *hin.ServiceTokens
	Covercard     *covercard.Client
	// INSi finds a French patient's INS by traits; nil when off.
	INSi insi.Searcher
	// INSIdentities keeps what INSi returned, with its RNIV status.
	INSIdentities PatientIdentities
	// Communes is INSEE's list for the birthplace picker, asked for when
	// a birthplace is first looked up (commune.Embedded parses it then):
	// most processes never need its megabyte. Nil: no list.
	Communes func() (*commune.List, error)
	// PSCTokens keeps PSC sign-ins' access and refresh tokens (nil
	// without PSC; INSi's psc mode and context sharing use them);
	// PSCContext is ANS's context-sharing API (nil when off);
	// ShareableIdentities says whose INS may be shared.
	PSCTokens           *psc.TokenKeeper
	PSCContext          *pscctx.Client
	ShareableIdentities ShareableIdentities
	// Rights is the ADRi-shaped service French patients' rights are read
	// from.
	Rights *rights.Client
	// Box seals what the database keeps of a sign-in: the HIN token a
	// pending identity link carries, a PSC sign-in's ID token (kept for the
	// logout's id_token_hint).
	Box *secretbox.Box

	// Now is the clock (tests move it).
	Now func() time.Time
}

// Server holds the dependencies of every handler.
type Server struct {
	Deps
	echo *echo.Echo
	// loc is the time zone dates are shown in: the portal serves France
	// and Switzerland, which share one.
	loc *time.Location
	// rp is the WebAuthn relying party (nil without Passkeys).
	rp *passkey.RP

	// csrfFallbackBox signs CSRF tokens when Deps has no Box (see csrfBox).
	csrfFallback    sync.Once
	csrfFallbackBox *secretbox.Box
	// handoff hands a lookup's result from its POST to its page.
	handoff handoff
}

// New builds the Echo application with its middleware and routes.
func New(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	// Lines logged while serving a request carry its id.
	if _, wrapped := d.Logger.Handler().(requestIDHandler); !wrapped {
		d.Logger = slog.New(requestIDHandler{d.Logger.Handler()})
	}
	if d.Passwords.Cost == 0 {
		d.Passwords = password.Default
	}
	s := &Server{Deps: d, echo: echo.New(), loc: time.UTC}
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		s.loc = loc
	}
	s.rp = newRelyingParty(d)
	s.echo.HideBanner = true
	s.echo.HidePort = true
	s.echo.IPExtractor = ipExtractor(d.Config.TrustedProxies)
	s.echo.HTTPErrorHandler = s.handleError
	s.routes()
	return s
}

// Echo returns the application, an http.Handler.
func (s *Server) Echo() *echo.Echo { return s.echo }
