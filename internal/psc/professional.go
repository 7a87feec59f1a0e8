package psc

import (
	"strconv"
	"strings"
)

// Professional is the healthcare professional described by PSC's claims.
type Professional struct {
	IDNat      string // national identifier: "8"+RPPS, "0"+ADELI, or other (EDIT...) in the sandbox
	RPPS       string // 11 digits, when the professional is in the RPPS
	ADELI      string // 9 characters, when the identity is an ADELI one
	Civility   string // "Dr", "Pr", "M.", "Mme"
	GivenName  string
	FamilyName string

	ProfessionCode, ProfessionLabel string // "10", "Médecin"
	SpecialtyCode, SpecialtyLabel   string // "SM54", "Médecine générale"
	Activities                      []Activity
}

// Activity is a place where the professional practises.
type Activity struct {
	Organisation string // raisonSocialeSite
	FINESS       string // numeroFinessSite, for establishments
	Address      string // "12 RUE DE LA CONVENTION"
	PostalCode   string
	City         string // from bureauCedex ("75015 PARIS") or libelleCommune
	CommuneCode  string // INSEE code (codeCommune)
	Phone, Email string
}

// DisplayName is the header's "VIRGINIE MEDECIN".
func (p Professional) DisplayName() string {
	return strings.ToUpper(strings.TrimSpace(strings.TrimSpace(p.GivenName) + " " + strings.TrimSpace(p.FamilyName)))
}

// Identifier is how the header names the professional's number, as in the
// integration guide's mock-up: "RPPS 99700218896", "ADELI 757001235", or
// the bare idNat for other identities (sandbox EDIT ones).
func (p Professional) Identifier() string {
	switch {
	case p.RPPS != "":
		return "RPPS " + p.RPPS
	case p.ADELI != "":
		return "ADELI " + p.ADELI
	}
	return p.IDNat
}

// ProfessionalFromClaims reads the professional from the claims (ID token
// and userinfo merged). It never fails: PSC's payloads vary between
// environments and versions, so a missing, unknown or oddly typed field is
// skipped, never a reason to refuse a sign-in.
func ProfessionalFromClaims(claims map[string]any) Professional {
	var p Professional
	p.IDNat = firstString(claims, "SubjectNameID", "preferred_username")
	p.GivenName = str(claims["given_name"])
	p.FamilyName = str(claims["family_name"])
	p.RPPS, p.ADELI = registerNumbers(p.IDNat, list(claims["otherIds"]))

	ref := obj(claims["SubjectRefPro"])
	p.Civility = civilities[strings.ToUpper(str(ref["codeCivilite"]))]
	exercises := list(ref["exercices"])
	if len(exercises) > 0 {
		ex := obj(exercises[0])
		// The title of practice (Dr, Pr) wins over the civil one.
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
			if act, ok := activityFrom(obj(a)); ok {
				p.Activities = append(p.Activities, act)
			}
		}
	}
	if p.Activities == nil && str(claims["SubjectOrganization"]) != "" {
		p.Activities = []Activity{{Organisation: str(claims["SubjectOrganization"])}}
	}
	return p
}

// registerNumbers finds the RPPS and ADELI numbers in otherIds, else in
// the idNat's prefix. PSC writes them either bare ("99700218896") or as
// the idNat ("899700218896"): both are read.
func registerNumbers(idNat string, otherIds []any) (rpps, adeli string) {
	for _, o := range otherIds {
		id := obj(o)
		value := str(id["identifiant"])
		switch strings.ToUpper(str(id["origine"])) {
		case "RPPS":
			if rpps == "" {
				rpps = stripPrefix(value, '8', 11)
			}
		case "ADELI":
			if adeli == "" {
				adeli = stripPrefix(value, '0', 9)
			}
		}
	}
	if rpps == "" && adeli == "" && len(idNat) > 1 && isDigits(idNat) {
		switch idNat[0] {
		case '8':
			rpps = idNat[1:]
		case '0':
			adeli = idNat[1:]
		}
	}
	return rpps, adeli
}

// stripPrefix turns an idNat-shaped number (prefix + n characters) into
// the register's number; anything else is kept as it is.
func stripPrefix(value string, prefix byte, n int) string {
	if len(value) == n+1 && value[0] == prefix {
		return value[1:]
	}
	return value
}

// activityFrom reads one activity; an activity naming nothing is skipped.
func activityFrom(a map[string]any) (Activity, bool) {
	postal := str(a["codePostal"])
	act := Activity{
		Organisation: str(a["raisonSocialeSite"]), FINESS: str(a["numeroFinessSite"]),
		Address:    address(a),
		PostalCode: postal, City: city(str(a["bureauCedex"]), postal), CommuneCode: str(a["codeCommune"]),
		Phone: str(a["telephone"]), Email: str(a["adresseEMail"]),
	}
	if act.City == "" {
		act.City = str(a["libelleCommune"])
	}
	return act, act != Activity{}
}

// address joins the street parts: "12 BIS RUE DE LA CONVENTION".
func address(a map[string]any) string {
	kind := str(a["codeTypeDeVoie"])
	if label, ok := streetTypes[strings.ToUpper(kind)]; ok {
		kind = label
	}
	var parts []string
	for _, s := range []string{str(a["numeroVoie"]), str(a["indiceRepetitionVoie"]), kind, str(a["libelleVoie"])} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// city reads bureauCedex, "75015 PARIS" or "PARIS", without the postal code.
func city(bureau, postal string) string {
	if rest, ok := strings.CutPrefix(bureau, postal); ok && postal != "" {
		return strings.TrimSpace(rest)
	}
	if len(bureau) > 6 && isDigits(bureau[:5]) && bureau[5] == ' ' {
		return strings.TrimSpace(bureau[6:])
	}
	return bureau
}

func str(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case float64:
		// JSON numbers: identifiers sent unquoted by some versions.
		if t == float64(int64(t)) && t >= 0 {
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
