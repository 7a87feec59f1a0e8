package views

import (
	"context"
	"time"

	"github.com/infopatient/infopatient/internal/i18n"
)

// FrenchRightsView is what the French patient page shows of an ADRi
// answer (reference §5.4, block « Droits (AMO/AMC) »). web builds it.
type FrenchRightsView struct {
	// Share is what the page says of context sharing (the beneficiary's
	// INS, when identity vigilance allows it); nil when not offered.
	Share *ShareOffer
	// AssureNIR is the assuré's NIR as asked (for a child, the parent's),
	// formatted.
	AssureNIR string
	// ReferenceDate is the date the rights are given at; Answered when
	// the service answered.
	ReferenceDate, Answered time.Time
	// Open says whether an AMO period contains the reference date.
	Open bool

	Beneficiary RightsBeneficiary
	// Regime, Caisse and Centre are codes; the labels are the service's
	// (empty when it gives none: no code list is public).
	Regime, RegimeLabel string
	Caisse, CaisseLabel string
	Centre              string

	AMO           []RightsPeriod
	Coverage      []RightsCoverage
	Complementary []RightsComplementary
	// ALDNow lists the ALD codes in force on the reference date.
	ALDNow []string

	DoctorDeclared bool
	DoctorName     string

	// RetrieveINS prefills the INSi search by traits with what the answer
	// knows (posted, so that no trait is ever in a URL).
	RetrieveINS TraitsPrefill
}

// TraitsPrefill is what a page knows of a patient's birth traits, handed
// to the search by traits (POST /identification/traits, step "edit").
type TraitsPrefill struct {
	BirthName, FirstNames string
	BirthDate             string // YYYY-MM-DD
}

// RightsBeneficiary is the person the rights are about.
type RightsBeneficiary struct {
	UsualName, BirthName, GivenName string
	Address                         []string
	BirthDate                       time.Time
	// Age is in whole years at the reference date (-1 when unknown).
	Age  int
	Rank int
	// Quality is the qualité code ("0" the assuré, "6" a child).
	Quality string
	// CertifiedNIR is the beneficiary's certified NIR, formatted, if any.
	CertifiedNIR string
}

// RightsPeriod is one period of rights; Current when it contains the
// reference date. A zero End is open-ended.
type RightsPeriod struct {
	Start, End time.Time
	Current    bool
}

// RightsCoverage is one exonération period.
type RightsCoverage struct {
	RightsPeriod
	ALDCode, SituationCode, Group string
	// Nature is "AM", "MAT" or "AT" (InfoPatient's codes), or "".
	Nature string
}

// RightsComplementary is one complementary cover: Kind "C2S", "AME" or
// "AMC" (a mutuelle).
type RightsComplementary struct {
	Kind, Number, Label string
	Periods             []RightsPeriod
	Current             bool
}

// Name is the name the page shows first: the usual name, else the birth
// name, then the given name.
func (b RightsBeneficiary) Name() string {
	n := b.UsualName
	if n == "" {
		n = b.BirthName
	}
	if b.GivenName != "" {
		n += " " + b.GivenName
	}
	return n
}

// qualityLabel names a qualité code where a source names it; "" else
// (the code alone is shown).
func qualityLabel(ctx context.Context, code string) string {
	switch code {
	case "0":
		return t(ctx, "rights.quality.assure")
	case "6":
		return t(ctx, "rights.quality.child")
	}
	return ""
}

// natureLabel names a nature d'assurance.
func natureLabel(ctx context.Context, code string) string {
	switch code {
	case "AM":
		return t(ctx, "rights.nature.maladie")
	case "MAT":
		return t(ctx, "rights.nature.maternite")
	case "AT":
		return t(ctx, "rights.nature.accident")
	}
	return code
}

// complementaryLabel names a kind of complementary cover.
func complementaryLabel(ctx context.Context, kind string) string {
	switch kind {
	case "C2S":
		return t(ctx, "rights.complementary.c2s")
	case "AME":
		return t(ctx, "rights.complementary.ame")
	}
	return t(ctx, "rights.complementary.amc")
}

// periodString says a period in words: "du 1 janv. 2020 au …", "depuis le …".
func periodString(ctx context.Context, p RightsPeriod) string {
	l := i18n.From(ctx)
	start := t(ctx, "rights.period.no_start")
	if !p.Start.IsZero() {
		start = l.Date(p.Start)
	}
	if p.End.IsZero() {
		return t(ctx, "rights.period.since", start)
	}
	return t(ctx, "rights.period.range", start, l.Date(p.End))
}
