package hinsim

import (
	"strings"
	"testing"
	"time"
)

func TestNewRejectsConfig(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"relative base", func(c *Config) { c.BaseURL = "/sandbox/hin" }, "BaseURL"},
		{"base with query", func(c *Config) { c.BaseURL = "http://127.0.0.1/x?y=1" }, "BaseURL"},
		{"no identities", func(c *Config) { c.Identities = nil }, "no identities"},
		{"client without secret", func(c *Config) { c.Clients[0].Secret = "" }, "no secret"},
		{"client without id", func(c *Config) { c.Clients[0].ID = "" }, "no id"},
		{"client without group", func(c *Config) { c.Clients[0].TokenGroups = nil }, "token groups"},
		{"relative redirect", func(c *Config) { c.Clients[0].RedirectURIs = []string{"/cb"} }, "not absolute"},
		{"device reusing a client id", func(c *Config) { c.Devices[0].ClientID = testClientID }, "twice"},
		{"device without group", func(c *Config) { c.Devices[0].TokenGroup = "" }, "token group is required"},
		{"bad code param", func(c *Config) { c.CallbackCodeParam = "CODE" }, "CallbackCodeParam"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig("http://127.0.0.1:1/sandbox/hin", newClock())
			cfg.Clients = append([]Client(nil), cfg.Clients...)
			cfg.Devices = append([]Device(nil), cfg.Devices...)
			tt.mutate(&cfg)
			_, err := New(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	cfg := testConfig("nope", newClock())
	cfg.Identities = nil
	_, err := New(cfg)
	if err == nil || !strings.Contains(err.Error(), "BaseURL") || !strings.Contains(err.Error(), "no identities") {
		t.Fatalf("err = %v", err)
	}
}

func TestDefaults(t *testing.T) {
	var c Config
	c.applyDefaults()
	if c.AccessTokenTTL != time.Hour || c.RefreshTokenTTL != 30*24*time.Hour || c.CodeTTL != 10*time.Minute {
		t.Errorf("TTL defaults %v %v %v", c.AccessTokenTTL, c.RefreshTokenTTL, c.CodeTTL)
	}
	// 0.3 requests per second at most.
	if per := float64(time.Second) / float64(c.ClientCredentialsInterval); per > 0.3 {
		t.Errorf("interval %v allows %.2f requests per second", c.ClientCredentialsInterval, per)
	}
	if c.CallbackCodeParam != "code" || c.Now == nil {
		t.Error("code param or clock not defaulted")
	}
}

func TestEndpointsUnderBase(t *testing.T) {
	h := newHarness(t)
	base := h.srv.URL + "/sandbox/hin"
	if got := h.sim.AuthorizeURL(); got != base+"/REST/v1/OAuth/GetAuthCode" {
		t.Errorf("authorize %q", got)
	}
	if got := h.sim.TokenURL(); got != base+"/REST/v1/OAuth/GetAccessToken" {
		t.Errorf("token %q", got)
	}
	if got := h.sim.ManualURL("hin_covercard"); got != base+"/apps?app=HinCredMgrOAuth&tokenGroup=hin_covercard" {
		t.Errorf("manual %q", got)
	}
	for _, p := range []string{"/REST/v1/OAuth/GetAccessToken", "/apps", "/elsewhere"} {
		resp, _ := h.get(h.srv.URL + p) // outside the base path
		if resp.StatusCode != 404 {
			t.Errorf("%s outside the base: %d", p, resp.StatusCode)
		}
	}
	if got := len(h.sim.Identities()); got != len(testIdentities) {
		t.Errorf("%d identities", got)
	}
}
