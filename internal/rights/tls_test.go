package rights_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/rights"
)

func selfSigned(t *testing.T, cn string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// In mtls mode the configured certificate is presented on the TLS
// connection, and RootCAs is what the server is checked against.
func TestMutualTLS(t *testing.T) {
	var seen string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TLS.PeerCertificates) > 0 {
			seen = r.TLS.PeerCertificates[0].Subject.CommonName
		}
		w.Header().Set("Content-Type", "application/soap+xml")
		_, _ = w.Write(readFile(t, "response-full.xml"))
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.StartTLS()
	defer srv.Close()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	req := mustRequest(t, "2840275115023", "1984-02-11", "1")

	cert := selfSigned(t, "INSI-AUTO")
	cfg := config(srv.URL)
	cfg.Certificate, cfg.RootCAs = &cert, roots
	c, err := rights.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Acquire(context.Background(), req); err != nil || seen != "INSI-AUTO" {
		t.Fatalf("%v, certificate %q", err, seen)
	}
	// Without a certificate the server refuses the handshake.
	cfg.Certificate = nil
	c, _ = rights.New(cfg, nil)
	if _, err := c.Acquire(context.Background(), req); err == nil {
		t.Error("no client certificate, yet an answer")
	}
	// A server the roots do not vouch for is refused.
	cfg.Certificate, cfg.RootCAs = &cert, x509.NewCertPool()
	c, _ = rights.New(cfg, nil)
	if _, err := c.Acquire(context.Background(), req); err == nil {
		t.Error("an untrusted server answered")
	}
}
