package app

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/insi"
	"github.com/infopatient/infopatient/internal/sandbox/insisim"
)

func insiSandbox(t *testing.T) (*insisim.Server, string) {
	t.Helper()
	ids, err := insisim.LoadIdentities(data.Files, "sandbox/insi-identities.json")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := insisim.New(insisim.Config{Identities: ids})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv.URL + insisim.Path
}

func TestINSiCheck(t *testing.T) {
	sim, u := insiSandbox(t)
	c, err := insi.New(insi.Config{URL: u, Auth: insi.AuthMTLS, SandboxCN: insi.CNAuto, IDAM: insisim.DefaultIDAM, InstanceID: "i"})
	if err != nil {
		t.Fatal(err)
	}
	if ch := insiCheck(t.Context(), c); !ch.OK || ch.Detail != "CR 00 (OK)" {
		t.Errorf("%+v", ch)
	}
	sim.Misbehave(insisim.FaultUnknownIDAM, 1)
	if ch := insiCheck(t.Context(), c); ch.OK || !strings.Contains(ch.Detail, "IDAM") {
		t.Errorf("unknown IDAM: %+v", ch)
	}
	psc, err := insi.New(insi.Config{URL: u, Auth: insi.AuthPSC, IDAM: insisim.DefaultIDAM, InstanceID: "i"})
	if err != nil {
		t.Fatal(err)
	}
	if ch := insiCheck(t.Context(), psc); !ch.Skipped {
		t.Errorf("psc mode: %+v", ch)
	}
}

// The instance id is created once and kept; a check writes nothing.
func TestINSiInstanceIsKept(t *testing.T) {
	dir := t.TempDir()
	probe, err := insiInstance(dir, true)
	if err != nil || len(probe) != 36 {
		t.Fatalf("%q %v", probe, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a check wrote %v", entries)
	}
	first, err := insiInstance(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := insiInstance(dir, false)
	if first != again || first == probe {
		t.Errorf("instance %q then %q (probe %q)", first, again, probe)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "keys", "insi-instance")); strings.TrimSpace(string(b)) != first {
		t.Errorf("file holds %q", b)
	}
}
