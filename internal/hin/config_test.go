package hin

import (
	"strings"
	"testing"
	"time"
)

func TestPreset(t *testing.T) {
	p := Preset()
	if p.AuthorizeURL != "https://apps.hin.ch/REST/v1/OAuth/GetAuthCode" ||
		p.TokenURL != "https://oauth2.hin.ch/REST/v1/OAuth/GetAccessToken" ||
		p.TokenGroup != "hin_covercard" || p.HTTPTimeout != 10*time.Second {
		t.Fatalf("preset %+v", p)
	}
	c := New(Config{ClientID: "ch.x", ClientSecret: "s"}, nil)
	if got := c.ManualCodeURL(); got != "https://apps.hin.ch/#app=HinCredMgrOAuth;tokenGroup=hin_covercard" {
		t.Errorf("manual URL %q", got)
	}
	if !strings.HasPrefix(c.AuthCodeURL("s"), "https://apps.hin.ch/REST/v1/OAuth/GetAuthCode/hin_covercard?") {
		t.Errorf("authorize URL %q", c.AuthCodeURL("s"))
	}
}

func TestValidate(t *testing.T) {
	good := func() Config {
		c := Preset()
		c.ClientID, c.ClientSecret, c.RedirectURL = "ch.infopatient", "top-secret", "https://portal.example/cb"
		return c
	}
	if errs := good().Validate(); len(errs) != 0 {
		t.Fatalf("good config: %v", errs)
	}
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string // "" when valid
	}{
		{"defaults fill the endpoints", func(c *Config) { c.AuthorizeURL, c.TokenURL, c.TokenGroup = "", "", "" }, ""},
		{"sandbox on loopback", func(c *Config) {
			c.AuthorizeURL, c.TokenURL, c.RedirectURL = "http://127.0.0.1:8080/a", "http://[::1]:8080/t", "http://localhost:8080/cb"
		}, ""},
		{"no client id", func(c *Config) { c.ClientID = "" }, "ClientID"},
		{"no secret", func(c *Config) { c.ClientSecret = "" }, "ClientSecret"},
		{"no redirect", func(c *Config) { c.RedirectURL = "" }, "RedirectURL is required"},
		{"plain http elsewhere", func(c *Config) { c.TokenURL = "http://oauth2.hin.ch/x" }, "TokenURL must be https"},
		{"relative", func(c *Config) { c.AuthorizeURL = "/GetAuthCode" }, "AuthorizeURL is not an absolute URL"},
		{"fragment", func(c *Config) { c.RedirectURL = "https://portal.example/cb#x" }, "fragment"},
		{"credentials in URL", func(c *Config) { c.TokenURL = "https://u:p@oauth2.hin.ch/x" }, "credentials"},
		{"token group with a slash", func(c *Config) { c.TokenGroup = "a/b" }, "TokenGroup"},
		{"token group with a space", func(c *Config) { c.TokenGroup = "hin covercard" }, "TokenGroup"},
		{"manual URL relative", func(c *Config) { c.ManualURL = "apps" }, "ManualURL"},
		{"manual URL in plain http", func(c *Config) { c.ManualURL = "http://apps.hin.ch/#app=HinCredMgrOAuth" }, "ManualURL must be https"},
		{"manual URL on loopback", func(c *Config) { c.ManualURL = "http://127.0.0.1:8080/sandbox/hin/apps#x" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.mutate(&c)
			errs := c.Validate()
			if tt.want == "" {
				if len(errs) != 0 {
					t.Fatalf("errors %v", errs)
				}
				return
			}
			var all []string
			for _, e := range errs {
				all = append(all, e.Error())
				if strings.Contains(e.Error(), "top-secret") {
					t.Fatal("message reveals the secret")
				}
			}
			if !strings.Contains(strings.Join(all, "; "), tt.want) {
				t.Fatalf("errors %v, want %q", all, tt.want)
			}
		})
	}
	// Every problem at once.
	if errs := (Config{TokenGroup: "a b"}).Validate(); len(errs) < 4 {
		t.Errorf("only %d errors: %v", len(errs), errs)
	}
}
