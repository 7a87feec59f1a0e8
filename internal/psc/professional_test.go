package psc_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/infopatient/infopatient/internal/psc"
)

// realPayload is shaped like a userinfo answer of the PSC sandbox (fake
// person): RPPS written as the idNat, two activities, a hospital's
// alphanumeric FINESS, a bureauCedex without postal code.
const realPayload = `{"Secteur_Activite":"SA07^1.2.250.1.71.4.2.4","sub":"f:550dc1c8-d97b-4b1e-ac8c-8eb4471cf9dd:899700427885",
"SubjectOrganization":"CABINET M DOC0042788","preferred_username":"899700427885","given_name":"KIT","authMode":"CARD",
"SubjectRefPro":{"codeCivilite":"M","exercices":[{"codeProfession":"10","codeCategorieProfessionnelle":"C","codeCiviliteDexercice":"DR",
"nomDexercice":"DOC0042788","prenomDexercice":"KIT","codeTypeSavoirFaire":"S","codeSavoirFaire":"SM26","activities":[
{"codeModeExercice":"L","numeroFinessSite":"","identifiantTechniqueDeLaStructure":"R102671","raisonSocialeSite":"CABINET M DOC0042788",
"numeroVoie":"1","indiceRepetitionVoie":"","codeTypeDeVoie":"R","libelleVoie":"NOIR","bureauCedex":"75009 PARIS","codePostal":"75009","codeCommune":""},
{"codeModeExercice":"S","numeroFinessSite":"0B0193488","raisonSocialeSite":"HOPITAL GENERIQUE FIN VARI","numeroVoie":"10","codeTypeDeVoie":"R",
"libelleVoie":"DE PARIS","bureauCedex":"PARIS","codePostal":"75009"}]}]},
"SubjectOrganizationID":"R102671","SubjectRole":["10^1.2.250.1.213.1.1.5.5"],
"otherIds":[{"identifiant":"899700427885","origine":"RPPS","qualite":1}],"SubjectNameID":"899700427885","family_name":"DOC0042788"}`

func TestProfessionalFromClaims(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		claims     string
		want       psc.Professional
		activities []psc.Activity
	}{
		{"a real sandbox payload", realPayload,
			psc.Professional{IDNat: "899700427885", RPPS: "99700427885", Civility: "Dr", GivenName: "KIT", FamilyName: "DOC0042788",
				ProfessionCode: "10", ProfessionLabel: "Médecin", SpecialtyCode: "SM26", SpecialtyLabel: "Qualifié en médecine générale"},
			[]psc.Activity{
				{Organisation: "CABINET M DOC0042788", Address: "1 RUE NOIR", PostalCode: "75009", City: "PARIS"},
				{Organisation: "HOPITAL GENERIQUE FIN VARI", FINESS: "0B0193488", Address: "10 RUE DE PARIS", PostalCode: "75009", City: "PARIS"},
			}},
		{"RPPS written bare", `{"SubjectNameID":"899700218896","otherIds":[{"identifiant":"99700218896","origine":"RPPS"}]}`,
			psc.Professional{IDNat: "899700218896", RPPS: "99700218896"}, nil},
		{"ADELI from otherIds", `{"SubjectNameID":"0757001235","given_name":"MARC","family_name":"KINE","otherIds":[{"identifiant":"757001235","origine":"adeli"}],
			"SubjectRefPro":{"codeCivilite":"M","exercices":[{"codeProfession":"70"}]}}`,
			psc.Professional{IDNat: "0757001235", ADELI: "757001235", Civility: "M.", GivenName: "MARC", FamilyName: "KINE", ProfessionCode: "70", ProfessionLabel: "Masseur-kinésithérapeute"}, nil},
		{"ADELI written as the idNat", `{"SubjectNameID":"0757001235","otherIds":[{"identifiant":"0757001235","origine":"ADELI"}]}`,
			psc.Professional{IDNat: "0757001235", ADELI: "757001235"}, nil},
		{"RPPS from the idNat prefix", `{"preferred_username":"810001234567"}`, psc.Professional{IDNat: "810001234567", RPPS: "10001234567"}, nil},
		{"ADELI from the idNat prefix", `{"preferred_username":"0757001235"}`, psc.Professional{IDNat: "0757001235", ADELI: "757001235"}, nil},
		{"non-numeric EDIT identity", `{"SubjectNameID":"3EDIT0042SF","otherIds":[{"identifiant":"EDIT0042SF","origine":"EDIT"}]}`,
			psc.Professional{IDNat: "3EDIT0042SF"}, nil},
		{"names and unquoted profession from the exercise", `{"SubjectNameID":"899700218912","SubjectRefPro":{"exercices":[{"prenomDexercice":"ISABELLE","nomDexercice":"INFIRMIERE","codeProfession":60}]}}`,
			psc.Professional{IDNat: "899700218912", RPPS: "99700218912", GivenName: "ISABELLE", FamilyName: "INFIRMIERE", ProfessionCode: "60", ProfessionLabel: "Infirmier"}, nil},
		{"chirurgien-dentiste (profession 40) with a specialty", `{"SubjectNameID":"899700218920","given_name":"DENIS","family_name":"DENTISTE",
			"otherIds":[{"identifiant":"99700218920","origine":"RPPS"}],
			"SubjectRefPro":{"codeCivilite":"M","exercices":[{"codeProfession":"40","codeCiviliteDexercice":"DR","codeSavoirFaire":"SCD01",
			"activities":[{"raisonSocialeSite":"CABINET DENTAIRE","codePostal":"69003","bureauCedex":"69003 LYON"}]}]}}`,
			psc.Professional{IDNat: "899700218920", RPPS: "99700218920", Civility: "Dr", GivenName: "DENIS", FamilyName: "DENTISTE",
				ProfessionCode: "40", ProfessionLabel: "Chirurgien-dentiste", SpecialtyCode: "SCD01", SpecialtyLabel: "Orthopédie dento-faciale"},
			[]psc.Activity{{Organisation: "CABINET DENTAIRE", PostalCode: "69003", City: "LYON"}}},
		{"unknown codes kept, unlabelled", `{"SubjectRefPro":{"codeCivilite":"XX","exercices":[{"codeProfession":"99","codeSavoirFaire":"SM99"}]}}`,
			psc.Professional{ProfessionCode: "99", SpecialtyCode: "SM99"}, nil},
		{"organisation without activities", `{"SubjectOrganization":"CLINIQUE"}`, psc.Professional{}, []psc.Activity{{Organisation: "CLINIQUE"}}},
		{"empty activities skipped", `{"SubjectRefPro":{"exercices":[{"activities":[{},{"codePostal":""}]}]}}`, psc.Professional{}, nil},
		{"odd types skipped", `{"SubjectNameID":["x"],"given_name":7.5,"otherIds":"RPPS","SubjectRefPro":[1,2]}`, psc.Professional{}, nil},
		{"negative number skipped", `{"SubjectNameID":-8}`, psc.Professional{}, nil},
	} {
		var claims map[string]any
		if err := json.Unmarshal([]byte(tc.claims), &claims); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := psc.ProfessionalFromClaims(claims)
		activities := got.Activities
		got.Activities = nil
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
		if len(activities) != len(tc.activities) {
			t.Errorf("%s: activities %+v", tc.name, activities)
			continue
		}
		for i := range activities {
			if activities[i] != tc.activities[i] {
				t.Errorf("%s: activity %d\n got %+v\nwant %+v", tc.name, i, activities[i], tc.activities[i])
			}
		}
	}
}

func TestDisplayNameAndIdentifier(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		p          psc.Professional
		name, code string
	}{
		{psc.Professional{IDNat: "899700218896", RPPS: "99700218896", GivenName: "Virginie", FamilyName: "Medecin"}, "VIRGINIE MEDECIN", "RPPS 99700218896"},
		{psc.Professional{IDNat: "0757001235", ADELI: "757001235", GivenName: " Marc ", FamilyName: "Kiné"}, "MARC KINÉ", "ADELI 757001235"},
		{psc.Professional{IDNat: "3EDIT0042SF", FamilyName: "SAGEFEMME"}, "SAGEFEMME", "3EDIT0042SF"},
		{psc.Professional{}, "", ""},
	} {
		if tc.p.DisplayName() != tc.name || tc.p.Identifier() != tc.code {
			t.Errorf("%+v: %q %q", tc.p, tc.p.DisplayName(), tc.p.Identifier())
		}
	}
}
