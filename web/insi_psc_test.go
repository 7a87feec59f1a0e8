package web_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/sandbox/insisim"
)

// In psc mode INSi is called as the signed-in professional: their
// idNat in the assertion and their PSC access token. Without a token
// nothing is sent: a local sign-in is asked for a PSC sign-in.
func TestINSiPSCModeCallsAsTheProfessional(t *testing.T) {
	ids, err := insisim.LoadIdentities(data.Files, "sandbox/insi-identities.json")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string // idNat and whether a token came, per call
	sim, err := insisim.New(insisim.Config{Identities: ids, Mode: insisim.ModePSC,
		KnownIDNat: func(idNat string) bool { mu.Lock(); seen = append(seen, idNat); mu.Unlock(); return true }})
	if err != nil {
		t.Fatal(err)
	}
	insiSim := recordBearers(t, sim)
	p := apptest.Start(t, map[string]string{"INFOPATIENT_DEMO": "true", "INFOPATIENT_INSI_URL": insiSim.URL + insisim.Path,
		"INFOPATIENT_INSI_AUTH": "psc", "INFOPATIENT_INSI_IDAM": insisim.DefaultIDAM})
	zoe := traits{"ADRUN", "ZOE", "F", "1975-12-31", ""}

	local := p.NewBrowser(t)
	local.SignIn(virginie, demo.Password)
	if r := search(t, local, zoe); r.Status != http.StatusForbidden || !strings.Contains(local.Text("traits-message"), "Pro Santé Connect") {
		t.Errorf("local sign-in in psc mode: %d %q", r.Status, local.Text("traits-message"))
	}
	if len(insiSim.sent()) != 0 {
		t.Fatalf("INSi called without a PSC sign-in")
	}

	b := p.NewBrowser(t)
	pscSignIn(t, b, virginieIDNat)
	b.Get("/identification")
	if r := search(t, b, zoe); r.Status != http.StatusOK || b.Text("ins-matricule") != "2 75 12 63 220 749 74" {
		t.Fatalf("PSC sign-in: %d %q", r.Status, b.Text("traits-message"))
	}
	bearers := insiSim.sent()
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || seen[0] != virginieIDNat || len(bearers) != 1 || bearers[0] == "" {
		t.Errorf("INSi saw idNat %q, bearers %q", seen, bearers)
	}
}
