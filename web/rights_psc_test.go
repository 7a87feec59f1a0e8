package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/sandbox/rightssim"
)

// In psc mode ADRi is called as the signed-in professional, with the
// access token of their PSC sign-in, refreshed before use; a local
// sign-in, or a sign-in whose token PSC no longer renews, is asked for
// a PSC sign-in and nothing is sent.
func TestRightsPSCModeSendsTheProfessionalsToken(t *testing.T) {
	beneficiaries, err := rightssim.LoadBeneficiaries(data.Files, "sandbox/adri-beneficiaries.json")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := rightssim.New(rightssim.Config{Beneficiaries: beneficiaries, IDAMs: []string{sandbox.ADRiIDAM}})
	if err != nil {
		t.Fatal(err)
	}
	adri := recordBearers(t, sim)
	sent := adri.sent
	p := apptest.Start(t, map[string]string{"INFOPATIENT_ADRI_URL": adri.URL + rightssim.EndpointPath,
		"INFOPATIENT_ADRI_AUTH": "psc", "INFOPATIENT_ADRI_IDAM": sandbox.ADRiIDAM})

	local := p.NewBrowser(t)
	local.SignIn(virginie, demo.Password)
	if r := lookUpRights(t, local, camilleNIR, camilleBirth, "1"); r.Status != http.StatusForbidden || !local.Has("identify-psc-reauth") {
		t.Errorf("local sign-in in psc mode: %d %q", r.Status, local.Text("identify-error"))
	}
	if n := len(sent()); n != 0 {
		t.Fatalf("ADRi called %d times without a PSC sign-in", n)
	}

	b := pscSignedIn(t, p)
	current := func() string {
		tok, err := p.App.Web.PSCTokens.Token(t.Context(), sessionToken(t, b))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	if r := lookUpRights(t, b, camilleNIR, camilleBirth, "1"); r.Status != http.StatusOK || b.Text("rights-centre") != "0001" {
		t.Fatalf("PSC sign-in: %d %q", r.Status, b.Text("identify-error"))
	}
	first := current()
	// The access token lives 2 minutes: the next call sends a new one.
	p.Clock.Advance(3 * time.Minute)
	if r := lookUpRights(t, b, camilleNIR, camilleBirth, "1"); r.Status != http.StatusOK {
		t.Fatalf("after the access token expired: %d %q", r.Status, b.Text("identify-error"))
	}
	if got := sent(); len(got) != 2 || got[0] != first || got[1] == first || got[1] != current() {
		t.Errorf("bearer tokens sent %d, first kept %v, then renewed %v", len(got), len(got) > 0 && got[0] == first, len(got) == 2 && got[1] != first)
	}
	// The refresh token (30 minutes) and PSC's session run out: a PSC
	// sign-in again is asked, the portal session kept.
	p.Clock.Advance(25 * time.Minute)
	b.Get("/identification")
	p.Clock.Advance(10 * time.Minute)
	if r := lookUpRights(t, b, camilleNIR, camilleBirth, "1"); r.Status != http.StatusForbidden || !b.Has("identify-psc-reauth") {
		t.Errorf("after PSC stopped renewing: %d %q", r.Status, b.Text("identify-error"))
	}
	if n := len(sent()); n != 2 {
		t.Errorf("ADRi called without a token (%d calls)", n)
	}
	signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
}
