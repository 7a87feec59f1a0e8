package rightssim_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/rights"
	"github.com/infopatient/infopatient/internal/sandbox/rightssim"
)

var today = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func start(t *testing.T, mod func(*rightssim.Config)) (*rightssim.Server, *httptest.Server) {
	t.Helper()
	bs, err := rightssim.LoadBeneficiaries(data.Files, "sandbox/adri-beneficiaries.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg := rightssim.Config{Beneficiaries: bs, IDAMs: []string{"SANDBOX-IDAM"}, SlowDelay: 5 * time.Second,
		Now: func() time.Time { return today }}
	if mod != nil {
		mod(&cfg)
	}
	s, err := rightssim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func client(t *testing.T, srv *httptest.Server, idam string) *rights.Client {
	t.Helper()
	c, err := rights.New(rights.Config{URL: srv.URL + "/sandbox" + rightssim.EndpointPath, IDAM: idam, Timeout: time.Second,
		Now: func() time.Time { return today }}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func acquire(t *testing.T, c *rights.Client, nirAssure, birth, rank string) (*rights.Rights, error) {
	t.Helper()
	req, err := rights.NewRequest(nirAssure, birth, rank)
	if err != nil {
		t.Fatal(err)
	}
	return c.Acquire(context.Background(), req)
}

func date(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d
}

// The portal's client reads what the simulator writes, for every record.
func TestEveryBeneficiaryThroughTheClient(t *testing.T) {
	s, srv := start(t, nil)
	c := client(t, srv, "SANDBOX-IDAM")
	for _, b := range s.Beneficiaries() {
		r, err := acquire(t, c, b.AssureNIR, b.BirthDate, "")
		if b.Rank != 1 {
			r, err = acquire(t, c, b.AssureNIR, b.BirthDate, string(rune('0'+b.Rank)))
		}
		if err != nil {
			t.Errorf("%s: %v", b.ID, err)
			continue
		}
		if r.Beneficiary.GivenName != b.GivenName || r.Regime != b.Regime || r.Caisse != b.Caisse || len(r.AMO) != len(b.AMO) ||
			len(r.Coverage) != len(b.Coverage) || len(r.Complementary) != len(b.Complementary) || r.Beneficiary.Quality != b.Quality {
			t.Errorf("%s: %+v", b.ID, r)
		}
		if r.ReferenceDate != date("2026-03-01") {
			t.Errorf("%s: reference %v", b.ID, r.ReferenceDate)
		}
	}
	if got := len(s.Beneficiaries()); got < 30 {
		t.Errorf("%d beneficiaries, want the demo patients and the personas", got)
	}
}

func TestScenarios(t *testing.T) {
	_, srv := start(t, nil)
	c := client(t, srv, "SANDBOX-IDAM")
	// ADRDEUX GUNTHER: rights closed in 2012, a child on a parent's NIR.
	r, err := acquire(t, c, "1700647123045", "2001-06-17", "1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Open() || !r.OpenAt(date("2012-06-01")) || r.Beneficiary.Quality != "6" || r.Centre != "9881" || r.Caisse != "349" ||
		len(r.Complementary) != 1 || r.Complementary[0].Number != "75500017" || len(r.ComplementaryAt(r.ReferenceDate)) != 0 {
		t.Errorf("GUNTHER: %+v", r)
	}
	// NESSI twins: same assuré NIR and date, rank tells them apart.
	r1, err1 := acquire(t, c, "1750863220719", "2010-08-07", "1")
	r2, err2 := acquire(t, c, "1750863220719", "2010-08-07", "2")
	if err1 != nil || err2 != nil || r1.Beneficiary.GivenName != "MICHELANGELO" || r2.Beneficiary.GivenName != "RAFFAELLO" {
		t.Errorf("twins: %v %v", err1, err2)
	}
	if r1.Beneficiary.CertifiedNIR != "1100863220830" {
		t.Errorf("MICHELANGELO's own NIR: %q", r1.Beneficiary.CertifiedNIR)
	}
	// A demo patient moved from data/demo/patients.json.
	r, err = acquire(t, c, "2840275115023", "1984-02-11", "")
	if err != nil || r.Beneficiary.BirthName != "DUPONT" || r.Beneficiary.UsualName != "MARTIN" || r.AttendingDoctor.Name != "Dr Virginie MEDECIN" || !r.Open() {
		t.Errorf("DUPONT: %+v %v", r, err)
	}
	// TOUSSAINT's ALD, Corsican NIR.
	r, err = acquire(t, c, "160012B020777", "1960-01-01", "1")
	if err != nil || !r.HasALDAt(r.ReferenceDate) {
		t.Errorf("TOUSSAINT: %+v %v", r, err)
	}
	// Unknown: another date, another rank, another NIR.
	for _, q := range [][3]string{{"2840275115023", "1984-02-12", "1"}, {"2840275115023", "1984-02-11", "2"}, {"1840275115023", "1984-02-11", "1"}} {
		if _, err := acquire(t, c, q[0], q[1], q[2]); !errors.Is(err, rights.ErrUnknownBeneficiary) {
			t.Errorf("%v: %v", q, err)
		}
	}
	// A certified NIR that is not the record's: unknown.
	req, _ := rights.NewRequest("1750863220719", "2010-08-07", "1")
	req.Beneficiary = req.Assure
	if _, err := c.Acquire(context.Background(), req); !errors.Is(err, rights.ErrUnknownBeneficiary) {
		t.Errorf("wrong certified NIR: %v", err)
	}
}

func TestUnknownIDAM(t *testing.T) {
	s, srv := start(t, nil)
	_, err := acquire(t, client(t, srv, "OTHER"), "2840275115023", "1984-02-11", "1")
	var fe *rights.FaultError
	if !errors.Is(err, rights.ErrRefused) || !errors.As(err, &fe) || fe.Code != "desir_550" {
		t.Errorf("%v", err)
	}
	if s.Requests() != 0 {
		t.Error("a refused request was counted")
	}
}

func TestMisbehave(t *testing.T) {
	s, srv := start(t, func(c *rightssim.Config) { c.SlowDelay = 3 * time.Second })
	c := client(t, srv, "SANDBOX-IDAM")
	s.Misbehave(rightssim.FaultUnavailable, 1)
	s.Misbehave(rightssim.FaultMalformed, 1)
	s.Misbehave(rightssim.FaultSlow, 1)
	if _, err := acquire(t, c, "2840275115023", "1984-02-11", "1"); !errors.Is(err, rights.ErrUnavailable) {
		t.Errorf("unavailable: %v", err)
	}
	if _, err := acquire(t, c, "2840275115023", "1984-02-11", "1"); !errors.Is(err, rights.ErrMalformed) {
		t.Errorf("malformed: %v", err)
	}
	begin := time.Now()
	if _, err := acquire(t, c, "2840275115023", "1984-02-11", "1"); !errors.Is(err, rights.ErrUnavailable) || time.Since(begin) > 2500*time.Millisecond {
		t.Errorf("slow: %v after %v", err, time.Since(begin))
	}
	if _, err := acquire(t, c, "2840275115023", "1984-02-11", "1"); err != nil {
		t.Errorf("after the faults: %v", err)
	}
	s.Misbehave(rightssim.FaultUnavailable, 3)
	s.Behave()
	if _, err := acquire(t, c, "2840275115023", "1984-02-11", "1"); err != nil {
		t.Errorf("after Behave: %v", err)
	}
	for f, want := range map[rightssim.Fault]string{rightssim.FaultUnavailable: "unavailable", rightssim.FaultMalformed: "malformed", rightssim.FaultSlow: "slow", 0: "none"} {
		if f.String() != want {
			t.Errorf("%d: %s", f, f)
		}
	}
}

func readGolden(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../rights/testdata/request-golden.xml")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Replace(string(b), "AM000000", "SANDBOX-IDAM", 1)
}

// Envelopes that break the contract get a SOAP fault naming the rule.
func TestEnvelopeChecks(t *testing.T) {
	_, srv := start(t, nil)
	good := readGolden(t)
	url := srv.URL + rightssim.EndpointPath
	post := func(body, ctype string) (int, string) {
		resp, err := http.Post(url, ctype, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b := new(strings.Builder)
		_, _ = readBody(b, resp)
		return resp.StatusCode, b.String()
	}
	if status, body := post(good, "application/soap+xml; charset=utf-8"); status != 200 || !strings.Contains(body, "<adr:CodeCR>00</adr:CodeCR>") {
		t.Fatalf("the golden request: %d %s", status, body)
	}
	tests := []struct{ name, old, new, code string }{
		{"not XML", "<soap:Body>", "<soap:Body", "adri_400"},
		{"action", "urn:adr:1.1.0:acquerirLesDroits", "urn:adr:1.0.0:autre", "adri_401"},
		{"message id", "<wsa:MessageID>uuid:", "<wsa:MessageID>", "adri_402"},
		{"BAM version", `ContexteBAM Version="01_02"`, `ContexteBAM Version="01_01"`, "adri_403"},
		{"LPS version", `Nature="CTXLPS" Version="01_00"`, `Nature="CTXLPS" Version="02_00"`, "adri_404"},
		{"no IDAM", "SANDBOX-IDAM", "", "desir_550"},
		{"body namespace", `xmlns:urn="urn:ir:se_req_adr"`, `xmlns:urn="urn:autre"`, "adri_405"},
		{"reference date", "<urn:DatedeReference>2026-03-01", "<urn:DatedeReference>01/03/2026", "adri_406"},
		{"birth date", "<urn:DatedeNaissance>1984-02-11", "<urn:DatedeNaissance>1984-02-30", "adri_407"},
		{"rank", "<urn:RangdeNaissance>1", "<urn:RangdeNaissance>0", "adri_408"},
		{"key", "<urn:Cle>18</urn:Cle>", "<urn:Cle>19</urn:Cle>", "adri_409"},
		{"context differs", "<ctxbam:Rang>1</ctxbam:Rang>", "<ctxbam:Rang>2</ctxbam:Rang>", "adri_411"},
	}
	for _, tt := range tests {
		if !strings.Contains(good, tt.old) {
			t.Fatalf("%s: golden lacks %q", tt.name, tt.old)
		}
		status, body := post(strings.Replace(good, tt.old, tt.new, 1), "application/soap+xml")
		if status != 500 || !strings.Contains(body, `code="`+tt.code+`"`) {
			t.Errorf("%s: %d %s", tt.name, status, body)
		}
		if strings.Contains(body, "2840275115023") {
			t.Errorf("%s: the fault quotes the NIR", tt.name)
		}
	}
	if status, body := post(good, "text/xml"); status != 500 || !strings.Contains(body, "adri_415") {
		t.Errorf("SOAP 1.1 content type: %d %s", status, body)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET: %d", resp.StatusCode)
	}
	resp, err = http.Post(srv.URL+"/adri/other", "application/soap+xml", strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("other path: %d", resp.StatusCode)
	}
}
