package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// insiCert makes a self-signed client certificate named cn: PEM
// certificate and key, and the same as PKCS#12 under password "pw".
func insiCert(t *testing.T, cn string) (certPEM, keyPEM, p12 []byte) {
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
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	if p12, err = pkcs12.Modern.Encode(key, cert, nil, "pw"); err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), p12
}

func write(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestINSiIsOffUntilItsURLIsSet(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.INSi.Configured() || c.INSi.Auth != "mtls" || c.INSi.SoftwareName != "InfoPatient" {
		t.Errorf("defaults: %+v", c.INSi)
	}
	problems := problemsOf(t, map[string]string{"INFOPATIENT_INSI_IDAM": "123"})
	reportedOnce(t, problems, "INFOPATIENT_INSI_URL", "INFOPATIENT_INSI_IDAM")
}

func TestINSiWithAPEMCertificate(t *testing.T) {
	certPEM, keyPEM, _ := insiCert(t, "INSI-AUTO")
	c, err := Load(env(map[string]string{
		"INFOPATIENT_INSI_URL":              "https://qualiflps-services-ps-tlsm.ameli.fr/lps",
		"INFOPATIENT_INSI_IDAM":             "00000000",
		"INFOPATIENT_INSI_CLIENT_CERT":      string(certPEM),
		"INFOPATIENT_INSI_CLIENT_KEY_FILE":  write(t, "key.pem", keyPEM),
		"INFOPATIENT_INSI_SOFTWARE_VERSION": "1.2",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.INSi.Configured() || c.INSi.Certificate == nil || c.INSi.Certificate.Leaf.Subject.CommonName != "INSI-AUTO" || c.INSi.SoftwareVersion != "1.2" {
		t.Errorf("%+v", c.INSi)
	}
	for _, s := range c.Settings() {
		if s.Name == "INFOPATIENT_INSI_CLIENT_KEY" && !s.Secret {
			t.Error("the key is not masked")
		}
	}
}

func TestINSiWithAPKCS12File(t *testing.T) {
	_, _, p12 := insiCert(t, "INSI-MANU")
	vars := map[string]string{
		"INFOPATIENT_INSI_URL":                  "https://insi.example/lps",
		"INFOPATIENT_INSI_IDAM":                 "00000000",
		"INFOPATIENT_INSI_CLIENT_CERT_FILE":     write(t, "insi.p12", p12),
		"INFOPATIENT_INSI_CLIENT_CERT_PASSWORD": "pw",
	}
	c, err := Load(env(vars))
	if err != nil {
		t.Fatal(err)
	}
	if c.INSi.Certificate == nil || c.INSi.Certificate.Leaf.Subject.CommonName != "INSI-MANU" {
		t.Errorf("%+v", c.INSi)
	}
	vars["INFOPATIENT_INSI_CLIENT_CERT_PASSWORD"] = "wrong"
	reportedOnce(t, problemsOf(t, vars), "INFOPATIENT_INSI_CLIENT_CERT", "PKCS#12")
}

func TestINSiProblems(t *testing.T) {
	certPEM, keyPEM, _ := insiCert(t, "SOMEONE")
	tests := []struct {
		name          string
		vars          map[string]string
		variable, has string
	}{
		{"http outside loopback", map[string]string{"INFOPATIENT_INSI_URL": "http://insi.example/lps", "INFOPATIENT_INSI_IDAM": "1", "INFOPATIENT_INSI_AUTH": "psc"},
			"INFOPATIENT_INSI_URL", "https"},
		{"no IDAM", map[string]string{"INFOPATIENT_INSI_URL": "https://insi.example/lps", "INFOPATIENT_INSI_AUTH": "psc"},
			"INFOPATIENT_INSI_IDAM", "required"},
		{"mtls without certificate", map[string]string{"INFOPATIENT_INSI_URL": "https://insi.example/lps", "INFOPATIENT_INSI_IDAM": "1"},
			"INFOPATIENT_INSI_CLIENT_CERT", "required in mtls mode"},
		{"certificate not named INSI-AUTO", map[string]string{"INFOPATIENT_INSI_URL": "https://insi.example/lps", "INFOPATIENT_INSI_IDAM": "1",
			"INFOPATIENT_INSI_CLIENT_CERT": string(certPEM), "INFOPATIENT_INSI_CLIENT_KEY": string(keyPEM)},
			"INFOPATIENT_INSI_CLIENT_CERT", "INSI-AUTO"},
		{"key without certificate", map[string]string{"INFOPATIENT_INSI_URL": "https://insi.example/lps", "INFOPATIENT_INSI_IDAM": "1",
			"INFOPATIENT_INSI_AUTH": "psc", "INFOPATIENT_INSI_CLIENT_KEY": string(keyPEM)},
			"INFOPATIENT_INSI_CLIENT_KEY", "INFOPATIENT_INSI_CLIENT_CERT"},
		{"unknown mode", map[string]string{"INFOPATIENT_INSI_URL": "https://insi.example/lps", "INFOPATIENT_INSI_IDAM": "1", "INFOPATIENT_INSI_AUTH": "cpx"},
			"INFOPATIENT_INSI_AUTH", "cpx"},
		{"CA not PEM", map[string]string{"INFOPATIENT_INSI_URL": "https://insi.example/lps", "INFOPATIENT_INSI_IDAM": "1", "INFOPATIENT_INSI_AUTH": "psc",
			"INFOPATIENT_INSI_CA": write(t, "ca.pem", []byte("nothing"))},
			"INFOPATIENT_INSI_CA", "no PEM"},
		{"CA missing", map[string]string{"INFOPATIENT_INSI_URL": "https://insi.example/lps", "INFOPATIENT_INSI_IDAM": "1", "INFOPATIENT_INSI_AUTH": "psc",
			"INFOPATIENT_INSI_CA": "/nonexistent/ca.pem"},
			"INFOPATIENT_INSI_CA", "cannot read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reportedOnce(t, problemsOf(t, tt.vars), tt.variable, tt.has)
		})
	}
}

// psc mode needs no certificate; a loopback sandbox over plain HTTP
// needs none either (the certificate name is announced).
func TestINSiWithoutCertificate(t *testing.T) {
	for _, vars := range []map[string]string{
		{"INFOPATIENT_INSI_URL": "https://insi.example/lps", "INFOPATIENT_INSI_IDAM": "1", "INFOPATIENT_INSI_AUTH": "psc"},
		{"INFOPATIENT_INSI_URL": "http://127.0.0.1:9000/sandbox/insi/lps", "INFOPATIENT_INSI_IDAM": "1"},
	} {
		if _, err := Load(env(vars)); err != nil {
			t.Errorf("%v: %v", vars, err)
		}
	}
}

// The demo's INSi is simulated on loopback only; a configured one wins;
// outside demo mode it is off until configured.
func TestINSiPlan(t *testing.T) {
	for _, tt := range []struct {
		vars map[string]string
		mode Mode
		why  string
	}{
		{map[string]string{"INFOPATIENT_DEMO": "true"}, Simulated, ""},
		{map[string]string{"INFOPATIENT_DEMO": "true", "INFOPATIENT_BASE_URL": "https://demo.example"}, Off, "loopback"},
		{map[string]string{"INFOPATIENT_DEMO": "true", "INFOPATIENT_INSI_URL": "https://insi.example/lps", "INFOPATIENT_INSI_IDAM": "1", "INFOPATIENT_INSI_AUTH": "psc"}, Configured, ""},
		{map[string]string{"INFOPATIENT_DEMO": "false", "INFOPATIENT_PSC_ENV": "bas", "INFOPATIENT_PSC_CLIENT_ID": "ip", "INFOPATIENT_PSC_CLIENT_SECRET": "s"}, Off, "INFOPATIENT_INSI_URL"},
	} {
		c, err := Load(env(tt.vars))
		if err != nil {
			t.Fatal(err)
		}
		r := c.Plan().INSi
		if r.Authority != "INSi" || r.Mode != tt.mode || !strings.Contains(r.Why, tt.why) {
			t.Errorf("%v: %+v", tt.vars, r)
		}
	}
	// A configured INSi alone turns demo mode off by default.
	c, err := Load(env(map[string]string{"INFOPATIENT_INSI_URL": "https://insi.example/lps", "INFOPATIENT_INSI_IDAM": "1", "INFOPATIENT_INSI_AUTH": "psc"}))
	if err != nil || c.Demo {
		t.Errorf("demo %v, %v", c != nil && c.Demo, err)
	}
}
