// Package psc is a Pro Santé Connect relying party on go-oidc and
// golang.org/x/oauth2: discovery from PSC's own document name, PKCE, nonce
// and acr checks, userinfo as JSON or signed JWT, RP-initiated and
// back-channel logout, and mTLS for the token and userinfo calls.
package psc

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Config is the relying party's registration and the provider's endpoints.
// Empty endpoints come from the discovery document.
type Config struct {
	Issuer string
	// DiscoveryURL defaults to {Issuer}/.well-known/wallet-openid-configuration,
	// PSC's name for the document.
	DiscoveryURL string

	AuthURL, TokenURL, UserinfoURL, JWKSURL, EndSessionURL string

	ClientID, ClientSecret string
	// AuthMethod is "basic" (client_secret_basic, default) or "post".
	AuthMethod string
	// ClientCertFile and ClientKeyFile (PEM) are presented on the token and
	// userinfo calls (mTLS, tls_client_auth).
	ClientCertFile, ClientKeyFile string

	Scopes    []string // default: openid scope_all
	ACRValues string   // default: eidas1

	RedirectURL, PostLogoutRedirectURL string
	// HTTPTimeout bounds every call to the provider; 10 s by default.
	HTTPTimeout time.Duration
	// Now is the clock tokens are checked against; time.Now when nil.
	Now func() time.Time
}

// Preset returns the real endpoints of an environment: "bas" (the sandbox,
// "bac à sable") or "prod". The authorization endpoint is on the wallet host.
func Preset(env string) (Config, error) {
	switch env {
	case "bas":
		return Config{
			Issuer:  "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet",
			AuthURL: "https://wallet.bas.psc.esante.gouv.fr/auth",
		}.withRealmEndpoints(), nil
	case "prod":
		return Config{
			Issuer:  "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet",
			AuthURL: "https://wallet.esw.esante.gouv.fr/auth",
		}.withRealmEndpoints(), nil
	}
	return Config{}, fmt.Errorf("psc: unknown environment %q (bas or prod)", env)
}

// withRealmEndpoints fills the Keycloak realm's endpoints under the issuer.
func (c Config) withRealmEndpoints() Config {
	base := c.Issuer + "/protocol/openid-connect"
	c.TokenURL, c.UserinfoURL, c.JWKSURL, c.EndSessionURL = base+"/token", base+"/userinfo", base+"/certs", base+"/logout"
	return c
}

func (c Config) withDefaults() Config {
	if c.DiscoveryURL == "" && c.Issuer != "" {
		c.DiscoveryURL = strings.TrimRight(c.Issuer, "/") + "/.well-known/wallet-openid-configuration"
	}
	if c.AuthMethod == "" {
		c.AuthMethod = "basic"
	}
	if len(c.Scopes) == 0 {
		c.Scopes = []string{"openid", "scope_all"}
	}
	if c.ACRValues == "" {
		c.ACRValues = "eidas1"
	}
	if c.HTTPTimeout == 0 {
		c.HTTPTimeout = 10 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Validate lists every problem of the configuration.
func (c Config) Validate() []error {
	derivedDiscovery := c.DiscoveryURL == ""
	c = c.withDefaults()
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("psc: "+format, args...)) }
	if c.Issuer == "" {
		bad("the issuer is required")
	}
	if c.ClientID == "" {
		bad("the client id is required")
	}
	if c.ClientSecret == "" && c.ClientCertFile == "" {
		bad("a client secret or a client certificate is required")
	}
	if (c.ClientCertFile == "") != (c.ClientKeyFile == "") {
		bad("the client certificate and its key go together")
	}
	if c.AuthMethod != "basic" && c.AuthMethod != "post" {
		bad("auth method %q is neither basic nor post", c.AuthMethod)
	}
	if _, ok := acrRank[c.ACRValues]; !ok {
		bad("acr_values %q is not eidas1, eidas2 or eidas3", c.ACRValues)
	}
	if !slices.Contains(c.Scopes, "openid") {
		bad("the scopes %q lack openid", strings.Join(c.Scopes, " "))
	}
	if c.HTTPTimeout < 0 {
		bad("the HTTP timeout %s is negative", c.HTTPTimeout)
	}
	// In a fixed order, so that the list reads the same every time.
	for _, f := range []struct{ name, value string }{
		{"issuer", c.Issuer}, {"discovery URL", c.DiscoveryURL}, {"authorization endpoint", c.AuthURL},
		{"token endpoint", c.TokenURL}, {"userinfo endpoint", c.UserinfoURL}, {"JWKS", c.JWKSURL},
		{"end-session endpoint", c.EndSessionURL}, {"redirect URL", c.RedirectURL}, {"post-logout redirect URL", c.PostLogoutRedirectURL},
	} {
		if f.value == "" || (f.name == "discovery URL" && derivedDiscovery) {
			continue // a discovery URL derived from a bad issuer is not a second problem
		}
		if u, err := url.Parse(f.value); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			bad("the %s %q is not an absolute http(s) URL", f.name, f.value)
		}
	}
	if c.RedirectURL == "" {
		bad("the redirect URL is required")
	}
	return errs
}
