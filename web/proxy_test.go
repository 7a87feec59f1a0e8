package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
)

// signInFrom posts a wrong password claiming to come from xff.
func signInFrom(t *testing.T, b *apptest.Browser, base, xff string) int {
	t.Helper()
	b.Get("/")
	tok, _ := b.Page.Find(`input[name="_csrf"]`).Attr("value")
	form := url.Values{"_csrf": {tok}, "login": {"999999999"}, "password": {"wrong-password"}}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", xff)
	return b.Do(req).Status
}

func TestForwardedForIsIgnoredUnlessTheProxyIsTrusted(t *testing.T) {
	// Untrusted: a client cannot dodge the per-address limit by inventing
	// X-Forwarded-For addresses.
	p := apptest.Start(t, map[string]string{"INFOPATIENT_LOGIN_MAX_PER_ADDRESS": "3", "INFOPATIENT_LOGIN_MAX_PER_ACCOUNT": "100"})
	b := p.NewBrowser(t)
	var last int
	for i := 0; i < 4; i++ {
		last = signInFrom(t, b, p.URL, "203.0.113."+string(rune('1'+i)))
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("forged X-Forwarded-For escaped the limit: %d", last)
	}

	// Trusted (the loopback proxy): each forwarded client counts apart.
	p = apptest.Start(t, map[string]string{"INFOPATIENT_LOGIN_MAX_PER_ADDRESS": "3", "INFOPATIENT_LOGIN_MAX_PER_ACCOUNT": "100",
		"INFOPATIENT_TRUSTED_PROXIES": "127.0.0.1"})
	b = p.NewBrowser(t)
	for i := 0; i < 4; i++ {
		last = signInFrom(t, b, p.URL, "203.0.113."+string(rune('1'+i)))
	}
	if last != http.StatusUnauthorized {
		t.Errorf("clients behind a trusted proxy share one limit: %d", last)
	}
}
