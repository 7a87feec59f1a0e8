// Package config reads InfoPatient's configuration from INFOPATIENT_*
// environment variables. The variable names are a contract with integrators:
// they are documented in README.md and must stay stable.
package config

import (
	"errors"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/infopatient/infopatient/internal/hin"
)

// Config is the whole, validated configuration.
type Config struct {
	Addr    string // listen address
	BaseURL string // public URL, without trailing slash
	DataDir string
	// DatabaseURL is a postgres:// URL, or empty for the SQLite file under DataDir.
	DatabaseURL string
	Demo        bool

	SessionIdleTimeout time.Duration
	SessionLifetime    time.Duration
	// StateTimeout bounds how long a sign-in started at an authority may take.
	StateTimeout time.Duration
	// Login attempts allowed per account and per address in LoginWindow.
	LoginMaxPerAccount int
	LoginMaxPerAddress int
	LoginWindow        time.Duration
	// SignInStartsPerAddress bounds the sign-ins (PSC, HIN) one address
	// may start in a minute.
	SignInStartsPerAddress int

	LogLevel  string // debug, info, warn, error
	LogFormat string // text or json

	TrustedProxies []netip.Prefix
	// HTTPTimeout bounds every call to an outside authority.
	HTTPTimeout time.Duration
	// ReadTimeout bounds reading a request, headers and body: a client
	// that stops sending is answered 408.
	ReadTimeout time.Duration
	// MetricsAddr is the only listen address serving /metrics (never the
	// public one).
	MetricsAddr string
	// PprofAddr, when set, serves net/http/pprof, and nothing else.
	PprofAddr string

	// LocalSignIn: what a local account must show (password, passkey).
	LocalSignIn LocalSignIn

	PSC       PSC
	HIN       HIN
	Covercard Covercard
	// PSCContext and HINDirectory: context sharing and HIN's directory.
	PSCContext   PSCContext
	HINDirectory HINDirectory
	// INSi: a French patient's INS by traits.
	INSi INSi
	// ADRi: French patients' rights.
	ADRi ADRi
	// TokenKey seals the stored HIN tokens and PSC ID tokens (32 bytes,
	// configured in base64); empty means "create one under DataDir", which
	// only a single instance may do.
	TokenKey []byte
	// TokenKeyPrevious, during a rolling rotation, opens what the key
	// before TokenKey sealed; nothing is sealed with it.
	TokenKeyPrevious []byte

	settings []Setting
}

// PSC configures Pro Santé Connect. Empty endpoints come from discovery.
type PSC struct {
	Env            string // "", "bas" or "prod": presets for the real endpoints
	Issuer         string
	DiscoveryURL   string
	AuthorizeURL   string
	TokenURL       string
	UserinfoURL    string
	JWKSURL        string
	EndSessionURL  string
	ClientID       string
	ClientSecret   string
	AuthMethod     string // basic or post
	ClientCertFile string
	ClientKeyFile  string
	// ClientCertPassword opens a PKCS#12 ClientCertFile; never shown.
	ClientCertPassword string
	Scopes             []string
	ACRValues          string
}

// Configured reports whether a real (non-sandbox) provider was given.
func (p PSC) Configured() bool { return p.ClientID != "" }

// HIN configures the HIN OAuth2 sign-in.
type HIN struct {
	AuthorizeURL string
	TokenURL     string
	ManualURL    string
	ClientID     string
	ClientSecret string
	TokenGroup   string
}

// Configured reports whether a real (non-sandbox) HIN client was given.
func (h HIN) Configured() bool { return h.ClientID != "" }

// Covercard configures the Swiss insurance-card service and the
// client-credentials identity used when the professional has no HIN token.
type Covercard struct {
	URL          string
	Langue       string
	ClientID     string
	ClientSecret string
	TokenGroup   string
}

// Configured reports whether a real Covercard endpoint was given.
func (c Covercard) Configured() bool { return c.URL != "" }

// DefaultMetricsAddr is where /metrics is served when
// INFOPATIENT_METRICS_ADDR is not set: loopback, apart from the portal.
const DefaultMetricsAddr = "127.0.0.1:9464"

// Error lists every configuration problem, one per line.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return "invalid configuration:\n  " + strings.Join(e.Problems, "\n  ")
}

// FromEnvironment loads the configuration of the running process.
func FromEnvironment() (*Config, error) { return Load(os.LookupEnv) }

// Load reads the configuration through lookup (os.LookupEnv in production,
// a map in tests). It returns an *Error listing every problem found.
func Load(lookup func(string) (string, bool)) (*Config, error) {
	l := newLoader(lookup)
	c := &Config{}

	c.Addr = l.str("INFOPATIENT_ADDR", "127.0.0.1:8080")
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		l.problem("INFOPATIENT_ADDR", "%q is not host:port", c.Addr)
	}
	// /metrics is never served on the public listener: by default it has a
	// loopback listener of its own.
	c.MetricsAddr = l.str("INFOPATIENT_METRICS_ADDR", DefaultMetricsAddr)
	if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
		l.problem("INFOPATIENT_METRICS_ADDR", "%q is not host:port", c.MetricsAddr)
	} else if c.MetricsAddr == c.Addr {
		l.problem("INFOPATIENT_METRICS_ADDR", "must differ from INFOPATIENT_ADDR: /metrics is kept from the public listener")
	}
	c.PprofAddr = l.str("INFOPATIENT_PPROF_ADDR", "")
	if c.PprofAddr != "" {
		if _, _, err := net.SplitHostPort(c.PprofAddr); err != nil {
			l.problem("INFOPATIENT_PPROF_ADDR", "%q is not host:port", c.PprofAddr)
		} else if c.PprofAddr == c.Addr || c.PprofAddr == c.MetricsAddr {
			l.problem("INFOPATIENT_PPROF_ADDR", "must differ from INFOPATIENT_ADDR and INFOPATIENT_METRICS_ADDR: profiles are never public")
		}
	}
	c.BaseURL = strings.TrimRight(l.str("INFOPATIENT_BASE_URL", defaultBaseURL(c.Addr)), "/")
	l.absURL("INFOPATIENT_BASE_URL", c.BaseURL)
	c.DataDir = l.str("INFOPATIENT_DATA_DIR", "data")
	c.DatabaseURL = l.secret("INFOPATIENT_DATABASE_URL")
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		l.problem("INFOPATIENT_DATABASE_URL", "must be a postgres:// URL (leave it empty for SQLite under INFOPATIENT_DATA_DIR)")
	}

	c.SessionIdleTimeout = l.duration("INFOPATIENT_SESSION_IDLE_TIMEOUT", 30*time.Minute)
	c.SessionLifetime = l.duration("INFOPATIENT_SESSION_LIFETIME", 12*time.Hour)
	if c.SessionIdleTimeout > c.SessionLifetime {
		l.problem("INFOPATIENT_SESSION_IDLE_TIMEOUT", "%s is longer than INFOPATIENT_SESSION_LIFETIME (%s)", c.SessionIdleTimeout, c.SessionLifetime)
	}
	c.StateTimeout = l.duration("INFOPATIENT_STATE_TIMEOUT", 10*time.Minute)
	c.LoginMaxPerAccount = l.integer("INFOPATIENT_LOGIN_MAX_PER_ACCOUNT", 5, 1)
	c.LoginMaxPerAddress = l.integer("INFOPATIENT_LOGIN_MAX_PER_ADDRESS", 20, 1)
	c.LoginWindow = l.duration("INFOPATIENT_LOGIN_WINDOW", 15*time.Minute)
	c.SignInStartsPerAddress = l.integer("INFOPATIENT_SIGNIN_STARTS_PER_ADDRESS", 30, 1)
	c.LogFormat = l.oneOf("INFOPATIENT_LOG_FORMAT", "text", "text", "json")
	c.TrustedProxies = l.prefixes("INFOPATIENT_TRUSTED_PROXIES")
	c.HTTPTimeout = l.duration("INFOPATIENT_HTTP_TIMEOUT", 10*time.Second)
	c.ReadTimeout = l.duration("INFOPATIENT_READ_TIMEOUT", 30*time.Second)

	c.LocalSignIn = loadLocalSignIn(l)
	c.PSC = loadPSC(l)
	c.HIN = loadHIN(l)
	c.Covercard = loadCovercard(l)
	c.PSCContext, c.HINDirectory = loadPSCContext(l), loadHINDirectory(l)
	c.INSi = loadINSi(l)
	c.ADRi = loadADRi(l)
	var badKey bool
	c.TokenKey, badKey = l.key("INFOPATIENT_TOKEN_KEY")
	c.TokenKeyPrevious, _ = l.key("INFOPATIENT_TOKEN_KEY_PREVIOUS")
	if c.TokenKeyPrevious != nil && c.TokenKey == nil && !badKey {
		l.problem("INFOPATIENT_TOKEN_KEY_PREVIOUS", "set only with INFOPATIENT_TOKEN_KEY, the key that replaces it")
	}

	// Demo mode is on by default while no authority is configured, so that a
	// bare `go run` shows the whole journey against the built-in sandbox.
	anyAuthority := c.PSC.Configured() || c.HIN.Configured() || c.Covercard.Configured() || c.INSi.Configured() || c.ADRi.Configured()
	c.Demo = l.boolean("INFOPATIENT_DEMO", !anyAuthority)
	// In demo mode the terminal shows the start-up banner and the
	// problems, not a line per request.
	logLevel := "info"
	if c.Demo {
		logLevel = "warn"
	}
	c.LogLevel = l.oneOf("INFOPATIENT_LOG_LEVEL", logLevel, "debug", "info", "warn", "error")
	switch {
	case c.TokenKey != nil || badKey:
	case c.DatabaseURL != "":
		// Instances sharing a database open each other's sealed records
		// (HIN tokens, PSC ID tokens for the logout): a key each would make
		// them unreadable across instances.
		l.problem("INFOPATIENT_TOKEN_KEY", "required with INFOPATIENT_DATABASE_URL: every instance sharing the database must seal and open with the same key")
	case !c.Demo && (c.HIN.Configured() || c.Covercard.Configured()):
		l.problem("INFOPATIENT_TOKEN_KEY", "required outside demo mode to encrypt the stored HIN tokens")
	}

	if c.HIN.Configured() && !loopbackOrHTTPS(c.BaseURL) {
		l.problem("INFOPATIENT_BASE_URL", "must be https when HIN is configured: HIN redirects the browser to %s/auth/hin/callback", c.BaseURL)
	}

	c.settings = l.settings
	if len(l.problems) > 0 {
		return nil, &Error{Problems: l.problems}
	}
	return c, nil
}

// Settings returns every variable read, in reading order, for printing.
func (c *Config) Settings() []Setting { return c.settings }

// SecureCookies reports whether cookies must carry the Secure flag.
func (c *Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// SQLitePath is the database file used when no DatabaseURL is set.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "infopatient.db") }

// DSN is what the store opens: the PostgreSQL URL or the SQLite file.
func (c *Config) DSN() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return c.SQLitePath()
}

// loopbackOrHTTPS: what HIN accepts as an address of this portal.
func loopbackOrHTTPS(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	return u.Scheme == "https" || hin.CheckEndpoint(raw) == nil
}

func defaultBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://127.0.0.1:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return (&url.URL{Scheme: "http", Host: net.JoinHostPort(host, port)}).String()
}

func (l *loader) prefixes(name string) []netip.Prefix {
	v := l.str(name, "")
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				l.problem(name, "%q is neither an address nor a CIDR range", f)
				continue
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p)
	}
	return out
}

// ErrInvalid matches any configuration error with errors.As.
var ErrInvalid = errors.New("invalid configuration")

// Is lets errors.Is(err, ErrInvalid) match an *Error.
func (e *Error) Is(target error) bool { return target == ErrInvalid }
