package vigilance

import "strings"

// Trait is one line of the identity block.
type Trait int

// The traits, in the order pages show them (reference §5.4): the strict
// birth traits first, then the complementary "used" names, kept apart and
// never filled from the birth names (RNIV EXI PP 17/18).
const (
	BirthName Trait = iota + 1
	FirstGivenName
	GivenNames
	Sex
	BirthDate
	BirthPlace
	UsedName
	UsedGivenName
)

// BirthTraits is the display order of the strict (INS) traits.
var BirthTraits = []Trait{BirthName, FirstGivenName, GivenNames, Sex, BirthDate, BirthPlace}

// UsedTraits are shown after the birth traits, only when entered.
var UsedTraits = []Trait{UsedName, UsedGivenName}

// FirstGiven is the first prénom of an INSi ListePrenom, whose names are
// separated by spaces (FR Core: the given name is taken from the list).
// A hyphenated name ("PIERRE-ALAIN") is one name.
func FirstGiven(list string) string {
	f := strings.Fields(list)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// MatriculeType names the kind of matricule an INS OID assigns.
type MatriculeType string

// The FR Core INS OIDs and what they assign.
const (
	OIDNIR     = "1.2.250.1.213.1.4.8"
	OIDNIA     = "1.2.250.1.213.1.4.9"
	OIDTestNIR = "1.2.250.1.213.1.4.10"
	OIDDemoNIR = "1.2.250.1.213.1.4.11"

	TypeNIR     MatriculeType = "NIR"
	TypeNIA     MatriculeType = "NIA"
	TypeTestNIR MatriculeType = "NIR-TEST"
	TypeDemoNIR MatriculeType = "NIR-DEMO"
)

// TypeOf says which matricule an OID assigns; "" for an unknown OID.
func TypeOf(oid string) MatriculeType {
	switch strings.TrimSpace(oid) {
	case OIDNIR:
		return TypeNIR
	case OIDNIA:
		return TypeNIA
	case OIDTestNIR:
		return TypeTestNIR
	case OIDDemoNIR:
		return TypeDemoNIR
	}
	return ""
}
