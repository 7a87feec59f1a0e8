package insi

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

var update = flag.Bool("update", false, "rewrite the golden request files")

// recorded is the second INSi of these tests (not the sandbox): it
// answers the recorded answers of testdata, chosen by the birth name
// sent, and keeps what it received.
type recorded struct {
	mu   sync.Mutex
	reqs []*http.Request
	body []string
}

func (rs *recorded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rs.mu.Lock()
	rs.reqs, rs.body = append(rs.reqs, r), append(rs.body, string(b))
	rs.mu.Unlock()
	file, status := "resp_cr01.xml", http.StatusOK
	for name, f := range map[string]string{
		"ADRUN": "resp_adrun_00.xml", "ECETINSI": "resp_ecetinsi_histo.xml", "PROVISOIRE": "resp_nia.xml",
		"HERMANN": "resp_hermann_bad_key.xml", "DE VINCI": "resp_cr02.xml", "SOAPONZE": "resp_soap11.xml",
		"WRONGNS": "resp_wrong_ns.xml", "CUT": "resp_truncated.xml",
	} {
		if strings.Contains(string(b), "NomNaissance>"+name+"<") {
			file = f
		}
	}
	for name, f := range map[string]string{"IDAMKO": "fault_desir_550.xml", "CNKO": "fault_desir_560.xml", "DOWN": "fault_unavailable.xml"} {
		if strings.Contains(string(b), "NomNaissance>"+name+"<") {
			file, status = f, http.StatusInternalServerError
		}
	}
	doc, _ := os.ReadFile("testdata/" + file)
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(doc)
}

func fixedConfig(url string) Config {
	n := 0
	return Config{
		URL: url, Auth: AuthMTLS, SandboxCN: CNAuto, IDAM: "TEST-IDAM-42", SoftwareName: "InfoPatient", SoftwareVersion: "1.2.3",
		InstanceID: "00000000-0000-4000-8000-000000000001",
		Now:        func() time.Time { return time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC) },
		NewID: func() string {
			n++
			return "00000000-0000-4000-8000-00000000010" + string(rune('0'+n%10))
		},
	}
}

var adrun = Traits{BirthName: "ADRUN", FirstNames: []string{"ZOE"}, Sex: "F", BirthDate: "1975-12-31"}

func TestSearchAgainstRecordedServer(t *testing.T) {
	rs := &recorded{}
	srv := httptest.NewServer(rs)
	defer srv.Close()
	c, err := New(fixedConfig(srv.URL + "/lps"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res, err := c.SearchTraits(ctx, adrun, nil)
	if err != nil || res.Code != CodeFound || res.Identity.Active.Matricule != "2751263220749" || !strings.HasPrefix(res.MessageID, "uuid:") {
		t.Fatalf("%+v %v", res, err)
	}
	r := rs.reqs[0]
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/soap+xml") || !strings.Contains(ct, ActionTraits) {
		t.Errorf("content type %q", ct)
	}
	if r.Header.Get(SandboxCNHeader) != CNAuto {
		t.Error("no certificate name for the loopback sandbox")
	}
	if !strings.Contains(rs.body[0], "<wsa:MessageID>"+res.MessageID+"</wsa:MessageID>") {
		t.Error("message id not the one sent")
	}
	cases := map[string]struct {
		code Code
		err  error
	}{
		"ECETINSI": {CodeFound, nil}, "PROVISOIRE": {CodeFound, nil}, "DE VINCI": {CodeSeveral, nil}, "HOUILLES": {CodeNotFound, nil},
		"HERMANN": {"", ErrBadKey}, "IDAMKO": {"", ErrUnknownSoftware}, "CNKO": {"", ErrAccessLevel}, "DOWN": {"", ErrUnavailable},
		"SOAPONZE": {"", ErrMalformed}, "WRONGNS": {"", ErrMalformed}, "CUT": {"", ErrMalformed},
	}
	for name, want := range cases {
		tr := adrun
		tr.BirthName = name
		res, err := c.SearchTraits(ctx, tr, nil)
		if want.err != nil {
			if !errors.Is(err, want.err) {
				t.Errorf("%s: %v, want %v", name, err, want.err)
			}
			continue
		}
		if err != nil || res.Code != want.code {
			t.Errorf("%s: %+v %v", name, res, err)
		}
	}
	// Refused traits never leave.
	before := len(rs.reqs)
	tr := adrun
	tr.BirthName = "CŒUR"
	if _, err := c.SearchTraits(ctx, tr, nil); !errors.Is(err, ErrLexical) || len(rs.reqs) != before {
		t.Errorf("%v, %d calls", err, len(rs.reqs)-before)
	}
}

func TestGoldenRequests(t *testing.T) {
	rs := &recorded{}
	srv := httptest.NewServer(rs)
	defer srv.Close()
	mtls, _ := New(fixedConfig(srv.URL))
	cfg := fixedConfig(srv.URL)
	cfg.Auth = AuthPSC
	psc, _ := New(cfg)
	pro := &Professional{IDNat: "810002909371", BillingID: "123456789", SpecialtyCode: "01", Sector: "SA07", AccessToken: "psc-token"}
	ctx := context.Background()
	tr := Traits{BirthName: "D'ARTAGNAN DE L'HERAULT", FirstNames: []string{"PIERRE-ALAIN"}, Sex: "M", BirthDate: "2001-06-17", BirthPlace: "63220"}
	_, _ = mtls.SearchTraits(ctx, tr, nil)
	_, _ = psc.SearchTraits(ctx, adrun, pro)
	_, _ = mtls.SearchCard(ctx, Card{HolderNIR: "2751263220749", BirthName: "ADRUN", BirthDate: "1975-12-31", Rank: "1"}, nil)
	if got := rs.reqs[1].Header.Get("Authorization"); got != "Bearer psc-token" {
		t.Errorf("psc token presented as %q", got)
	}
	for i, name := range []string{"req_traits_mtls.xml", "req_traits_psc.xml", "req_card_mtls.xml"} {
		path := "testdata/" + name
		if *update {
			_ = os.WriteFile(path, []byte(rs.body[i]), 0o644)
		}
		want, err := os.ReadFile(path)
		if err != nil || string(want) != rs.body[i] {
			t.Errorf("%s differs (go test -update):\n%s", name, rs.body[i])
		}
	}
	// In psc mode a search needs the professional.
	if _, err := psc.SearchTraits(ctx, adrun, nil); !errors.Is(err, ErrConfig) {
		t.Errorf("psc without professional: %v", err)
	}
}

func TestRedirectTimeoutAndStatus(t *testing.T) {
	slow := make(chan struct{})
	defer close(slow)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice the client leaving.
		_, _ = io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, "/lps", http.StatusTemporaryRedirect)
		case "/slow":
			select {
			case <-slow:
			case <-r.Context().Done():
			}
		case "/teapot":
			w.WriteHeader(http.StatusTeapot)
		case "/html500":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte("<html>oops</html>"))
		}
	}))
	defer srv.Close()
	for path, want := range map[string]error{"/redirect": ErrRedirect, "/slow": context.DeadlineExceeded, "/teapot": ErrUnavailable, "/html500": ErrUnavailable} {
		cfg := fixedConfig(srv.URL + path)
		cfg.Timeout = 200 * time.Millisecond
		c, _ := New(cfg)
		if _, err := c.SearchTraits(context.Background(), adrun, nil); !errors.Is(err, want) || !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s: %v", path, err)
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	for name, edit := range map[string]func(*Config){
		"http outside loopback": func(c *Config) { c.URL = "http://insi.example/lps" },
		"relative":              func(c *Config) { c.URL = "/lps" },
		"mode":                  func(c *Config) { c.Auth = "cpx" },
		"idam":                  func(c *Config) { c.IDAM = "" },
		"mtls without cert":     func(c *Config) { c.URL = "https://insi.example/lps" },
	} {
		cfg := fixedConfig("http://127.0.0.1:1/lps")
		edit(&cfg)
		if _, err := New(cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// certificate makes a self-signed certificate named cn.
func certificate(t *testing.T, cn string) (certPEM, keyPEM []byte, key *ecdsa.PrivateKey, cert *x509.Certificate) {
	t.Helper()
	key, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ = x509.ParseCertificate(der)
	kder, _ := x509.MarshalECPrivateKey(key)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), key, cert
}

func TestLoadCertificate(t *testing.T) {
	cp, kp, key, cert := certificate(t, CNAuto)
	if _, err := LoadCertificate(cp, kp, ""); err != nil {
		t.Fatal(err)
	}
	p12, err := pkcs12.Modern.Encode(key, cert, nil, "secret")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := LoadCertificate(p12, nil, "secret"); err != nil || c.Leaf.Subject.CommonName != CNAuto {
		t.Fatalf("PKCS#12: %v", err)
	}
	if _, err := LoadCertificate(p12, nil, "wrong"); !errors.Is(err, ErrConfig) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := LoadCertificate(cp, nil, ""); !errors.Is(err, ErrConfig) {
		t.Errorf("PEM without key: %v", err)
	}
	bad, badKey, _, _ := certificate(t, "INSI-OTHER")
	if _, err := LoadCertificate(bad, badKey, ""); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "INSI-OTHER") {
		t.Errorf("wrong CN: %v", err)
	}
}

// TestMutualTLS: the certificate is shown to a TLS server that asks for
// one, and no dev header goes out over https.
func TestMutualTLS(t *testing.T) {
	rs := &recorded{}
	srv := httptest.NewUnstartedServer(rs)
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.StartTLS()
	defer srv.Close()
	cp, kp, _, _ := certificate(t, CNManual)
	cert, err := LoadCertificate(cp, kp, "")
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	cfg := fixedConfig(srv.URL)
	cfg.Certificate, cfg.RootCAs, cfg.SandboxCN = &cert, pool, ""
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SearchTraits(context.Background(), adrun, nil); err != nil {
		t.Fatal(err)
	}
	r := rs.reqs[0]
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 || r.TLS.PeerCertificates[0].Subject.CommonName != CNManual {
		t.Error("client certificate not shown")
	}
	if r.Header.Get(SandboxCNHeader) != "" {
		t.Error("dev header sent over https")
	}
}
