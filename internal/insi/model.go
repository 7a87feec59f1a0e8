package insi

import (
	"strings"
	"time"
)

// Traits are the identity traits of a search (rechercherInsAvecTraitsIdentite).
// Names are sent exactly as given: check or normalise them first.
type Traits struct {
	BirthName string
	// FirstNames are the birth first names, in the identity document's
	// order, one per entry.
	FirstNames []string
	// Sex is "M" or "F".
	Sex string
	// BirthDate is YYYY-MM-DD.
	BirthDate string
	// BirthPlace is the COG of the birthplace (5 characters), optional.
	BirthPlace string
}

// Validate applies INSi's input rules to every trait; the first refused
// one is reported as a *LexicalError (errors.Is ErrLexical). A search
// needs a birth name, a sex and a birth date; first names may be empty
// only for a person who has none.
func (t Traits) Validate() error {
	if err := CheckBirthName(t.BirthName); err != nil {
		return err
	}
	for _, p := range t.FirstNames {
		if err := CheckFirstNames(p); err != nil {
			return err
		}
	}
	if t.Sex != "M" && t.Sex != "F" {
		return &LexicalError{Field: FieldSex, Reason: ReasonFormat}
	}
	if !validDate(t.BirthDate) {
		return &LexicalError{Field: FieldBirthDate, Reason: ReasonFormat}
	}
	if t.BirthPlace != "" && !validCOG(t.BirthPlace) {
		return &LexicalError{Field: FieldBirthPlace, Reason: ReasonFormat}
	}
	return nil
}

// firstNameList is the list as INSi's Prenom carries it: space-separated.
func (t Traits) firstNameList() string { return strings.Join(t.FirstNames, " ") }

// Card holds what a carte Vitale gives for rechercherInsAvecCarteVitale.
type Card struct {
	// IndividualNIR is the beneficiary's NIR (13 characters), optional.
	IndividualNIR string
	// HolderNIR is the assuré's NIR, « ouvrant droit » (13 characters).
	HolderNIR string
	BirthName string
	// BirthDate is YYYY-MM-DD; lunar dates of the card are sent as read.
	BirthDate string
	// Rank is the rang de naissance, "1" to "9".
	Rank string
}

// Validate checks the card data before a call.
func (c Card) Validate() error {
	if !validBody(c.HolderNIR) || (c.IndividualNIR != "" && !validBody(c.IndividualNIR)) {
		return &LexicalError{Field: FieldMatricule, Reason: ReasonFormat}
	}
	if err := CheckBirthName(c.BirthName); err != nil {
		return err
	}
	if !validDate(c.BirthDate) {
		return &LexicalError{Field: FieldBirthDate, Reason: ReasonFormat}
	}
	if len(c.Rank) != 1 || c.Rank[0] < '1' || c.Rank[0] > '9' {
		return &LexicalError{Field: FieldRank, Reason: ReasonFormat}
	}
	return nil
}

// Code is INSi's CodeCR.
type Code string

// Result codes.
const (
	// CodeFound: one identity; the Result has it.
	CodeFound Code = "00"
	// CodeNotFound: no identity matches (a registered person may still
	// exist: change the criteria).
	CodeNotFound Code = "01"
	// CodeSeveral: several identities match: add the other first names,
	// then the birthplace COG.
	CodeSeveral Code = "02"
)

// Result is INSi's answer to one search.
type Result struct {
	Code  Code
	Label string
	// MessageID is the request's wsa:MessageID, for the audit trail.
	MessageID string
	// Identity is set when Code is CodeFound.
	Identity *Identity
}

// Identity is INDIVIDU: the active INS, its history, and the traits INSi
// holds (TIQ).
type Identity struct {
	Active INS
	// History is INSHISTO as returned, in order, kept as is.
	History []INS
	// Traits (TIQ). FirstName is Prenom when sent, else the first of
	// FirstNames; FirstNames is ListePrenom, space-separated.
	BirthName  string
	FirstName  string
	FirstNames string
	Sex        string
	BirthDate  string
	BirthPlace string
}

// INS is a matricule with its key and its assigning authority (OID).
type INS struct {
	// Matricule is NumIdentifiant, 13 characters; Key its 2-digit key,
	// verified by the decoder.
	Matricule string
	Key       string
	// TypeMatricule is the optional code sent by INSi, as sent.
	TypeMatricule string
	OID           string
	// Type is what the OID says the matricule is.
	Type MatriculeType
	// From and To bound a historical INS (DateDeb, DateFin), when given.
	From, To string
}

// Formatted groups the matricule and key as French documents print them:
// "2 75 12 63 220 749 74".
func (n INS) Formatted() string {
	m := n.Matricule
	if len(m) != 13 {
		return m + " " + n.Key
	}
	return m[0:1] + " " + m[1:3] + " " + m[3:5] + " " + m[5:7] + " " + m[7:10] + " " + m[10:13] + " " + n.Key
}

// MatriculeType tells a NIR from an NIA, and test or demonstration values.
type MatriculeType string

// Matricule types, from the OID (FR Core Patient INS).
const (
	TypeNIR     MatriculeType = "NIR"
	TypeNIA     MatriculeType = "NIA"
	TypeTestNIR MatriculeType = "NIR-TEST"
	TypeDemoNIR MatriculeType = "NIR-DEMO"
)

// The OIDs of the authorities that assign INS matricules.
const (
	OIDNIR     = "1.2.250.1.213.1.4.8"
	OIDNIA     = "1.2.250.1.213.1.4.9"
	OIDTestNIR = "1.2.250.1.213.1.4.10"
	OIDDemoNIR = "1.2.250.1.213.1.4.11"
)

// TypeOf maps an OID to its matricule type; ok is false for an unknown OID.
func TypeOf(oid string) (t MatriculeType, ok bool) {
	switch oid {
	case OIDNIR:
		return TypeNIR, true
	case OIDNIA:
		return TypeNIA, true
	case OIDTestNIR:
		return TypeTestNIR, true
	case OIDDemoNIR:
		return TypeDemoNIR, true
	}
	return "", false
}

func validDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func validCOG(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := 0; i < 5; i++ {
		c := s[i]
		if !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
