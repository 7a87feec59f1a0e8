package rightssim_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/sandbox/rightssim"
)

// readBody copies a response body into b.
func readBody(b *strings.Builder, resp *http.Response) (int64, error) { return io.Copy(b, resp.Body) }

// today is the simulator's and the client's fixed date.
var today = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// start serves the shipped beneficiaries, changed by mod if not nil.
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

// readGolden is the client's golden request, addressed to the sandbox's IDAM.
func readGolden(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../rights/testdata/request-golden.xml")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Replace(string(b), "AM000000", "SANDBOX-IDAM", 1)
}
