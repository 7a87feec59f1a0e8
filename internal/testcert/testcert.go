// Package testcert makes the client certificates tests present over
// mutual TLS: a self-signed ECDSA P-256 certificate, valid for an hour
// either side of now, for client authentication, in memory (Client) or
// written as PEM files (ClientFiles).
package testcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Cert is a self-signed client certificate and its key, in the forms
// tests hand to the code under test.
type Cert struct {
	Key     *ecdsa.PrivateKey
	Leaf    *x509.Certificate
	CertPEM []byte // CERTIFICATE
	KeyPEM  []byte // PRIVATE KEY (PKCS #8)
}

// Spec says what a certificate names and until when it is valid.
type Spec struct {
	CN       string
	DNSNames []string
	NotAfter time.Time // an hour from now when zero
}

// Client makes a client certificate whose subject's common name is cn
// (some services check it: INSi accepts only INSI-AUTO and INSI-MANU).
func Client(t testing.TB, cn string) *Cert { return Make(t, Spec{CN: cn}) }

// Make makes a client certificate as spec says; tests of certificate
// checks (names, expiry) use it.
func Make(t testing.TB, spec Spec) *Cert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if spec.NotAfter.IsZero() {
		spec.NotAfter = time.Now().Add(time.Hour)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: spec.CN}, DNSNames: spec.DNSNames,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: spec.NotAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return &Cert{Key: key, Leaf: leaf,
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})}
}

// TLS is the certificate as crypto/tls presents it.
func (c *Cert) TLS() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{c.Leaf.Raw}, PrivateKey: c.Key, Leaf: c.Leaf}
}

// ClientFiles writes a client certificate and its PKCS #8 key under the
// test's temporary directory and returns their paths.
func ClientFiles(t testing.TB) (certFile, keyFile string) {
	t.Helper()
	c := Client(t, "infopatient")
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, c.CertPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, c.KeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
