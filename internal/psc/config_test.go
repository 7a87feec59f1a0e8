package psc_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/psc"
)

func TestPresets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ env, issuer, auth string }{
		{"bas", "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet", "https://wallet.bas.psc.esante.gouv.fr/auth"},
		{"prod", "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet", "https://wallet.esw.esante.gouv.fr/auth"},
	} {
		c, err := psc.Preset(tc.env)
		base := tc.issuer + "/protocol/openid-connect"
		// The issuer and the wallet only: discovery gives the rest; the
		// realm's endpoints are fallbacks for what it lacks.
		if err != nil || c.Issuer != tc.issuer || c.AuthURL != tc.auth || c.TokenURL != "" || c.UserinfoURL != "" || c.JWKSURL != "" || c.EndSessionURL != "" {
			t.Errorf("%s: %+v %v", tc.env, c, err)
		}
		if f := c.Fallback; f.Auth != "" || f.Token != base+"/token" || f.Userinfo != base+"/userinfo" || f.JWKS != base+"/certs" || f.EndSession != base+"/logout" {
			t.Errorf("%s: fallbacks %+v", tc.env, f)
		}
		// A preset plus the registration is a valid configuration.
		c.ClientID, c.ClientSecret, c.RedirectURL = "infopatient", "s", "https://portal.example/auth/psc/callback"
		if errs := c.Validate(); len(errs) != 0 {
			t.Errorf("%s: %v", tc.env, errs)
		}
	}
	if _, err := psc.Preset("staging"); err == nil {
		t.Error("unknown preset accepted")
	}
}

// Validate names every problem, one error each.
func TestValidate(t *testing.T) {
	t.Parallel()
	good := psc.Config{Issuer: "https://psc.example/realm", ClientID: "a", ClientSecret: "b", RedirectURL: "https://portal.example/cb"}
	if errs := good.Validate(); len(errs) != 0 {
		t.Fatalf("sound configuration: %v", errs)
	}
	for _, tc := range []struct {
		name   string
		mutate func(*psc.Config)
		want   string
	}{
		{"no issuer", func(c *psc.Config) { c.Issuer = "" }, "issuer is required"},
		{"relative issuer", func(c *psc.Config) { c.Issuer = "/realm" }, "issuer"},
		{"no client id", func(c *psc.Config) { c.ClientID = "" }, "client id"},
		{"no secret nor certificate", func(c *psc.Config) { c.ClientSecret = "" }, "secret or a client certificate"},
		{"certificate without key", func(c *psc.Config) { c.ClientCertFile = "c.pem" }, "go together"},
		{"unknown auth method", func(c *psc.Config) { c.AuthMethod = "private_key_jwt" }, "auth method"},
		{"unknown acr", func(c *psc.Config) { c.ACRValues = "eidas9" }, "acr_values"},
		{"scopes without openid", func(c *psc.Config) { c.Scopes = []string{"scope_all"} }, "openid"},
		{"negative timeout", func(c *psc.Config) { c.HTTPTimeout = -time.Second }, "timeout"},
		{"no redirect URL", func(c *psc.Config) { c.RedirectURL = "" }, "redirect URL is required"},
		{"token endpoint not http", func(c *psc.Config) { c.TokenURL = "ftp://psc.example/token" }, "token endpoint"},
		{"discovery URL not absolute", func(c *psc.Config) { c.DiscoveryURL = "wallet-openid-configuration" }, "discovery URL"},
	} {
		c := good
		tc.mutate(&c)
		errs := c.Validate()
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, errs)
		}
		if _, err := psc.New(c, nil); err == nil {
			t.Errorf("%s: New accepted it", tc.name)
		}
	}
	many := psc.Config{Issuer: "not a url", AuthMethod: "jwt", ACRValues: "eidas9", ClientCertFile: "c"}.Validate()
	if len(many) < 5 {
		t.Errorf("every problem should be named: %v", many)
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c, err := psc.New(psc.Config{Issuer: "https://psc.example/realm", ClientID: "a", ClientSecret: "b", RedirectURL: "https://portal.example/cb"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := c.Config()
	if cfg.DiscoveryURL != "https://psc.example/realm/.well-known/wallet-openid-configuration" || cfg.AuthMethod != "basic" ||
		strings.Join(cfg.Scopes, " ") != "openid scope_all" || cfg.ACRValues != "eidas1" || cfg.HTTPTimeout != 10*time.Second || c.Issuer() != cfg.Issuer {
		t.Errorf("defaults %+v", cfg)
	}
}

func TestCallbackError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query string
		want  error
	}{
		{"code=x&state=y", nil},
		{"error=access_denied&state=y", psc.ErrCancelled},
		{"error=server_error", psc.ErrUnavailable},
		{"error=temporarily_unavailable", psc.ErrUnavailable},
		{"error=login_required", psc.ErrRejected},
		{"error=invalid_request&error_description=secret-ish", psc.ErrRejected},
		{"error=" + strings.Repeat("x", 500), psc.ErrRejected},
	} {
		q, _ := url.ParseQuery(tc.query)
		err := psc.CallbackError(q)
		if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%.40s: %v", tc.query, err)
		}
		if err != nil && (len(err.Error()) > 150 || strings.Contains(err.Error(), "secret-ish")) {
			t.Errorf("%.40s: message %q is not bounded", tc.query, err)
		}
	}
}
