package app

import (
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/testcert"
)

// The probes of `infopatient check` go through the PSC client's own HTTP
// client: with mTLS they present the client certificate, as the sign-in
// does, so that an endpoint refusing anonymous TLS is not reported down.
func TestPSCProbesPresentTheClientCertificate(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	presented := map[string]bool{}
	var srv *httptest.Server
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		presented[r.URL.Path] = r.TLS != nil && len(r.TLS.PeerCertificates) > 0
		mu.Unlock()
		switch r.URL.Path {
		case "/realm/.well-known/wallet-openid-configuration":
			iss := srv.URL + "/realm"
			_ = json.NewEncoder(w).Encode(map[string]string{"issuer": iss, "authorization_endpoint": iss + "/auth",
				"token_endpoint": iss + "/token", "userinfo_endpoint": iss + "/userinfo", "jwks_uri": iss + "/certs"})
		case "/realm/certs":
			_, _ = w.Write([]byte(`{"keys":[{"kty":"RSA"}]}`))
		default:
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	certFile, keyFile := testcert.ClientFiles(t)
	client, err := psc.New(psc.Config{Issuer: srv.URL + "/realm", ClientID: "infopatient", RedirectURL: "https://portal.example/cb",
		ClientCertFile: certFile, ClientKeyFile: keyFile, HTTPTimeout: 2 * time.Second}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	checks := pscChecks(t.Context(), client)
	if len(checks) != 5 {
		t.Fatalf("checks %+v", checks)
	}
	for _, c := range checks {
		if !c.OK {
			t.Errorf("%s: %s", c.What, c.Detail)
		}
	}
	// The test certificate lives an hour: a warning, not a failure.
	if c := checks[1]; c.What != "client certificate" || !c.Warning || !strings.Contains(c.Detail, "expires on") {
		t.Errorf("certificate line %+v", c)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, path := range []string{"/realm/certs", "/realm/token", "/realm/userinfo"} {
		if !presented[path] {
			t.Errorf("%s probed without the client certificate (%v)", path, presented)
		}
	}
	if c := checks[0]; !strings.HasPrefix(c.Detail, "fetched") {
		t.Errorf("discovery: %+v", c)
	}
}

// Every endpoint configured: the discovery line says it was skipped, not
// that an issuer was confirmed.
func TestPSCCheckSaysWhenDiscoveryIsSkipped(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/certs") {
			_, _ = w.Write([]byte(`{"keys":[{"kty":"RSA"}]}`))
			return
		}
		if strings.Contains(r.URL.Path, "well-known") {
			t.Errorf("discovery fetched: %s", r.URL.Path)
		}
		w.WriteHeader(http.StatusBadRequest)
	}))
	t.Cleanup(srv.Close)
	iss := srv.URL + "/realm"
	client, err := psc.New(psc.Config{Issuer: iss, ClientID: "infopatient", ClientSecret: "s", RedirectURL: "https://portal.example/cb",
		AuthURL: iss + "/auth", TokenURL: iss + "/token", UserinfoURL: iss + "/userinfo", JWKSURL: iss + "/certs"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checks := pscChecks(t.Context(), client)
	if len(checks) != 4 || !checks[0].Skipped || !strings.Contains(checks[0].Detail, "every endpoint is configured") {
		t.Errorf("checks %+v", checks)
	}
}

// The check names every authority the plan turns off, and why; those
// reached get their probes instead.
func TestCheckSaysWhichAuthoritiesAreOff(t *testing.T) {
	t.Parallel()
	cfg := loadConfig(t, map[string]string{"INFOPATIENT_DEMO": "true", "INFOPATIENT_HIN_CLIENT_ID": "real", "INFOPATIENT_HIN_CLIENT_SECRET": "s",
		"INFOPATIENT_TOKEN_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="})
	checks := planChecks(cfg.Plan())
	// HIN's directory too: the sandbox's must not read a real HIN's token.
	if len(checks) != 2 || checks[0].Authority != "HIN directory" || !strings.Contains(checks[0].Detail, "a real HIN token must not reach the sandbox") ||
		checks[1].Authority != "Covercard" || !checks[1].Skipped ||
		!strings.Contains(checks[1].Detail, "HIN is the configured one") {
		t.Errorf("demo, real HIN: %+v", checks)
	}
	if checks := planChecks(loadConfig(t, map[string]string{"INFOPATIENT_DEMO": "true"}).Plan()); len(checks) != 0 {
		t.Errorf("everything simulated: %+v", checks)
	}
}

// The certificate lines of `infopatient check`: one OK line for a sound
// certificate, a warning per thing to fix, a failure once it has expired
// or cannot be read.
func TestCertificateChecks(t *testing.T) {
	t.Parallel()
	certFile, keyFile := testcert.ClientFiles(t) // CN infopatient, valid for an hour
	cfg := psc.Config{ClientID: "infopatient", ClientCertFile: certFile, ClientKeyFile: keyFile}
	now := time.Now()
	if got := certificateChecks(psc.Config{ClientID: "infopatient"}, now); got != nil {
		t.Errorf("no certificate: %+v", got)
	}
	if got := certificateChecks(cfg, now.Add(-2*time.Hour)); len(got) != 2 || !got[0].Warning || got[1].OK || !strings.Contains(got[1].Detail, "not valid before") {
		t.Errorf("not valid yet: %+v", got)
	}
	got := certificateChecks(cfg, now)
	if len(got) != 1 || !got[0].OK || !got[0].Warning || got[0].Target != certFile {
		t.Errorf("expiring: %+v", got)
	}
	got = certificateChecks(cfg, now.Add(2*time.Hour))
	if len(got) != 1 || got[0].OK || got[0].Warning || !strings.Contains(got[0].Detail, "expired") {
		t.Errorf("expired: %+v", got)
	}
	other := cfg
	other.ClientID = "another-client"
	got = certificateChecks(other, now)
	if len(got) != 2 || !got[1].Warning || !strings.Contains(got[1].Detail, `not the client id "another-client"`) {
		t.Errorf("other name: %+v", got)
	}
	missing := cfg
	missing.ClientCertFile = filepath.Join(t.TempDir(), "missing.pem")
	if got := certificateChecks(missing, now); len(got) != 1 || got[0].OK {
		t.Errorf("unreadable: %+v", got)
	}
}
