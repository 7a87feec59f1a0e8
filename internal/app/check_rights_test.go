package app

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/rights"
	"github.com/infopatient/infopatient/internal/sandbox/rightssim"
)

// `infopatient check` makes one harmless ADRi call: the test beneficiary,
// whom the sandbox knows and a real ADRi does not; both prove the
// software was accepted. A refusal or an outage fails the line.
func TestRightsCheck(t *testing.T) {
	t.Parallel()
	all, err := rightssim.LoadBeneficiaries(data.Files, "sandbox/adri-beneficiaries.json")
	if err != nil {
		t.Fatal(err)
	}
	var others []rightssim.Beneficiary
	for _, b := range all {
		if b.AssureNIR != checkAssure {
			others = append(others, b)
		}
	}
	client := func(t *testing.T, bs []rightssim.Beneficiary, idam string) (*rights.Client, *rightssim.Server) {
		sim, err := rightssim.New(rightssim.Config{Beneficiaries: bs, IDAMs: []string{"SANDBOX"}})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(sim)
		t.Cleanup(srv.Close)
		c, err := rights.New(rights.Config{URL: srv.URL + rightssim.EndpointPath, IDAM: idam, Timeout: 2 * time.Second}, srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		return c, sim
	}
	ctx := context.Background()

	c, sim := client(t, all, "SANDBOX")
	if ch := rightsCheck(ctx, c); !ch.OK || ch.Authority != "ADRi" || !strings.Contains(ch.Detail, "test beneficiary's rights") {
		t.Errorf("sandbox: %+v", ch)
	}
	if sim.Requests() != 1 {
		t.Errorf("%d requests, want one", sim.Requests())
	}
	sim.Misbehave(rightssim.FaultUnavailable, 1)
	if ch := rightsCheck(ctx, c); ch.OK {
		t.Errorf("unavailable: %+v", ch)
	}
	if c, _ := client(t, others, "SANDBOX"); !rightsCheck(ctx, c).OK || !strings.Contains(rightsCheck(ctx, c).Detail, "unknown") {
		t.Errorf("a service that does not know the test beneficiary: %+v", rightsCheck(ctx, c))
	}
	if c, _ := client(t, all, "OTHER"); rightsCheck(ctx, c).OK || !strings.Contains(rightsCheck(ctx, c).Detail, "INFOPATIENT_ADRI_IDAM") {
		t.Errorf("unknown IDAM: %+v", rightsCheck(ctx, c))
	}
}

// A demo-mode check reaches the sandbox's ADRi; outside demo mode, with
// no URL, the plan says ADRi is off and why.
func TestCheckPlansADRi(t *testing.T) {
	t.Parallel()
	cfg := loadConfig(t, map[string]string{"INFOPATIENT_DEMO": "false", "INFOPATIENT_PSC_ENV": "bas",
		"INFOPATIENT_PSC_CLIENT_ID": "ip", "INFOPATIENT_PSC_CLIENT_SECRET": "s",
		"INFOPATIENT_TOKEN_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="})
	found := false
	for _, ch := range planChecks(cfg.Plan()) {
		if ch.Authority == "ADRi" && ch.Skipped && strings.Contains(ch.Detail, "INFOPATIENT_ADRI_URL") {
			found = true
		}
	}
	if !found {
		t.Errorf("no line says ADRi is off: %+v", planChecks(cfg.Plan()))
	}
}
