package hinsim

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"
)

// Client is an application registered with HIN for the grant flow
// (authorization code): HIN gives it an id and a secret and records its
// redirect URIs and the token groups it may ask for.
type Client struct {
	ID     string
	Secret string
	// Name is what the consent page calls the application; ID when empty.
	Name         string
	RedirectURIs []string
	TokenGroups  []string
}

// Device is a client-credentials identity: HIN creates it, the customer
// generates its secret on apps.hin.ch, and it is bound to one token group.
type Device struct {
	ClientID   string
	Secret     string
	TokenGroup string
	// HINID is the hin_id in token answers; ClientID when empty.
	HINID string
}

// Config describes the simulated HIN. Zero durations take HIN's values.
type Config struct {
	// BaseURL is the public URL of the simulator root, for example
	// http://127.0.0.1:8080/sandbox/hin. The server answers every path under
	// BaseURL's path, unstripped.
	BaseURL    string
	Identities []Identity
	Clients    []Client
	Devices    []Device

	AccessTokenTTL  time.Duration // 3600 s
	RefreshTokenTTL time.Duration // 30 days (2592000 s)
	CodeTTL         time.Duration // 10 minutes, for codes and sign-in pages
	// ClientCredentialsInterval is the least time between two
	// client-credentials requests with one secret: HIN allows at most 0.3
	// per second, so about 3.4 s.
	ClientCredentialsInterval time.Duration
	// SlowDelay is how long a FaultSlow answer waits; 30 s.
	SlowDelay time.Duration
	// CallbackCodeParam names the code in the redirect back to the
	// application: "code" (default) or "Code", as spelled in HIN's guide.
	CallbackCodeParam string
	Now               func() time.Time
}

// Defaults of Config, HIN's published values.
const (
	DefaultAccessTokenTTL            = time.Hour
	DefaultRefreshTokenTTL           = 2592000 * time.Second
	DefaultCodeTTL                   = 10 * time.Minute
	DefaultClientCredentialsInterval = 3400 * time.Millisecond
	DefaultSlowDelay                 = 30 * time.Second
)

func (c *Config) applyDefaults() {
	setDefault(&c.AccessTokenTTL, DefaultAccessTokenTTL)
	setDefault(&c.RefreshTokenTTL, DefaultRefreshTokenTTL)
	setDefault(&c.CodeTTL, DefaultCodeTTL)
	setDefault(&c.ClientCredentialsInterval, DefaultClientCredentialsInterval)
	setDefault(&c.SlowDelay, DefaultSlowDelay)
	if c.CallbackCodeParam == "" {
		c.CallbackCodeParam = "code"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

func setDefault(d *time.Duration, v time.Duration) {
	if *d <= 0 {
		*d = v
	}
}

// validate reports every problem of the configuration at once.
func (c *Config) validate() error {
	var errs []error
	u, err := url.Parse(c.BaseURL)
	if err != nil || !u.IsAbs() || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		errs = append(errs, fmt.Errorf("BaseURL %q is not an absolute URL without query", c.BaseURL))
	}
	if err := checkIdentities(c.Identities); err != nil {
		errs = append(errs, err)
	}
	if c.CallbackCodeParam != "code" && c.CallbackCodeParam != "Code" {
		errs = append(errs, fmt.Errorf("CallbackCodeParam must be code or Code"))
	}
	ids := map[string]bool{}
	for _, cl := range c.Clients {
		errs = append(errs, checkClientID(ids, cl.ID, cl.Secret)...)
		if len(cl.TokenGroups) == 0 || slices.Contains(cl.TokenGroups, "") {
			errs = append(errs, fmt.Errorf("client %q: token groups must be named", cl.ID))
		}
		for _, ru := range cl.RedirectURIs {
			if u, err := url.Parse(ru); err != nil || !u.IsAbs() || u.Fragment != "" {
				errs = append(errs, fmt.Errorf("client %q: redirect URI %q is not absolute", cl.ID, ru))
			}
		}
	}
	for _, d := range c.Devices {
		errs = append(errs, checkClientID(ids, d.ClientID, d.Secret)...)
		if d.TokenGroup == "" {
			errs = append(errs, fmt.Errorf("device %q: token group is required", d.ClientID))
		}
	}
	return errors.Join(errs...)
}

func checkClientID(seen map[string]bool, id, secret string) []error {
	var errs []error
	switch {
	case id == "":
		errs = append(errs, errors.New("a client has no id"))
	case seen[id]:
		errs = append(errs, fmt.Errorf("client id %q is registered twice", id))
	}
	seen[id] = true
	if secret == "" {
		errs = append(errs, fmt.Errorf("client %q has no secret", id))
	}
	return errs
}
