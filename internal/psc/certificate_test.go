package psc_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"github.com/infopatient/infopatient/internal/testcert"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// certSpec describes a test client certificate.
type certSpec struct {
	cn       string
	dnsNames []string
	notAfter time.Time
}

// makeCert makes a self-signed client certificate; an ECDSA key, fast to
// make (IGC-Santé's are RSA: the loading code takes either).
func makeCert(t *testing.T, spec certSpec) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if spec.notAfter.IsZero() {
		spec.notAfter = time.Now().Add(3 * 365 * 24 * time.Hour)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: spec.cn, Organization: []string{"IGC-Santé test"}},
		DNSNames: spec.dnsNames, NotBefore: time.Now().Add(-time.Hour), NotAfter: spec.notAfter,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// writeP12 writes a certificate and its key as ANS delivers them: one
// password-protected PKCS#12 file.
func writeP12(t *testing.T, spec certSpec, password string) string {
	t.Helper()
	cert, key := makeCert(t, spec)
	raw, err := pkcs12.Modern.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "client.p12")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// The PKCS#12 certificate is presented at the token endpoint (and
// userinfo), where the provider requires it: a sign-in by the
// certificate alone, no secret.
func TestPKCS12CertificateAtTheTokenEndpoint(t *testing.T) {
	t.Parallel()
	const password = "p12 pass#"
	p12 := writeP12(t, certSpec{cn: clientID}, password)
	r := newRP(t, setup{tls: true, sim: func(c *pscsim.Client) { c.Secret, c.TLSClientAuth = "", true },
		client: func(c *psc.Config) { c.ClientSecret, c.ClientCertFile, c.ClientCertPassword = "", p12, password }})
	var mu sync.Mutex
	var presented []string
	r.inspect = func(req *http.Request) {
		if strings.HasSuffix(req.URL.Path, "/token") && req.TLS != nil && len(req.TLS.PeerCertificates) > 0 {
			mu.Lock()
			presented = append(presented, req.TLS.PeerCertificates[0].Subject.CommonName)
			mu.Unlock()
		}
	}
	login, err := r.login(t)
	if err != nil || login.Professional.IDNat != virginie {
		t.Fatalf("sign-in with a PKCS#12 certificate: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(presented) != 1 || presented[0] != clientID {
		t.Errorf("certificates at the token endpoint: %q", presented)
	}
}

func TestPKCS12Configuration(t *testing.T) {
	t.Parallel()
	const password = "right-password"
	p12 := writeP12(t, certSpec{cn: "a"}, password)
	base := psc.Config{Issuer: "https://psc.example/realm", ClientID: "a", ClientSecret: "b", RedirectURL: "https://portal.example/cb",
		ClientCertFile: p12, ClientCertPassword: password}
	if _, err := psc.New(base, nil); err != nil {
		t.Fatalf("sound PKCS#12: %v", err)
	}
	garbage := filepath.Join(t.TempDir(), "garbage.pfx")
	_ = os.WriteFile(garbage, []byte("not a pkcs12 file"), 0o600)
	pemCert, pemKey := testcert.ClientFiles(t)
	for _, tc := range []struct {
		name   string
		mutate func(*psc.Config)
		says   string
	}{
		{"wrong password", func(c *psc.Config) { c.ClientCertPassword = "wrong" }, "wrong password"},
		{"not PKCS#12", func(c *psc.Config) { c.ClientCertFile = garbage }, "not a readable PKCS#12"},
		{"missing file", func(c *psc.Config) { c.ClientCertFile = filepath.Join(t.TempDir(), "missing.p12") }, "client certificate"},
		{"a key file beside it", func(c *psc.Config) { c.ClientKeyFile = pemKey }, "holds its key"},
		{"a password with PEM", func(c *psc.Config) { c.ClientCertFile, c.ClientKeyFile = pemCert, pemKey }, "PKCS#12 (.p12, .pfx) certificate only"},
	} {
		c := base
		tc.mutate(&c)
		_, err := psc.New(c, nil)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if err != nil && strings.Contains(err.Error(), password) {
			t.Errorf("%s: the error shows the password", tc.name)
		}
	}
}

func TestCertificateWarnings(t *testing.T) {
	t.Parallel()
	now := time.Now()
	const pw = "x"
	for _, tc := range []struct {
		name string
		spec certSpec
		want []string // substrings, one per warning
	}{
		{"sound", certSpec{cn: "infopatient"}, nil},
		{"client id as a DNS SAN", certSpec{cn: "Cabinet Dupont", dnsNames: []string{"infopatient"}}, nil},
		{"expires in 10 days", certSpec{cn: "infopatient", notAfter: now.Add(10 * 24 * time.Hour)}, []string{"expires on", "renew it"}},
		{"expires in 29 days", certSpec{cn: "infopatient", notAfter: now.Add(29*24*time.Hour + time.Hour)}, []string{"in 29 days"}},
		{"expires in 31 days", certSpec{cn: "infopatient", notAfter: now.Add(31 * 24 * time.Hour)}, nil},
		{"other name", certSpec{cn: "another-client"}, []string{`names "another-client" (CN), not the client id "infopatient"`}},
	} {
		cfg := psc.Config{ClientID: "infopatient", ClientCertFile: writeP12(t, tc.spec, pw), ClientCertPassword: pw}
		got, err := psc.CertificateWarnings(cfg, now)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(tc.want) == 0 && len(got) != 0 || len(tc.want) > 0 && len(got) != 1 {
			t.Errorf("%s: warnings %q", tc.name, got)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(got[0], w) {
				t.Errorf("%s: %q lacks %q", tc.name, got[0], w)
			}
		}
	}
	// Expired, and read from PEM.
	cert, key := makeCert(t, certSpec{cn: "infopatient", notAfter: now.Add(time.Hour)})
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "c.pem"), filepath.Join(dir, "k.pem")
	_ = os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600)
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600)
	got, err := psc.CertificateWarnings(psc.Config{ClientID: "infopatient", ClientCertFile: certFile, ClientKeyFile: keyFile}, now.Add(2*time.Hour))
	if err != nil || len(got) != 1 || !strings.Contains(got[0], "expired") {
		t.Errorf("expired PEM: %q %v", got, err)
	}
	if got, err := psc.CertificateWarnings(psc.Config{ClientID: "x"}, now); got != nil || err != nil {
		t.Errorf("no certificate: %q %v", got, err)
	}
	if _, err := psc.CertificateWarnings(psc.Config{ClientID: "x", ClientCertFile: filepath.Join(dir, "none.p12")}, now); err == nil {
		t.Error("an unreadable certificate gave no error")
	}
}

// A PKCS#12 whose key is not its certificate's is refused at load.
func TestPKCS12KeyMismatch(t *testing.T) {
	t.Parallel()
	cert, _ := makeCert(t, certSpec{cn: "a"})
	other, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := pkcs12.Modern.Encode(other, cert, nil, "pw")
	if err != nil {
		t.Skipf("the encoder refuses a mismatched pair itself: %v", err)
	}
	file := filepath.Join(t.TempDir(), "mismatch.p12")
	_ = os.WriteFile(file, raw, 0o600)
	if _, err := psc.CertificateWarnings(psc.Config{ClientID: "a", ClientCertFile: file, ClientCertPassword: "pw"}, time.Now()); err == nil || !strings.Contains(err.Error(), "not the certificate's") {
		t.Errorf("mismatched key: %v", err)
	}
}

func TestCheckLogoutReturn(t *testing.T) {
	t.Parallel()
	now := time.Now()
	q := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	for _, tc := range []struct {
		name        string
		query       url.Values
		pending     string
		started     time.Time
		ok, noState bool
	}{
		{"state echoed", q("state", "s1"), "s1", now.Add(-time.Minute), true, false},
		{"state echoed, long after", q("state", "s1"), "s1", now.Add(-time.Hour), true, false},
		{"wrong state", q("state", "s2"), "s1", now.Add(-time.Minute), false, false},
		{"no state, logout pending", q(), "s1", now.Add(-time.Minute), true, true},
		{"no state, logout too old", q(), "s1", now.Add(-11 * time.Minute), false, false},
		{"no state, no start time", q(), "s1", time.Time{}, false, false},
		{"no state, start in the future", q(), "s1", now.Add(time.Minute), false, false},
		{"no logout pending", q(), "", now.Add(-time.Minute), false, false},
		{"a state, no logout pending", q("state", "s1"), "", now.Add(-time.Minute), false, false},
	} {
		noState, err := psc.CheckLogoutReturn(tc.query, tc.pending, tc.started, now)
		if (err == nil) != tc.ok || noState != tc.noState {
			t.Errorf("%s: without state %v, %v", tc.name, noState, err)
		}
	}
}

// The simulator dropping state on the way back is handled by the rule.
func TestLogoutWithoutStateFromTheProvider(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	login, err := r.login(t)
	if err != nil {
		t.Fatal(err)
	}
	r.sim.Misbehave(clientID, pscsim.LogoutWithoutState, false)
	started := time.Now()
	logoutURL, err := r.client.LogoutURL(t.Context(), login.RawIDToken, "logout-state")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := r.browser.Get(logoutURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := resp.Location()
	if err != nil || back.Query().Has("state") {
		t.Fatalf("return %v %v", back, err)
	}
	if noState, err := psc.CheckLogoutReturn(back.Query(), "logout-state", started, time.Now()); err != nil || !noState {
		t.Errorf("rule: %v %v", noState, err)
	}
}
