package testcert_test

import (
	"crypto/tls"
	"crypto/x509"
	"slices"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/testcert"
)

// The files load as a TLS key pair whose certificate is valid now, for
// client authentication.
func TestClientFilesLoadAsAKeyPair(t *testing.T) {
	certFile, keyFile := testcert.ClientFiles(t)
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if now := time.Now(); now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		t.Errorf("not valid now: %s – %s", cert.NotBefore, cert.NotAfter)
	}
	if !slices.Contains(cert.ExtKeyUsage, x509.ExtKeyUsageClientAuth) {
		t.Errorf("usage %v, want client authentication", cert.ExtKeyUsage)
	}
}
