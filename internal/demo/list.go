package demo

import "strings"

// ListedPatient is a demo patient as a presenter needs to know it: what
// to type (the NIR, the date of birth and the rank), whose it is, and
// what its page will stand out for.
type ListedPatient struct {
	// NIR is the assuré's 13-character number, without its key.
	NIR, GivenNames, FamilyName string
	// BirthDate (YYYY-MM-DD) and Rank are typed beside the NIR.
	BirthDate string
	Rank      int
	ALD       bool
	// RightsUntil (YYYY-MM-DD) is set when the patient's AMO rights end.
	RightsUntil string
}

// demoBeneficiary is what the list reads of the ADRi sandbox's records.
type demoBeneficiary struct {
	ID        string `json:"id"`
	NIR       string `json:"assure_nir"`
	BirthDate string `json:"birth_date"`
	Rank      int    `json:"rank"`
	BirthName string `json:"birth_name"`
	GivenName string `json:"given_name"`
	AMO       []struct {
		End string `json:"end"`
	} `json:"amo"`
	Coverage []struct {
		ALD string `json:"ald"`
	} `json:"coverage"`
}

// Patients lists the demo patients: the ADRi sandbox's records made for
// the demo (ids "demo-…"), in the file's order. Their rights are the
// sandbox's answers, not rows of the portal's database.
func Patients() ([]ListedPatient, error) {
	var all []demoBeneficiary
	if err := readJSON("sandbox/adri-beneficiaries.json", &all); err != nil {
		return nil, err
	}
	var out []ListedPatient
	for _, b := range all {
		if !strings.HasPrefix(b.ID, "demo-") {
			continue
		}
		p := ListedPatient{NIR: b.NIR, GivenNames: b.GivenName, FamilyName: b.BirthName, BirthDate: b.BirthDate, Rank: b.Rank}
		for _, c := range b.Coverage {
			p.ALD = p.ALD || c.ALD != ""
		}
		if n := len(b.AMO); n > 0 {
			p.RightsUntil = b.AMO[n-1].End
		}
		out = append(out, p)
	}
	return out, nil
}
