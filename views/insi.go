package views

import (
	"context"
	"strconv"
	"time"
)

// TraitsForm is the search by INS traits, as typed or as normalised.
type TraitsForm struct {
	BirthName  string
	FirstNames string // as on the identity document, separated by spaces
	Sex        string // "F" or "M"
	BirthDate  string // YYYY-MM-DD
	// BirthPlace is a COG or, before confirmation, a commune name as typed.
	BirthPlace string
	// Message says what went wrong or what INSi answered; Field is the
	// field it is about ("" for the whole form).
	Message TraitsMessage
}

// TraitsMessage is a message key with what it names: the field (the
// key's first argument, its label) and a refused character.
type TraitsMessage struct {
	Key   string
	Field string // "birth_name", "first_names", "sex", "birth_date", "birth_place"
	Char  string // the refused character as shown ("É", "U+00A0")
	// Alert marks a failure (else a notice: 01, 02).
	Alert bool
}

// traitsMessage renders m in the page's language: the keys of a refused
// trait take the field's label, and the character when one is named.
func traitsMessage(ctx context.Context, m TraitsMessage) string {
	switch {
	case m.Char != "":
		return t(ctx, m.Key, t(ctx, "insi.field."+m.Field), m.Char)
	case m.Key == "insi.error.empty" || m.Key == "insi.error.format" || m.Key == "insi.error.shape":
		return t(ctx, m.Key, t(ctx, "insi.field."+m.Field))
	}
	return t(ctx, m.Key)
}

// TraitsConfirm is the normalised form shown before the search: what
// INSi will be sent, next to what was typed, nothing changed unseen.
type TraitsConfirm struct {
	// Typed is the form as the professional wrote it; Normalised what
	// INSi accepts.
	Typed, Normalised TraitsForm
	// BirthNameChanged and FirstNamesChanged mark a normalised name
	// that differs from the typed one.
	BirthNameChanged, FirstNamesChanged bool
	// BirthPlaceName is the commune of Normalised.BirthPlace, when known.
	BirthPlaceName string
	// Communes are the communes matching a typed name, to pick one;
	// NoCommune says a name was typed and none matched.
	Communes  []CommuneOption
	NoCommune bool
}

// CommuneOption is one commune of the birthplace picker.
type CommuneOption struct {
	Code, Name, Department string
	// Former marks a former code (Corsica before 1976, a merged commune).
	Former bool
}

// PatientIdentityView is a patient identity with its identity-vigilance status.
type PatientIdentityView struct {
	ID int64
	// Status is the effective RNIV code (PROV, RECUP, VALI, QUAL):
	// douteuse or fictive show as PROV.
	Status                      string
	Homonyme, Douteuse, Fictive bool
	BirthName, FirstGivenName   string
	GivenNames, Sex             string
	BirthDate                   time.Time
	BirthPlace, BirthPlaceName  string
	UsedName, UsedGivenName     string
	HasINS                      bool
	Matricule                   string // formatted "2 75 12 63 220 749 74"
	// MatriculeType is "NIR", "NIA", "NIR-TEST", "NIR-DEMO"; "" when the
	// OID is unknown. The INS of a NIR is the patient's own number: the
	// page's "Consulter les droits" asks ADRi for it with the date of birth
	// (rank 1); a child covered on a parent's number gets the form back.
	MatriculeType string
	OID           string
	Shareable     bool
	History       []INSHistoryRow
	SourceCode    string // CodeCR of the answer that retrieved it
	SourceAt      time.Time
	Qualification *QualificationView
	CanQualify    bool // récupérée, neither douteuse nor fictive
	Documents     []string
	Notice        string // one-time message key (qualified, marked, names saved)
	Error         string // message key of a refused action
	Location      *time.Location
}

// INSHistoryRow is one INS of INSHISTO, as INSi returned it.
type INSHistoryRow struct {
	Matricule, OID, Type string
	From, To             time.Time
}

// QualificationView says who checked which document, and when.
type QualificationView struct {
	Document string // FR Core mode-validation code
	By       string // the professional's name
	At       time.Time
}

// identityURL is the page of a patient identity.
func identityURL(id int64) string { return "/identite/" + strconv.FormatInt(id, 10) }
