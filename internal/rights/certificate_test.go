package rights_test

import (
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/infopatient/infopatient/internal/rights"
	"github.com/infopatient/infopatient/internal/testcert"
)

func pemOf(t *testing.T, typ string, der []byte) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// A structure certificate loads from PEM (certificate and key) or from a
// PKCS#12 file and its password; anything else is refused with a reason.
func TestLoadCertificate(t *testing.T) {
	cert := testcert.Client(t, "ADRI-STRUCTURE").TLS()
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM := pemOf(t, "CERTIFICATE", cert.Certificate[0]), pemOf(t, "PRIVATE KEY", keyDER)
	got, err := rights.LoadCertificate(certPEM, keyPEM, "")
	if err != nil || got.Leaf.Subject.CommonName != "ADRI-STRUCTURE" {
		t.Fatalf("PEM: %v", err)
	}
	leaf, _ := x509.ParseCertificate(cert.Certificate[0])
	p12, err := pkcs12.Modern.Encode(cert.PrivateKey, leaf, nil, "secret")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rights.LoadCertificate(p12, nil, "secret"); err != nil || got.Leaf.Subject.CommonName != "ADRI-STRUCTURE" || got.PrivateKey == nil {
		t.Fatalf("PKCS#12: %v", err)
	}
	for name, tc := range map[string]struct {
		cert, key []byte
		password  string
		want      string
	}{
		"wrong password": {p12, nil, "nope", "PKCS#12"},
		"PEM, no key":    {certPEM, nil, "", "no key"},
		"key mismatch":   {certPEM, pemOf(t, "PRIVATE KEY", mustKey(t)), "", "client certificate"},
		"garbage":        {[]byte("garbage"), nil, "", "PKCS#12"},
	} {
		if _, err := rights.LoadCertificate(tc.cert, tc.key, tc.password); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := rights.LoadRoots(certPEM); err != nil {
		t.Errorf("roots: %v", err)
	}
	if _, err := rights.LoadRoots([]byte("no PEM")); err == nil {
		t.Error("a CA bundle without a certificate was accepted")
	}
}

func mustKey(t *testing.T) []byte {
	t.Helper()
	other := testcert.Client(t, "OTHER").TLS()
	der, err := x509.MarshalPKCS8PrivateKey(other.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	return der
}
