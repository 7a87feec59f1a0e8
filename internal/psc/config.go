// Package psc is a Pro Santé Connect relying party on go-oidc and
// golang.org/x/oauth2: discovery from PSC's own document name, PKCE, nonce
// and acr checks, userinfo as JSON or signed JWT, RP-initiated and
// back-channel logout, and mTLS (the client certificate, PEM or PKCS#12,
// is presented on every call to the provider, token and userinfo above
// all). It also keeps the professional's tokens refreshed for calls on
// his behalf (TokenKeeper) and signs in without a redirect (CIBA).
//
// Like hin and covercard, it imports no other package of InfoPatient, so
// that it can be copied into another program as it is: what it has in
// common with hin (CallbackError, a shared flight for discovery) is
// written again here on purpose.
package psc

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Config is the relying party's registration and the provider's endpoints.
// Each endpoint comes, in this order, from the configuration, from the
// discovery document (fetched unless the authorization, token, userinfo
// and JWKS endpoints are all configured), or from Fallback.
type Config struct {
	Issuer string
	// DiscoveryURL defaults to {Issuer}/.well-known/wallet-openid-configuration,
	// PSC's name for the document.
	DiscoveryURL string

	AuthURL, TokenURL, UserinfoURL, JWKSURL, EndSessionURL string
	// Fallback stands in for an endpoint that neither the configuration
	// nor the discovery document gives; it never overrides discovery.
	// Presets fill it with the Keycloak realm's endpoints.
	Fallback Endpoints

	ClientID, ClientSecret string
	// AuthMethod is "basic" (client_secret_basic, default) or "post".
	AuthMethod string
	// ClientCertFile and ClientKeyFile (PEM; or a PKCS#12 ClientCertFile
	// alone, see ClientCertPassword) are presented on the token and
	// userinfo calls (mTLS, tls_client_auth). Discovery and the JWKS go
	// through the same HTTP client, so they are presented there too:
	// harmless, and one client is simpler to reason about than two. With
	// a certificate and no secret, the certificate alone authenticates
	// the client (client_id in the form, whatever AuthMethod says).
	ClientCertFile, ClientKeyFile string
	// ClientCertPassword opens a PKCS#12 ClientCertFile (.p12, .pfx: the
	// key is inside, and ClientKeyFile stays empty). Never log it.
	ClientCertPassword string

	Scopes    []string // default: openid scope_all
	ACRValues string   // default: eidas1

	RedirectURL, PostLogoutRedirectURL string
	// HTTPTimeout bounds every call to the provider; 10 s by default.
	HTTPTimeout time.Duration
	// Now is the clock tokens are checked against; time.Now when nil.
	Now func() time.Time
}

// Preset returns what only the environment's name tells: the issuer, and
// the authorization endpoint on the wallet host, which PSC's discovery
// document does not name. Discovery gives the other endpoints (its issuer
// checked); the realm's usual endpoints are only a fallback for those it
// lacks. env is "bas" (the sandbox, "bac à sable") or "prod".
func Preset(env string) (Config, error) {
	var c Config
	switch env {
	case "bas":
		c = Config{Issuer: "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet", AuthURL: "https://wallet.bas.psc.esante.gouv.fr/auth"}
	case "prod":
		c = Config{Issuer: "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet", AuthURL: "https://wallet.esw.esante.gouv.fr/auth"}
	default:
		return Config{}, fmt.Errorf("psc: unknown environment %q (bas or prod)", env)
	}
	c.Fallback = realmEndpoints(c.Issuer)
	return c, nil
}

// realmEndpoints are a Keycloak realm's endpoints under its issuer.
func realmEndpoints(issuer string) Endpoints {
	base := issuer + "/protocol/openid-connect"
	return Endpoints{Token: base + "/token", Userinfo: base + "/userinfo", JWKS: base + "/certs", EndSession: base + "/logout", CIBA: base + "/ext/ciba/auth"}
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
	switch {
	case IsPKCS12(c.ClientCertFile) && c.ClientKeyFile != "":
		bad("a PKCS#12 client certificate holds its key: leave the key file empty")
	case !IsPKCS12(c.ClientCertFile) && (c.ClientCertFile == "") != (c.ClientKeyFile == ""):
		bad("the client certificate and its key go together")
	case c.ClientCertPassword != "" && !IsPKCS12(c.ClientCertFile):
		bad("a certificate password goes with a PKCS#12 (.p12, .pfx) certificate only")
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
