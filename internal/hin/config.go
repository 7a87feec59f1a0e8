package hin

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// HIN's production endpoints and Covercard's token group.
const (
	DefaultAuthorizeURL = "https://apps.hin.ch/REST/v1/OAuth/GetAuthCode"
	DefaultTokenURL     = "https://oauth2.hin.ch/REST/v1/OAuth/GetAccessToken"
	// DefaultManualURL is apps.hin.ch's page that shows a code to copy;
	// {tokenGroup} is replaced. The part after '#' never reaches a server.
	DefaultManualURL   = "https://apps.hin.ch/#app=HinCredMgrOAuth;tokenGroup={tokenGroup}"
	DefaultTokenGroup  = "hin_covercard"
	DefaultHTTPTimeout = 10 * time.Second
)

// tokenGroupPlaceholder is replaced by the token group in ManualURL.
const tokenGroupPlaceholder = "{tokenGroup}"

// Config describes the application registered with HIN for the grant
// flow. Empty fields take the values of Preset.
type Config struct {
	// AuthorizeURL is GetAuthCode; the token group is appended as a path segment.
	AuthorizeURL string
	// TokenURL is GetAccessToken (client credentials append the token group).
	TokenURL string
	// ManualURL is the page where a user copies a code by hand.
	ManualURL    string
	ClientID     string
	ClientSecret string
	// TokenGroup scopes every access (case-sensitive).
	TokenGroup string
	// RedirectURL is the callback registered with HIN.
	RedirectURL string
	// HTTPTimeout bounds each token request.
	HTTPTimeout time.Duration
	// Now is the clock that dates token expiry.
	Now func() time.Time
	// Observe, when set, hears of every token request; err is nil on
	// success (metrics).
	Observe func(op Op, err error)
}

// Preset is HIN's production configuration, without the application's
// own client id, secret and redirect URL.
func Preset() Config {
	return Config{
		AuthorizeURL: DefaultAuthorizeURL,
		TokenURL:     DefaultTokenURL,
		ManualURL:    DefaultManualURL,
		TokenGroup:   DefaultTokenGroup,
		HTTPTimeout:  DefaultHTTPTimeout,
	}
}

// withDefaults fills the empty fields from Preset.
func (c Config) withDefaults() Config {
	p := Preset()
	setString(&c.AuthorizeURL, p.AuthorizeURL)
	setString(&c.TokenURL, p.TokenURL)
	setString(&c.ManualURL, p.ManualURL)
	setString(&c.TokenGroup, p.TokenGroup)
	if c.HTTPTimeout <= 0 {
		c.HTTPTimeout = p.HTTPTimeout
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

func setString(s *string, v string) {
	if *s == "" {
		*s = v
	}
}

// tokenGroupPattern: the token groups HIN's documents show (hin_covercard,
// ACS-Applikation) are letters, digits, '_', '-' and '.'.
var tokenGroupPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)

// Validate reports every problem of the configuration (after defaults).
// Endpoints must be https, except on a loopback address (the sandbox).
// Messages name fields, never the secret.
func (c Config) Validate() []error {
	c = c.withDefaults()
	var errs []error
	for _, f := range []struct{ name, value string }{
		{"AuthorizeURL", c.AuthorizeURL}, {"TokenURL", c.TokenURL}, {"RedirectURL", c.RedirectURL},
	} {
		if err := CheckEndpoint(f.value); err != nil {
			errs = append(errs, fmt.Errorf("hin: %s %w", f.name, err))
		}
	}
	if err := CheckManualURL(c.ManualURL); err != nil {
		errs = append(errs, fmt.Errorf("hin: ManualURL %w", err))
	}
	if c.ClientID == "" {
		errs = append(errs, errors.New("hin: ClientID is required"))
	}
	if c.ClientSecret == "" {
		errs = append(errs, errors.New("hin: ClientSecret is required"))
	}
	if !ValidTokenGroup(c.TokenGroup) {
		errs = append(errs, errors.New("hin: TokenGroup "+ErrTokenGroup.Error()))
	}
	return errs
}

// ErrTokenGroup says what a token group may be made of.
var ErrTokenGroup = errors.New("must be letters, digits, '_', '-' or '.'")

// ValidTokenGroup reports whether s may be a token group: it goes into
// URL paths and HIN's page addresses.
func ValidTokenGroup(s string) bool { return tokenGroupPattern.MatchString(s) }

// CheckEndpoint accepts an absolute https URL without fragment, or http
// on a loopback host (the sandbox). Its message completes the name of
// the setting ("TokenURL must be https ...").
func CheckEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err == nil && u.Fragment != "" {
		return errors.New("must not have a fragment")
	}
	return checkURL(raw, u, err)
}

// CheckManualURL is CheckEndpoint for the page where a code is copied by
// hand: it may have a fragment (HIN's own page is addressed by one).
func CheckManualURL(raw string) error {
	u, err := url.Parse(raw)
	return checkURL(raw, u, err)
}

func checkURL(raw string, u *url.URL, err error) error {
	switch {
	case raw == "":
		return errors.New("is required")
	case err != nil || !u.IsAbs() || u.Host == "":
		return errors.New("is not an absolute URL")
	case u.User != nil:
		return errors.New("must not carry credentials")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	}
	return errors.New("must be https (http only on a loopback address)")
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
