package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/secretbox"
	"github.com/infopatient/infopatient/views"
)

// bareServer has what the cookie and token checks need: a key, a
// configuration and a session manager (no session loaded: the nonce binds).
func bareServer(t testing.TB) *Server {
	box, err := secretbox.New(secretbox.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	return &Server{Deps: Deps{Config: &config.Config{BaseURL: "http://127.0.0.1:8080"}, Box: box, Sessions: scs.New()}}
}

func contextWith(s *Server, cookies map[string]string, form url.Values) echo.Context {
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	ctx, _ := s.Sessions.Load(req.Context(), "")
	return echo.New().NewContext(req.WithContext(ctx), httptest.NewRecorder())
}

// A device cookie, whatever the browser sends, is never taken for a known
// device unless this server signed it for that very login.
func FuzzDeviceCookie(f *testing.F) {
	s := bareServer(f)
	good := s.deviceValue("751234567")
	f.Add("751234567", good)
	f.Add("751234567", "NzUxMjM0NTY3.AAAA")
	f.Add("", ".")
	f.Add("691234561", good)
	f.Fuzz(func(t *testing.T, login, value string) {
		c := contextWith(s, map[string]string{s.deviceCookie(): value}, nil)
		if s.knownDevice(c, login) && value != s.deviceValue(login) {
			t.Fatalf("device cookie %q accepted for %q", value, login)
		}
	})
}

// A CSRF token sent in a form is valid only when it is the HMAC of the
// request's own binding; any other text is refused without panicking.
func FuzzCSRFToken(f *testing.F) {
	s := bareServer(f)
	nonce := strings.Repeat("n", 43)
	good := s.csrfToken("nonce:" + nonce)
	f.Add(nonce, good)
	f.Add(nonce, "")
	f.Add("short", good)
	f.Add(nonce, "%%%")
	f.Fuzz(func(t *testing.T, cookie, token string) {
		c := contextWith(s, map[string]string{s.csrfNonceCookie(): cookie}, url.Values{views.CSRFField: {token}})
		if s.validCSRF(c) && (cookie != nonce || token != good) && s.csrfToken("nonce:"+cookie) != strings.TrimRight(token, "=") {
			t.Fatalf("token %q accepted for nonce %q", token, cookie)
		}
	})
}
