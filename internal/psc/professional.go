package psc

import (
	"strconv"
	"strings"
)

// Professional is the healthcare professional described by PSC's claims.
type Professional struct {
	IDNat      string // national identifier: "8"+RPPS, "0"+ADELI, or other (EDIT...) in the sandbox
	RPPS       string
	ADELI      string
	Civility   string // "Dr", "M.", "Mme"
	GivenName  string
	FamilyName string

	ProfessionCode, ProfessionLabel string // "10", "Médecin"
	SpecialtyCode, SpecialtyLabel   string // "SM54", "Médecine générale"
	Activities                      []Activity
}

// Activity is a place where the professional practises.
type Activity struct {
	Organisation, FINESS, PostalCode, City, Phone, Email string
}

// DisplayName is the header's "VIRGINIE MEDECIN".
func (p Professional) DisplayName() string {
	return strings.ToUpper(strings.TrimSpace(p.GivenName + " " + p.FamilyName))
}

// professionLabels are the RPPS profession codes a portal meets most.
var professionLabels = map[string]string{
	"10": "Médecin", "21": "Pharmacien", "26": "Audioprothésiste", "28": "Opticien-lunetier",
	"31": "Assistant dentaire", "40": "Chirurgien-dentiste", "50": "Sage-femme", "60": "Infirmier",
	"69": "Infirmier psychiatrique", "70": "Masseur-kinésithérapeute", "80": "Pédicure-podologue",
	"81": "Orthoprothésiste", "91": "Orthophoniste", "92": "Orthoptiste", "94": "Ergothérapeute",
	"95": "Diététicien", "96": "Psychomotricien", "98": "Manipulateur ERM",
}

// specialtyLabels are a few common savoir-faire codes.
var specialtyLabels = map[string]string{
	"SM54": "Médecine générale", "SM26": "Qualifié en médecine générale", "SM53": "Spécialiste en médecine générale",
	"SM04": "Cardiologie et maladies vasculaires", "SM15": "Dermatologie et vénéréologie",
	"SM20": "Gynécologie-obstétrique", "SM40": "Pédiatrie", "SM42": "Psychiatrie",
	"SM38": "Ophtalmologie", "SM05": "Chirurgie générale", "SM02": "Anesthésie-réanimation",
	"SCD01": "Orthopédie dento-faciale",
}

var civilities = map[string]string{"DR": "Dr", "PR": "Pr", "M": "M.", "MME": "Mme", "MLLE": "Mme"}

// ProfessionalFromClaims reads the professional from the claims (ID token
// and userinfo merged). It never fails: PSC's payloads vary between
// environments and versions, so a missing, unknown or oddly typed field is
// skipped, never a reason to refuse a sign-in.
func ProfessionalFromClaims(claims map[string]any) Professional {
	var p Professional
	p.IDNat = firstString(claims, "SubjectNameID", "preferred_username")
	p.GivenName = str(claims["given_name"])
	p.FamilyName = str(claims["family_name"])

	for _, o := range list(claims["otherIds"]) {
		id := obj(o)
		switch strings.ToUpper(str(id["origine"])) {
		case "RPPS":
			p.RPPS = str(id["identifiant"])
		case "ADELI":
			p.ADELI = str(id["identifiant"])
		}
	}
	// Without otherIds the prefix of idNat tells the register.
	if p.RPPS == "" && p.ADELI == "" && len(p.IDNat) > 1 && isDigits(p.IDNat) {
		switch p.IDNat[0] {
		case '8':
			p.RPPS = p.IDNat[1:]
		case '0':
			p.ADELI = p.IDNat[1:]
		}
	}

	ref := obj(claims["SubjectRefPro"])
	p.Civility = civilities[strings.ToUpper(str(ref["codeCivilite"]))]
	exercises := list(ref["exercices"])
	if len(exercises) > 0 {
		ex := obj(exercises[0])
		if c := civilities[strings.ToUpper(str(ex["codeCiviliteDexercice"]))]; c != "" {
			p.Civility = c
		}
		if p.GivenName == "" {
			p.GivenName = str(ex["prenomDexercice"])
		}
		if p.FamilyName == "" {
			p.FamilyName = str(ex["nomDexercice"])
		}
		p.ProfessionCode = str(ex["codeProfession"])
		p.ProfessionLabel = professionLabels[p.ProfessionCode]
		p.SpecialtyCode = str(ex["codeSavoirFaire"])
		p.SpecialtyLabel = specialtyLabels[p.SpecialtyCode]
	}
	for _, e := range exercises {
		for _, a := range list(obj(e)["activities"]) {
			act := obj(a)
			p.Activities = append(p.Activities, Activity{
				Organisation: str(act["raisonSocialeSite"]), FINESS: str(act["numeroFinessSite"]),
				PostalCode: str(act["codePostal"]), City: str(act["libelleCommune"]),
				Phone: str(act["telephone"]), Email: str(act["adresseEMail"]),
			})
		}
	}
	if p.Activities == nil && str(claims["SubjectOrganization"]) != "" {
		p.Activities = []Activity{{Organisation: str(claims["SubjectOrganization"])}}
	}
	return p
}

func str(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case float64:
		// JSON numbers: identifiers sent unquoted by some versions.
		if t == float64(int64(t)) {
			return strconv.FormatInt(int64(t), 10)
		}
	}
	return ""
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func firstString(claims map[string]any, names ...string) string {
	for _, n := range names {
		if s := str(claims[n]); s != "" {
			return s
		}
	}
	return ""
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
