package psc_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/infopatient/infopatient/internal/psc"
)

// FuzzProfessionalFromClaims reads any JSON object as claims: never a
// panic, and whatever is read comes from the claims.
func FuzzProfessionalFromClaims(f *testing.F) {
	raw, err := os.ReadFile("../../data/sandbox/psc-professionals.json")
	if err != nil {
		f.Fatal(err)
	}
	var pros []struct{ Claims json.RawMessage }
	if err := json.Unmarshal(raw, &pros); err != nil {
		f.Fatal(err)
	}
	for _, p := range pros {
		f.Add([]byte(p.Claims))
	}
	for _, seed := range []string{
		realPayload,
		`{"otherIds":[null,{"origine":5},{"origine":"RPPS","identifiant":[]}],"SubjectRefPro":{"exercices":[null,{"activities":[null,1,{"bureauCedex":"75"}]}]}}`,
		`{"SubjectNameID":1e300,"given_name":"\u00e9","SubjectRefPro":{"codeCivilite":{}}}`,
		`{"SubjectRefPro":{"exercices":[{"activities":[{"codePostal":"75009","bureauCedex":"75009"}]}]}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var claims map[string]any
		if json.Unmarshal(b, &claims) != nil {
			return
		}
		p := psc.ProfessionalFromClaims(claims)
		_, _ = p.DisplayName(), p.Identifier()
		if p.IDNat != "" && len(p.IDNat) > len(b) {
			t.Fatalf("idNat %q longer than the input", p.IDNat)
		}
	})
}
