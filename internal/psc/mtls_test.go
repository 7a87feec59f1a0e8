package psc_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
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
	certFile, keyFile := writeClientCert(t)
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

func TestClientCertificateConfiguration(t *testing.T) {
	t.Parallel()
	certFile, keyFile := writeClientCert(t)
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
		"key of another":   func(c *psc.Config) { _, c.ClientKeyFile = writeClientCert(t) },
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

func writeClientCert(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "infopatient"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
