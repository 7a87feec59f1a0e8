package psc_test

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
	"github.com/infopatient/infopatient/internal/testcert"
)

// tlsRequestingClientCerts asks for a client certificate without making
// it mandatory: the browser reaches the e-CPS page without one, and the
// simulator checks it where PSC does (token, userinfo).
func tlsRequestingClientCerts() *tls.Config {
	return &tls.Config{ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12}
}

// With a certificate configured, the token and userinfo calls present it
// (tls_client_auth, PSC's direction), alongside the secret.
func TestClientCertificateIsPresented(t *testing.T) {
	t.Parallel()
	certFile, keyFile := testcert.ClientFiles(t)
	mtlsClient := func(c *pscsim.Client) { c.TLSClientAuth = true }

	r := newRP(t, setup{tls: true, sim: mtlsClient, client: func(c *psc.Config) { c.ClientCertFile, c.ClientKeyFile = certFile, keyFile }})
	login, err := r.login(t)
	if err != nil || login.Professional.IDNat != virginie {
		t.Fatalf("with a certificate: %v", err)
	}

	r = newRP(t, setup{tls: true, sim: mtlsClient})
	if _, err := r.login(t); !errors.Is(err, psc.ErrRejected) {
		t.Errorf("without a certificate: %v", err)
	}
}

// A client registered for the certificate alone (no secret) names itself
// with client_id in the form and sends no Basic header (RFC 8705 2.1).
func TestClientCertificateWithoutSecret(t *testing.T) {
	t.Parallel()
	certFile, keyFile := testcert.ClientFiles(t)
	for _, method := range []string{"basic", "post"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			r := newRP(t, setup{tls: true, sim: func(c *pscsim.Client) { c.Secret, c.TLSClientAuth = "", true },
				client: func(c *psc.Config) {
					c.ClientSecret, c.AuthMethod, c.ClientCertFile, c.ClientKeyFile = "", method, certFile, keyFile
				}})
			var authorization, formID, formSecret []string
			r.inspect = func(req *http.Request) {
				if strings.HasSuffix(req.URL.Path, "/token") {
					body, _ := io.ReadAll(req.Body)
					req.Body = io.NopCloser(bytes.NewReader(body))
					form, _ := url.ParseQuery(string(body))
					authorization = append(authorization, req.Header.Get("Authorization"))
					formID, formSecret = append(formID, form.Get("client_id")), append(formSecret, form.Get("client_secret"))
				}
			}
			login, err := r.login(t)
			if err != nil || login.Professional.IDNat != virginie {
				t.Fatalf("certificate-only sign-in: %v", err)
			}
			if len(authorization) != 1 || authorization[0] != "" || formID[0] != clientID || formSecret[0] != "" {
				t.Errorf("token request: Authorization %q, client_id %q, client_secret %q", authorization, formID, formSecret)
			}
		})
	}
}

func TestClientCertificateConfiguration(t *testing.T) {
	t.Parallel()
	certFile, keyFile := testcert.ClientFiles(t)
	cfg := psc.Config{Issuer: "https://psc.example/realm", ClientID: "a", ClientSecret: "b", RedirectURL: "https://portal.example/cb",
		ClientCertFile: certFile, ClientKeyFile: keyFile}
	if _, err := psc.New(cfg, nil); err != nil {
		t.Errorf("sound pair: %v", err)
	}
	if _, err := psc.New(cfg, &http.Client{Transport: roundTripper(func(*http.Request) (*http.Response, error) { return nil, errors.New("x") })}); err == nil {
		t.Error("a certificate was silently dropped on a custom transport")
	}
	for name, mutate := range map[string]func(*psc.Config){
		"missing key file": func(c *psc.Config) { c.ClientKeyFile = filepath.Join(t.TempDir(), "missing.pem") },
		"key of another":   func(c *psc.Config) { _, c.ClientKeyFile = testcert.ClientFiles(t) },
		"key as the cert":  func(c *psc.Config) { c.ClientCertFile = keyFile },
	} {
		c := cfg
		mutate(&c)
		if _, err := psc.New(c, nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
