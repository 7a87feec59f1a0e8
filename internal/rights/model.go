package rights

import "time"

// Rights is what ADRi says of one beneficiary's rights, "à la date du"
// ReferenceDate.
type Rights struct {
	// MessageID is the request's wsa:MessageID, for the audit trail.
	MessageID string
	// ResponseDate is when the service answered (dateReponse).
	ResponseDate time.Time
	// ReferenceDate is the date the rights are given at.
	ReferenceDate time.Time

	Beneficiary Beneficiary
	// Regime, Caisse and Centre are the AMO organisation (infosGlobales:
	// codeRegime, codeCaisse, centrePrestation); the labels are empty
	// when the service gives none.
	Regime, RegimeLabel string
	Caisse, CaisseLabel string
	Centre              string

	// AMO lists the periods of basic (AMO) rights (lstPeriodeAMO).
	AMO []Period
	// Coverage lists the exonération periods (lstPeriodeCodeCouverture).
	Coverage []CoveragePeriod
	// Complementary lists C2S, AME and mutuelle contracts.
	Complementary []Complementary
	// AttendingDoctor is the declared médecin traitant.
	AttendingDoctor AttendingDoctor
}

// Beneficiary is the person the rights are about (beneficiaireDeSoins).
type Beneficiary struct {
	UsualName string // nomUsuel
	BirthName string // nomPatronymique
	GivenName string // prenom
	Address   []string
	// CertifiedNIR and CertifiedNIRKey are the beneficiary's own NIR
	// (noNIRCertifie) when the CNAM has certified it; empty otherwise.
	CertifiedNIR, CertifiedNIRKey string
	BirthDate                     time.Time
	Rank                          int    // rang de naissance (rangGemellaire), 1–9
	Quality                       string // qualité: code, "0" = the assuré himself
}

// Period is a span of dates, both ends included; a zero End is open.
type Period struct {
	Start, End time.Time
}

// Contains reports whether the day d falls in the period.
func (p Period) Contains(d time.Time) bool {
	d = day(d)
	if !p.Start.IsZero() && d.Before(day(p.Start)) {
		return false
	}
	return p.End.IsZero() || !d.After(day(p.End))
}

// Open reports whether the period has no end.
func (p Period) Open() bool { return p.End.IsZero() }

// CoveragePeriod is an exonération: ALD, situation, nature d'assurance.
type CoveragePeriod struct {
	Period
	Group         string // groupe
	ALDCode       string // codeALD
	SituationCode string // codeSituation
	// Nature is the nature d'assurance: "AM" maladie, "MAT" maternité,
	// "AT" accident du travail (InfoPatient's codes, see response.go).
	Nature string
}

// ComplementaryKind says which complementary cover a contract is.
type ComplementaryKind string

// Kinds of complementary cover.
const (
	C2S      ComplementaryKind = "C2S" // complémentaire santé solidaire (ex CMU-C, ACS)
	AME      ComplementaryKind = "AME" // aide médicale de l'État
	Mutuelle ComplementaryKind = "AMC" // a mutuelle or insurer, by its n° AMC
)

// Complementary is one complementary cover.
type Complementary struct {
	Kind    ComplementaryKind
	Number  string // noIdentification: the n° AMC
	Label   string
	Periods []Period // periodeMutuelle
}

// AttendingDoctor is the médecin traitant: whether one is declared
// (topMedecinTraitant) and, when given, the name.
type AttendingDoctor struct {
	Declared bool
	Name     string
}

// AMOAt returns the AMO period containing d.
func (r *Rights) AMOAt(d time.Time) (Period, bool) { return periodAt(r.AMO, d) }

// OpenAt reports whether basic rights are open on d.
func (r *Rights) OpenAt(d time.Time) bool {
	_, ok := r.AMOAt(d)
	return ok
}

// Open reports whether basic rights are open at the reference date:
// "droits ouverts à la date du …".
func (r *Rights) Open() bool { return r.OpenAt(r.ReferenceDate) }

// CoverageAt lists the exonérations in force on d.
func (r *Rights) CoverageAt(d time.Time) []CoveragePeriod {
	var out []CoveragePeriod
	for _, c := range r.Coverage {
		if c.Contains(d) {
			out = append(out, c)
		}
	}
	return out
}

// ComplementaryAt lists the complementary covers in force on d.
func (r *Rights) ComplementaryAt(d time.Time) []Complementary {
	var out []Complementary
	for _, c := range r.Complementary {
		if _, ok := periodAt(c.Periods, d); ok {
			out = append(out, c)
		}
	}
	return out
}

// HasALDAt reports whether an ALD exonération is in force on d.
func (r *Rights) HasALDAt(d time.Time) bool {
	for _, c := range r.CoverageAt(d) {
		if c.ALDCode != "" {
			return true
		}
	}
	return false
}

func periodAt(ps []Period, d time.Time) (Period, bool) {
	for _, p := range ps {
		if p.Contains(d) {
			return p, true
		}
	}
	return Period{}, false
}

// day is d's calendar date at midnight UTC, so that dates compare as days.
func day(d time.Time) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}
