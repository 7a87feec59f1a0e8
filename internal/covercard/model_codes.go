package covercard

import "strconv"

// Sex of the insured person, with Covercard's codes as values.
type Sex int

// Sexes. Covercard's 0 (unknown) and 9 (undefined), and anything else,
// read as SexUnknown.
const (
	SexUnknown Sex = 0
	SexFemale  Sex = 1
	SexMale    Sex = 2
)

// String returns "female", "male" or "unknown".
func (s Sex) String() string {
	switch s {
	case SexFemale:
		return "female"
	case SexMale:
		return "male"
	}
	return "unknown"
}

// KVGModel is the managed-care model of the basic insurance, with
// Covercard's codes as values.
type KVGModel int

// KVG models. ModelNone means the element was absent.
const (
	ModelNone         KVGModel = 0
	ModelStandard     KVGModel = 1
	ModelFamilyDoctor KVGModel = 2
	ModelHMO          KVGModel = 3
	ModelList         KVGModel = 4 // list of doctors (PPO)
	ModelOther        KVGModel = 5
	ModelUnknown      KVGModel = 99
)

// String returns a stable description key: "standard", "family_doctor",
// "hmo", "list", "other", or "unknown" for 99, absent and unlisted codes.
func (m KVGModel) String() string {
	switch m {
	case ModelStandard:
		return "standard"
	case ModelFamilyDoctor:
		return "family_doctor"
	case ModelHMO:
		return "hmo"
	case ModelList:
		return "list"
	case ModelOther:
		return "other"
	}
	return "unknown"
}

// Code returns the 2-digit code ("02"), empty when the element was absent.
func (m KVGModel) Code() string {
	if m <= ModelNone {
		return ""
	}
	return code2(int(m))
}

// AccidentCoverage says whether the basic insurance covers accidents
// (it does when no employer's accident insurance does).
type AccidentCoverage int

// Accident coverage codes.
const (
	AccidentCovered    AccidentCoverage = 1
	AccidentNotCovered AccidentCoverage = 2
	AccidentUnknown    AccidentCoverage = 99
)

// String returns "yes", "no" or "unknown".
func (a AccidentCoverage) String() string {
	switch a {
	case AccidentCovered:
		return "yes"
	case AccidentNotCovered:
		return "no"
	}
	return "unknown"
}

// Restriction is medicalServiceCoverageRestriction: whether the insurer
// restricts what it pays for.
type Restriction int

// Restriction codes. 01–03 are "tiers garant" restrictions: the patient
// pays the practitioner and is reimbursed. 04: benefits suspended (unpaid
// premiums). RestrictionUnknown: absent or unlisted.
const (
	RestrictionUnknown      Restriction = -1
	RestrictionNone         Restriction = 0
	RestrictionTiersGarant1 Restriction = 1
	RestrictionTiersGarant2 Restriction = 2
	RestrictionTiersGarant3 Restriction = 3
	RestrictionSuspended    Restriction = 4
)

// String returns a stable description key: "none", "tiers_garant",
// "suspended" or "unknown".
func (r Restriction) String() string {
	switch r {
	case RestrictionNone:
		return "none"
	case RestrictionTiersGarant1, RestrictionTiersGarant2, RestrictionTiersGarant3:
		return "tiers_garant"
	case RestrictionSuspended:
		return "suspended"
	}
	return "unknown"
}

// Code returns the 2-digit code ("00"–"04"), empty when unknown.
func (r Restriction) Code() string {
	if r < RestrictionNone || r > RestrictionSuspended {
		return ""
	}
	return code2(int(r))
}

// code2 writes a non-negative code on at least two digits.
func code2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
