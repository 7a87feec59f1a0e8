package rightssim_test

import (
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/sandbox/rightssim"
)

// Every demo patient of data/demo/patients.json (still read by the
// portal's demo seeding until the patient page reads rights from ADRi)
// is a beneficiary of the rights sandbox, with the same identity and
// organisation, so that the move loses no one.
func TestDemoPatientsMoved(t *testing.T) {
	raw, err := fs.ReadFile(data.Files, "demo/patients.json")
	if err != nil {
		t.Fatal(err)
	}
	var patients []struct {
		NIR         string `json:"nir"`
		FamilyName  string `json:"family_name"`
		BirthDate   string `json:"birth_date"`
		FundCode    string `json:"fund_code"`
		RightsUntil string `json:"rights_until"`
	}
	if err := json.Unmarshal(raw, &patients); err != nil {
		t.Fatal(err)
	}
	bs, err := rightssim.LoadBeneficiaries(data.Files, "sandbox/adri-beneficiaries.json")
	if err != nil {
		t.Fatal(err)
	}
	byNIR := map[string]rightssim.Beneficiary{}
	for _, b := range bs {
		if b.Rank == 1 && b.Quality == "0" {
			byNIR[b.AssureNIR] = b
		}
	}
	if len(patients) != 20 {
		t.Fatalf("%d demo patients", len(patients))
	}
	for _, p := range patients {
		b, ok := byNIR[p.NIR]
		if !ok {
			t.Errorf("demo patient %s is not an ADRi beneficiary", p.NIR)
			continue
		}
		end := ""
		if len(b.AMO) > 0 {
			end = b.AMO[len(b.AMO)-1].End
		}
		if b.BirthName != p.FamilyName || b.BirthDate != p.BirthDate || b.Caisse != p.FundCode || end != p.RightsUntil {
			t.Errorf("%s: %+v", p.NIR, b)
		}
	}
}
