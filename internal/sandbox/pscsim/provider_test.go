package pscsim_test

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

func TestDiscoveryUnderBothNames(t *testing.T) {
	t.Parallel()
	e := start(t)
	for _, name := range []string{"openid-configuration", "wallet-openid-configuration"} {
		pg := get(t, e.issuer+"/.well-known/"+name)
		var d map[string]any
		if err := json.Unmarshal([]byte(pg.body), &d); err != nil || pg.header.Get("Content-Type") != "application/json" {
			t.Fatalf("%s: %v", name, err)
		}
		for key, want := range map[string]string{
			"issuer":                 e.issuer,
			"authorization_endpoint": e.issuer + "/protocol/openid-connect/auth",
			"token_endpoint":         e.issuer + "/protocol/openid-connect/token",
			"userinfo_endpoint":      e.issuer + "/protocol/openid-connect/userinfo",
			"end_session_endpoint":   e.issuer + "/protocol/openid-connect/logout",
			"jwks_uri":               e.issuer + "/protocol/openid-connect/certs",
		} {
			if d[key] != want {
				t.Errorf("%s: %s = %v, want %s", name, key, d[key], want)
			}
		}
		for key, want := range map[string]string{
			"code_challenge_methods_supported":      "plain S256",
			"acr_values_supported":                  "eidas1 eidas2 eidas3",
			"token_endpoint_auth_methods_supported": "client_secret_basic client_secret_post private_key_jwt tls_client_auth",
			"id_token_signing_alg_values_supported": "RS256",
		} {
			if got := joined(d[key]); got != want {
				t.Errorf("%s: %s = %q, want %q", name, key, got, want)
			}
		}
		if d["backchannel_logout_supported"] != true || d["authorization_response_iss_parameter_supported"] != true {
			t.Errorf("%s: %v", name, d)
		}
	}
	if e.p.Stats().Discovery != 2 {
		t.Errorf("discovery count %d", e.p.Stats().Discovery)
	}
}

func joined(v any) string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, s.(string))
	}
	return strings.Join(out, " ")
}

func TestUnknownPathsAreNotFound(t *testing.T) {
	t.Parallel()
	e := start(t)
	for _, p := range []string{"/sandbox/psc/", "/sandbox/psc/auth/realms/other/protocol/openid-connect/auth", realmPath + "/admin", realmPath + "/protocol/openid-connect/auth/extra"} {
		if pg := get(t, e.srv.URL+p); pg.status != http.StatusNotFound {
			t.Errorf("%s: %d", p, pg.status)
		}
	}
}

func TestNewRefusesBadConfiguration(t *testing.T) {
	t.Parallel()
	pros := professionals(t)
	good := pscsim.Client{ID: "a", Secret: "b", RedirectURIs: []string{"https://rp.example/cb"}}
	for name, cfg := range map[string]pscsim.Config{
		"relative issuer":         {Issuer: "/realms/x", Clients: []pscsim.Client{good}},
		"issuer with a query":     {Issuer: "https://psc.example/realm?x=1", Clients: []pscsim.Client{good}},
		"client without secret":   {Issuer: "https://psc.example/realm", Clients: []pscsim.Client{{ID: "a", RedirectURIs: good.RedirectURIs}}},
		"client without redirect": {Issuer: "https://psc.example/realm", Clients: []pscsim.Client{{ID: "a", Secret: "b"}}},
		"repeated professional":   {Issuer: "https://psc.example/realm", Clients: []pscsim.Client{good}, Professionals: append(pros, pros[0])},
		"unreadable key file":     {Issuer: "https://psc.example/realm", KeyFile: writeFile(t, "not a key")},
	} {
		if _, err := pscsim.New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestKeyIsPersisted(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "keys", "psc.pem")
	kid := func() string {
		p, err := pscsim.New(pscsim.Config{Issuer: "http://psc.example/realm", KeyFile: path})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://psc.example/realm/protocol/openid-connect/certs", nil))
		var set struct{ Keys []struct{ Kid string } }
		_ = json.Unmarshal(rec.Body.Bytes(), &set)
		if len(set.Keys) != 1 {
			t.Fatalf("JWKS %s", rec.Body)
		}
		return set.Keys[0].Kid
	}
	first, second := kid(), kid()
	if first == "" || first != second {
		t.Errorf("kid changed across restarts: %q %q", first, second)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode: %v %v", fi, err)
	}
}

// The sub is PSC's f:<uuid>:<idNat>: the same for a professional across
// restarts and sign-ins, the same uuid for every professional of a realm.
func TestSubjectShape(t *testing.T) {
	t.Parallel()
	e := start(t)
	sub := func(idNat string) string {
		pg := e.choose(t, e.pendingID(t, authRequest()), idNat, pscsim.CardCode, "sign-in")
		code := pg.location(t).Query().Get("code")
		claims, _, _ := e.inspect(t, e.tokens(t, code)["id_token"].(string))
		return claims["sub"].(string)
	}
	a, b, c := sub(virginie), sub(virginie), sub("3EDIT0042SF")
	if a != b || !strings.HasPrefix(a, "f:") || !strings.HasSuffix(a, ":"+virginie) || !strings.HasSuffix(c, ":3EDIT0042SF") {
		t.Errorf("subs %q %q %q", a, b, c)
	}
	if strings.TrimSuffix(a, virginie) != strings.TrimSuffix(c, "3EDIT0042SF") || len(strings.Split(a, ":")[1]) != 36 {
		t.Errorf("the federation uuid differs or is not a uuid: %q %q", a, c)
	}
}

// A client registered for tls_client_auth needs its certificate on the
// token and userinfo calls, on top of its secret.
func TestTLSClientAuth(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	srv := httptest.NewUnstartedServer(mux)
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	issuer := srv.URL + realmPath
	p, err := pscsim.New(pscsim.Config{Issuer: issuer, KeyFile: keyFile, Professionals: professionals(t),
		Clients: []pscsim.Client{{ID: clientID, Secret: secret, RedirectURIs: []string{redirect}, TLSClientAuth: true}}})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/sandbox/psc/", p)

	// Copies: srv.Client() hands out one shared client.
	browser, withCert := *srv.Client(), *srv.Client()
	browser.CheckRedirect = noRedirect.CheckRedirect
	cert := srv.TLS.Certificates[0] // any certificate will do: the provider checks presence, as tls_client_auth's PKI is out of scope
	tr := withCert.Transport.(*http.Transport).Clone()
	tr.TLSClientConfig.Certificates = []tls.Certificate{cert}
	withCert.Transport = tr

	e := &env{issuer: issuer, p: p}
	code := func() string {
		resp, err := browser.Get(e.authURL(authRequest()))
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(resp)
		m := pendingRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("e-CPS page: %.200s", body)
		}
		resp, err = browser.PostForm(issuer+"/protocol/openid-connect/auth", form("pending", m[1], "professional", virginie, "code", pscsim.CardCode, "action", "sign-in"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		u, _ := resp.Location()
		return u.Query().Get("code")
	}
	exchange := func(hc *http.Client) (*http.Response, map[string]any) {
		v := form("grant_type", "authorization_code", "code", code(), "redirect_uri", redirect, "client_id", clientID, "client_secret", secret)
		resp, err := hc.PostForm(issuer+"/protocol/openid-connect/token", v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		_ = json.Unmarshal([]byte(readAll(resp)), &m)
		return resp, m
	}
	if resp, m := exchange(&browser); resp.StatusCode != http.StatusUnauthorized || m["error"] != "invalid_client" {
		t.Errorf("without a certificate: %d %v", resp.StatusCode, m)
	}
	resp, m := exchange(&withCert)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("with a certificate: %d %v", resp.StatusCode, m)
	}
	userinfo := func(hc *http.Client) int {
		req, _ := http.NewRequest(http.MethodGet, issuer+"/protocol/openid-connect/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+m["access_token"].(string))
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := userinfo(&browser); st != http.StatusUnauthorized {
		t.Errorf("userinfo without a certificate: %d", st)
	}
	if st := userinfo(&withCert); st != http.StatusOK {
		t.Errorf("userinfo with a certificate: %d", st)
	}
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
