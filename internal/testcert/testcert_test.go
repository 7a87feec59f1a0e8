package testcert_test

import (
	"bytes"
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

// Client's certificate bears the name asked for, its PEM forms load as a
// key pair, and TLS presents the same certificate and key.
func TestClientInMemory(t *testing.T) {
	c := testcert.Client(t, "INSI-AUTO")
	if c.Leaf.Subject.CommonName != "INSI-AUTO" {
		t.Errorf("CN %q", c.Leaf.Subject.CommonName)
	}
	pair, err := tls.X509KeyPair(c.CertPEM, c.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pair.Certificate[0], c.Leaf.Raw) {
		t.Error("the PEM certificate is not the leaf")
	}
	if !slices.Contains(c.Leaf.ExtKeyUsage, x509.ExtKeyUsageClientAuth) {
		t.Errorf("usage %v, want client authentication", c.Leaf.ExtKeyUsage)
	}
	got := c.TLS()
	if !bytes.Equal(got.Certificate[0], c.Leaf.Raw) || got.PrivateKey != c.Key || got.Leaf != c.Leaf {
		t.Error("TLS does not present the certificate and its key")
	}
	if other := testcert.Client(t, "INSI-AUTO"); other.Key.Equal(c.Key) {
		t.Error("two certificates share a key")
	}
}

// Make names what the spec names and ends when it says.
func TestMakeFollowsTheSpec(t *testing.T) {
	end := time.Now().Add(30 * 24 * time.Hour).Truncate(time.Second)
	c := testcert.Make(t, testcert.Spec{CN: "Cabinet", DNSNames: []string{"infopatient"}, NotAfter: end})
	if c.Leaf.Subject.CommonName != "Cabinet" || !slices.Equal(c.Leaf.DNSNames, []string{"infopatient"}) || !c.Leaf.NotAfter.Equal(end) {
		t.Errorf("CN %q, DNS %v, not after %s", c.Leaf.Subject.CommonName, c.Leaf.DNSNames, c.Leaf.NotAfter)
	}
	if d := time.Until(testcert.Make(t, testcert.Spec{}).Leaf.NotAfter); d <= 0 || d > time.Hour {
		t.Errorf("default validity ends in %s, want within the hour", d)
	}
}
