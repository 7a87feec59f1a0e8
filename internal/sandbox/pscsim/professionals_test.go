package pscsim_test

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// luhn reports whether digits pass the mod-10 check (RPPS, ADELI, FINESS).
func luhn(digits string) bool {
	if digits == "" {
		return false
	}
	sum := 0
	for i := range len(digits) {
		d := int(digits[len(digits)-1-i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// The sandbox identities the documentation and the demo accounts rely on.
func TestSandboxIdentities(t *testing.T) {
	t.Parallel()
	byID := map[string]pscsim.Professional{}
	for _, p := range professionals(t) {
		byID[p.IDNat] = p
	}
	for _, want := range []struct {
		idNat, name, origine, identifiant, profession string
	}{
		{"899700218896", "VIRGINIE MEDECIN", "RPPS", "899700218896", "10"},
		{"899700218904", "PAUL PHARMACIEN", "RPPS", "899700218904", "21"},
		{"899700218912", "ISABELLE INFIRMIERE", "RPPS", "899700218912", "60"},
		{"0757001235", "MARC KINE", "ADELI", "757001235", "70"},
		{"3EDIT0042SF", "ESTELLE SAGEFEMME", "EDIT", "EDIT0042SF", "50"},
	} {
		p, ok := byID[want.idNat]
		if !ok {
			t.Errorf("no identity %s", want.idNat)
			continue
		}
		ids, _ := p.Claims["otherIds"].([]any)
		first, _ := ids[0].(map[string]any)
		exercise := exercises(p)[0]
		if p.DisplayName() != want.name || first["origine"] != want.origine || first["identifiant"] != want.identifiant || exercise["codeProfession"] != want.profession {
			t.Errorf("%s: %s, otherIds %v, profession %v", want.idNat, p.DisplayName(), first, exercise["codeProfession"])
		}
	}
	if sf := exercises(byID["899700218896"])[0]; sf["codeSavoirFaire"] != "SM54" {
		t.Errorf("VIRGINIE MEDECIN's specialty %v", sf["codeSavoirFaire"])
	}
	act := activities(byID["899700218896"])[0]
	if act["raisonSocialeSite"] == "" || act["numeroFinessSite"] == "" || act["codePostal"] != "75015" {
		t.Errorf("VIRGINIE MEDECIN's activity %v", act)
	}
}

func exercises(p pscsim.Professional) []map[string]any {
	ref, _ := p.Claims["SubjectRefPro"].(map[string]any)
	list, _ := ref["exercices"].([]any)
	out := []map[string]any{}
	for _, e := range list {
		m, _ := e.(map[string]any)
		out = append(out, m)
	}
	return out
}

func activities(p pscsim.Professional) []map[string]any {
	out := []map[string]any{}
	for _, e := range exercises(p) {
		list, _ := e["activities"].([]any)
		for _, a := range list {
			m, _ := a.(map[string]any)
			out = append(out, m)
		}
	}
	return out
}

var idNatPattern = regexp.MustCompile(`^(0|1|3|4|5|6|8)`)

// Every identity is shaped like a real sandbox payload and internally
// consistent: its numbers pass their check digits, its idNat is the
// register's prefix and number.
func TestSandboxIdentitiesAreConsistent(t *testing.T) {
	t.Parallel()
	for _, p := range professionals(t) {
		if !idNatPattern.MatchString(p.IDNat) || p.Label.In("fr") == "" {
			t.Errorf("%s: idNat prefix or label", p.IDNat)
		}
		// The e-CPS page is complete in German and English too.
		if missing := append(p.Label.Missing(), p.Note.Missing()...); len(missing) > 0 || len(p.Note) == 0 {
			t.Errorf("%s: label or note lacks %v", p.IDNat, missing)
		}
		for _, name := range []string{"SubjectNameID", "preferred_username", "given_name", "family_name", "otherIds", "SubjectRefPro",
			"SubjectOrganization", "SubjectRole", "Secteur_Activite", "Palier_Authentification", "authMode", "UITVersion"} {
			if p.Claims[name] == nil {
				t.Errorf("%s lacks %s", p.IDNat, name)
			}
		}
		ids, _ := p.Claims["otherIds"].([]any)
		for _, raw := range ids {
			id, _ := raw.(map[string]any)
			value, _ := id["identifiant"].(string)
			switch id["origine"] {
			case "RPPS":
				rpps := strings.TrimPrefix(value, "8")
				if len(rpps) != 11 || !luhn(rpps) || p.IDNat != "8"+rpps {
					t.Errorf("%s: RPPS %q", p.IDNat, value)
				}
			case "ADELI":
				if len(value) != 9 || !luhn(value) || p.IDNat != "0"+value {
					t.Errorf("%s: ADELI %q", p.IDNat, value)
				}
			}
		}
		if len(exercises(p)) == 0 || len(activities(p)) == 0 {
			t.Errorf("%s: no exercise or activity", p.IDNat)
		}
		for _, a := range activities(p) {
			finess, _ := a["numeroFinessSite"].(string)
			postal, _ := a["codePostal"].(string)
			if finess != "" && (!luhn(finess) || finess[:2] != postal[:2]) {
				t.Errorf("%s: FINESS %q in %s", p.IDNat, finess, postal)
			}
			if a["raisonSocialeSite"] == "" || len(postal) != 5 {
				t.Errorf("%s: activity %v", p.IDNat, a)
			}
		}
	}
}

func TestLoadProfessionalsRefusals(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"not-json.json":   {Data: []byte(`{`)},
		"repeated.json":   {Data: []byte(`[{"idNat":"81","claims":{}},{"idNat":"81","claims":{}}]`)},
		"no-idnat.json":   {Data: []byte(`[{"claims":{}}]`)},
		"no-claims.json":  {Data: []byte(`[{"idNat":"81"}]`)},
		"other-id.json":   {Data: []byte(`[{"idNat":"81","claims":{"SubjectNameID":"82"}}]`)},
		"with-sub.json":   {Data: []byte(`[{"idNat":"81","claims":{"sub":"f:x:81"}}]`)},
		"wrong-type.json": {Data: []byte(`[{"idNat":81,"claims":{}}]`)},
		"good.json":       {Data: []byte(`[{"idNat":"81","label":"x","claims":{"SubjectNameID":"81","given_name":"A","family_name":"B"}}]`)},
	}
	for _, name := range []string{"missing.json", "not-json.json", "repeated.json", "no-idnat.json", "no-claims.json", "other-id.json", "with-sub.json", "wrong-type.json"} {
		if _, err := pscsim.LoadProfessionals(fsys, name); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	pros, err := pscsim.LoadProfessionals(fsys, "good.json")
	if err != nil || len(pros) != 1 || pros[0].DisplayName() != "A B" {
		t.Errorf("good: %v %v", pros, err)
	}
}

// The sandbox is the other party: it cannot know which identities the
// portal has linked since. Each note tells what the demo was seeded
// with ("Démo : …"), never a current state ("Non associé"), which a
// second run of the demo would contradict.
func TestNotesTellWhatTheDemoWasSeededWith(t *testing.T) {
	t.Parallel()
	prefix := map[string]string{"fr": "Démo : ", "de": "Demo: ", "en": "Demo: "}
	for _, p := range professionals(t) {
		for lang, want := range prefix {
			note := p.Note.In(lang)
			if !strings.Contains(note, want) {
				t.Errorf("%s (%s): note %q does not say what the demo was seeded with", p.IDNat, lang, note)
			}
			for _, state := range []string{"Non associé", "non associé", "Nicht verknüpft", "nicht verknüpft", "Not linked", "not linked", "Linked to demo account"} {
				if strings.Contains(note, state) {
					t.Errorf("%s (%s): note %q states a link the sandbox cannot know", p.IDNat, lang, note)
				}
			}
		}
	}
}
