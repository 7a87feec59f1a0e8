package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
)

// X-Forwarded-Proto and X-Forwarded-Host are never read, even from a
// trusted proxy: the portal's scheme and host come from
// INFOPATIENT_BASE_URL (README), so a forged header can neither send a
// sign-in's redirect URI elsewhere nor change the cookies' flags.
func TestForwardedProtoAndHostAreNotUsed(t *testing.T) {
	p := apptest.Start(t, map[string]string{"INFOPATIENT_TRUSTED_PROXIES": "127.0.0.1"})
	b := p.NewBrowser(t)
	b.Get("/")
	req, _ := http.NewRequest(http.MethodGet, p.URL+"/auth/hin/login", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("X-Forwarded-Host", "evil.example")
	req.Header.Set("Forwarded", "proto=https;host=evil.example")
	r := b.Do(req)
	loc, err := url.Parse(r.Location)
	if r.Status != http.StatusFound || err != nil {
		t.Fatalf("HIN sign-in: %d %q", r.Status, r.Location)
	}
	if got := loc.Query().Get("redirect_uri"); got != p.URL+"/auth/hin/callback" {
		t.Errorf("redirect_uri %q, want the base URL's", got)
	}
	for _, c := range r.Header.Values("Set-Cookie") {
		if strings.Contains(strings.ToLower(c), "secure") {
			t.Errorf("a forwarded https made a cookie Secure: %s", c)
		}
	}
	if r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent on a forwarded https")
	}
}
