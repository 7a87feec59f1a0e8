package rights_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/nir"
	"github.com/infopatient/infopatient/internal/rights"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// recorder is a second ADRi server, not the sandbox: it keeps what it
// was sent and answers with a canned body.
type recorder struct {
	mu      sync.Mutex
	bodies  [][]byte
	headers []http.Header
	status  int
	ctype   string
	answer  []byte
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.bodies = append(rec.bodies, b)
	rec.headers = append(rec.headers, r.Header.Clone())
	status, ctype, answer := rec.status, rec.ctype, rec.answer
	rec.mu.Unlock()
	if ctype == "" {
		ctype = "application/soap+xml; charset=utf-8"
	}
	if status == 0 {
		status = http.StatusOK
	}
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	_, _ = w.Write(answer)
}

func serve(t *testing.T, rec *recorder) *rights.Client {
	t.Helper()
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	c, err := rights.New(config(srv.URL+"/lps"), srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The request is the ADRi envelope of reference §3.1, byte for byte.
func TestRequestGolden(t *testing.T) {
	rec := &recorder{answer: readFile(t, "response-full.xml")}
	c := serve(t, rec)
	req := mustRequest(t, "2 84 02 75 115 023 18", "1984-02-11", "")
	got, err := c.Acquire(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got.MessageID != "uuid:5f0a6c1e-aaaa-4bbb-8ccc-dddddddddddd" || got.Regime != "01" {
		t.Errorf("answer: %+v", got)
	}
	golden := "testdata/request-golden.xml"
	if *update {
		if err := os.WriteFile(golden, rec.bodies[0], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := readFile(t, "request-golden.xml"); string(rec.bodies[0]) != string(want) {
		t.Errorf("request differs from %s:\n%s", golden, rec.bodies[0])
	}
	h := rec.headers[0]
	if ct := h.Get("Content-Type"); ct != `application/soap+xml; charset=utf-8; action="urn:adr:1.1.0:acquerirLesDroits"` {
		t.Errorf("content type %q", ct)
	}
	if h.Get("Authorization") != "" {
		t.Error("mtls mode sent an Authorization header")
	}
}

// The envelope parses as XML and carries what the service needs, with
// the optional parts when given.
func TestRequestEnvelopeParts(t *testing.T) {
	rec := &recorder{answer: readFile(t, "response-full.xml")}
	c := serve(t, rec)
	req := mustRequest(t, "2840275115023", "1984-02-11", "1")
	req.Beneficiary, _ = nir.Parse("2840275115023")
	req.Regime = "01"
	req.ReferenceDate = d("2025-07-14")
	if _, err := c.Acquire(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	var env struct {
		Header struct {
			Action    string `xml:"http://www.w3.org/2005/08/addressing Action"`
			MessageID string `xml:"http://www.w3.org/2005/08/addressing MessageID"`
			BAM       struct {
				Regime string `xml:"COUVERTURE>GrandRegime"`
				Nir    string `xml:"COUVERTURE>BENEFICIAIRE>Nir>Num"`
			} `xml:"urn:siram:bam:ctxbam ContexteBAM"`
			IDAM string `xml:"urn:siram:lps:ctxlps ContexteLPS>LPS>IDAM"`
		} `xml:"http://www.w3.org/2003/05/soap-envelope Header"`
		Body struct {
			Requete struct {
				Date string `xml:"DatedeReference"`
				Cert string `xml:"BeneficiaireDeSoins>NIRcertifie>Num"`
				Rang string `xml:"BeneficiaireDeSoins>SituationAdministrativeAMO>RangdeNaissance"`
				Num  string `xml:"BeneficiaireDeSoins>Assure>NIRassure>Num"`
				Cle  string `xml:"BeneficiaireDeSoins>Assure>NIRassure>Cle"`
			} `xml:"urn:ir:se_req_adr Requete"`
		} `xml:"http://www.w3.org/2003/05/soap-envelope Body"`
	}
	if err := xml.Unmarshal(rec.bodies[0], &env); err != nil {
		t.Fatal(err)
	}
	h, q := env.Header, env.Body.Requete
	if h.Action != rights.Action || h.MessageID == "" || h.IDAM != "AM000000" || h.BAM.Regime != "01" || h.BAM.Nir != "2840275115023" {
		t.Errorf("header %+v", h)
	}
	if q.Date != "2025-07-14" || q.Cert != "2840275115023" || q.Rang != "1" || q.Num != "2840275115023" || q.Cle != "18" {
		t.Errorf("body %+v", q)
	}
}

// In psc mode the professional's identity goes in wsse:Security and the
// token as bearer; without a professional nothing is sent.
func TestPSCMode(t *testing.T) {
	rec := &recorder{answer: readFile(t, "response-full.xml")}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	cfg := config(srv.URL)
	cfg.Auth = rights.AuthPSC
	c, err := rights.New(cfg, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	req := mustRequest(t, "2840275115023", "1984-02-11", "1")
	if _, err := c.Acquire(context.Background(), req); !errors.Is(err, rights.ErrInvalidRequest) {
		t.Errorf("no professional: %v", err)
	}
	if len(rec.bodies) != 0 {
		t.Fatal("a request went out without a professional")
	}
	req.Professional = &rights.Professional{IDNat: "810002220553", BillingID: "751234567", AccessToken: "tok<&>"}
	if _, err := c.Acquire(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	body := string(rec.bodies[0])
	for _, want := range []string{`<saml:NameID NameQualifier="PSC">810002220553</saml:NameID>`, `751234567`, `<ctxlps:Emetteur>810002220553</ctxlps:Emetteur>`} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %s", want)
		}
	}
	if got := rec.headers[0].Get("Authorization"); got != "Bearer tok<&>" {
		t.Errorf("authorization %q", got)
	}
}

func TestAcquireErrors(t *testing.T) {
	req := mustRequest(t, "2840275115023", "1984-02-11", "1")
	tests := []struct {
		name   string
		rec    *recorder
		want   error
		status int
	}{
		{"unknown", &recorder{answer: readFile(t, "response-unknown.xml")}, rights.ErrUnknownBeneficiary, 0},
		{"fault unavailable", &recorder{status: 500, answer: readFile(t, "fault-unavailable.xml")}, rights.ErrUnavailable, 0},
		{"fault idam", &recorder{status: 500, answer: readFile(t, "fault-idam.xml")}, rights.ErrRefused, 0},
		{"500 html", &recorder{status: 500, ctype: "text/html", answer: []byte("<html>oops</html>")}, rights.ErrUnavailable, 500},
		{"500 soap garbage", &recorder{status: 500, answer: []byte("<html>oops</html>")}, rights.ErrUnavailable, 500},
		{"503", &recorder{status: 503}, rights.ErrUnavailable, 503},
		{"html 200", &recorder{ctype: "text/html; charset=utf-8", answer: []byte("<html>maintenance</html>")}, rights.ErrMalformed, 0},
		{"garbage 200", &recorder{answer: []byte("not xml")}, rights.ErrMalformed, 0},
		{"other beneficiary", &recorder{answer: []byte(strings.Replace(string(readFile(t, "response-full.xml")), "1984-02-11", "1985-02-11", 1))}, rights.ErrMalformed, 0},
		{"other rank", &recorder{answer: []byte(strings.Replace(string(readFile(t, "response-full.xml")), "<adr:rangGemellaire>1", "<adr:rangGemellaire>2", 1))}, rights.ErrMalformed, 0},
		{"too large", &recorder{answer: []byte(strings.Repeat(" ", 2<<20))}, rights.ErrMalformed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := serve(t, tt.rec)
			_, err := c.Acquire(context.Background(), req)
			if !errors.Is(err, tt.want) {
				t.Fatalf("%v; want %v", err, tt.want)
			}
			var se *rights.StatusError
			if tt.status != 0 && (!errors.As(err, &se) || se.StatusCode != tt.status) {
				t.Errorf("status: %v", err)
			}
			if strings.Contains(err.Error(), "2840275115023") {
				t.Errorf("the error shows the NIR: %v", err)
			}
		})
	}
}

// A redirect is not followed: the answer must come from the endpoint.
func TestNoRedirect(t *testing.T) {
	other := &recorder{answer: readFile(t, "response-full.xml")}
	target := httptest.NewServer(other)
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	c, err := rights.New(config(srv.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Acquire(context.Background(), mustRequest(t, "2840275115023", "1984-02-11", "1"))
	var se *rights.StatusError
	if !errors.Is(err, rights.ErrUnavailable) || !errors.As(err, &se) || se.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("%v", err)
	}
	if len(other.bodies) != 0 {
		t.Error("the redirect was followed")
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	cfg := config(srv.URL)
	cfg.Timeout = 100 * time.Millisecond
	c, err := rights.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.Acquire(context.Background(), mustRequest(t, "2840275115023", "1984-02-11", "1"))
	if !errors.Is(err, rights.ErrUnavailable) || time.Since(start) > 2*time.Second {
		t.Errorf("%v after %v", err, time.Since(start))
	}
	if strings.Contains(err.Error(), srv.URL) {
		t.Errorf("the error shows the URL: %v", err)
	}
}

func TestNewRefuses(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*rights.Config)
	}{
		{"relative URL", func(c *rights.Config) { c.URL = "/lps" }},
		{"http elsewhere", func(c *rights.Config) { c.URL = "http://adri.example.fr/lps" }},
		{"ftp", func(c *rights.Config) { c.URL = "ftp://127.0.0.1/lps" }},
		{"no IDAM", func(c *rights.Config) { c.IDAM = " " }},
		{"auth mode", func(c *rights.Config) { c.Auth = "cpx" }},
	}
	for _, tt := range tests {
		cfg := config("https://adri.example.fr/lps")
		tt.mod(&cfg)
		if _, err := rights.New(cfg, nil); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	for _, ok := range []string{"https://adri.example.fr/lps", "http://127.0.0.1:8080/sandbox/adri/lps", "http://localhost/lps", "http://[::1]:9/lps"} {
		if _, err := rights.New(config(ok), nil); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

func TestNewRequest(t *testing.T) {
	r, err := rights.NewRequest("1 76 12 2A 004 018 ", "1976-12-03", " 2 ")
	if err != nil || r.Assure.String() != "176122A004018" || r.Rank != 2 || r.BirthDate != d("1976-12-03") {
		t.Errorf("%+v, %v", r, err)
	}
	tests := []struct {
		nir, birth, rank string
		field            rights.Field
	}{
		{"", "1984-02-11", "1", rights.FieldNIR},
		{"2840275115023 19", "1984-02-11", "1", rights.FieldNIR},
		{"2840275115023", "", "1", rights.FieldBirthDate},
		{"2840275115023", "11/02/1984", "1", rights.FieldBirthDate},
		{"2840275115023", "1984-02-11", "0", rights.FieldRank},
		{"2840275115023", "1984-02-11", "10", rights.FieldRank},
		{"2840275115023", "1984-02-11", "a", rights.FieldRank},
	}
	for _, tt := range tests {
		_, err := rights.NewRequest(tt.nir, tt.birth, tt.rank)
		var ie *rights.InputError
		if !errors.Is(err, rights.ErrInvalidRequest) || !errors.As(err, &ie) || ie.Field != tt.field {
			t.Errorf("%q %q %q: %v; want %s", tt.nir, tt.birth, tt.rank, err, tt.field)
		}
	}
	// The NIR's own error is kept, for a precise message.
	_, err = rights.NewRequest("2840275115023 19", "1984-02-11", "1")
	if !errors.Is(err, nir.ErrKey) {
		t.Errorf("key error lost: %v", err)
	}
	bad := rights.Request{Assure: r.Assure, BirthDate: d("1984-02-11"), Rank: 1, Regime: "1"}
	if err := bad.Check(); !errors.Is(err, rights.ErrInvalidRequest) {
		t.Errorf("regime: %v", err)
	}
}

// A message id chosen by the caller is the call's, so that a failed call
// can be audited by it.
func TestCallerMessageID(t *testing.T) {
	rec := &recorder{status: http.StatusServiceUnavailable, ctype: "text/plain", answer: []byte("down")}
	c := serve(t, rec)
	req := mustRequest(t, "2 84 02 75 115 023 18", "1984-02-11", "")
	req.MessageID = "uuid:11111111-2222-4333-8444-555555555555"
	if _, err := c.Acquire(context.Background(), req); !errors.Is(err, rights.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if !bytes.Contains(rec.bodies[0], []byte("<wsa:MessageID>uuid:11111111-2222-4333-8444-555555555555</wsa:MessageID>")) {
		t.Errorf("the envelope does not carry the caller's message id:\n%s", rec.bodies[0])
	}
}
