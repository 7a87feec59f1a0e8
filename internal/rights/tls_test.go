package rights_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/infopatient/infopatient/internal/rights"
	"github.com/infopatient/infopatient/internal/testcert"
)

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

	cert := testcert.Client(t, "INSI-AUTO").TLS()
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
