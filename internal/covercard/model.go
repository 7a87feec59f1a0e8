package covercard

import (
	"strconv"
	"strings"
	"time"
)

// Outcome is what Covercard said about a card, in the order it is
// decided: a blocked card says nothing more; a card without base
// information is unknown; another non-zero validCard is invalid; an
// expired card is expired even when it would be VVG only.
type Outcome int

// Outcomes of a lookup.
const (
	// Valid: the card is valid and carries basic (KVG) insurance.
	Valid Outcome = iota
	// Blocked: validCard 67, the insurer blocked the card; the person is
	// asked to contact the insurer. No personal data is kept.
	Blocked
	// Expired: the card's expiry date is before today.
	Expired
	// UnknownCard: no CH-Baseinformation, Covercard does not know the card.
	UnknownCard
	// VVGOnly: no KVGBase, the card carries supplementary (VVG) insurance
	// only.
	VVGOnly
	// Invalid: any other non-zero validCard; Result.ValidCardCode keeps
	// it and CardCodeMeaning says what it means. As Elexis does, the
	// person's data is kept (Result.Person) when the answer carries it.
	Invalid
)

// String returns a stable machine name, used in the audit table and in
// metrics: "valid", "blocked", "expired", "unknown", "vvg_only", "invalid".
func (o Outcome) String() string {
	switch o {
	case Valid:
		return "valid"
	case Blocked:
		return "blocked"
	case Expired:
		return "expired"
	case UnknownCard:
		return "unknown"
	case VVGOnly:
		return "vvg_only"
	case Invalid:
		return "invalid"
	}
	return "outcome(" + strconv.Itoa(int(o)) + ")"
}

// Result is a decoded Covercard answer.
type Result struct {
	Outcome Outcome
	// ValidCardCode is validCard as sent ("0", "67"...), empty when absent.
	ValidCardCode string
	// Person is the insured person for Valid, Expired, VVGOnly and, when
	// the answer carries it, Invalid; nil otherwise.
	Person *InsuredPerson
	// QueryNumber is Covercard's reference for the query, for support calls.
	QueryNumber string
	// CardNumber is the card the answer is about (cardNoVeka), as sent.
	CardNumber string
}

// InsuredPerson is the card holder and their insurance, as Covercard
// describes them. Dates are civil dates at midnight UTC; zero when absent.
type InsuredPerson struct {
	FamilyName, GivenName string
	BirthDate             time.Time
	Sex                   Sex
	// AHVNumber is the 13-digit Swiss social security number (AHV/AVS,
	// 756...) as sent; see AHVFormatted.
	AHVNumber string
	Address   Address

	InsurerName string
	// InsurerBAGNumber is the insurer's number at the Federal Office of
	// Public Health (BAG/OFSP).
	InsurerBAGNumber    string
	CardNumber          string
	InsuredPersonNumber string
	InsuredNumber       string
	CardExpiry          time.Time

	// KVG is the basic insurance; nil when the card is VVG only.
	KVG *KVGInfo
	// VVG lists the supplementary insurers.
	VVG            []VVGInsurer
	InsurerContact Contact

	CoverageRestriction Restriction
	// ValidityDate is the date up to which Covercard vouches for this
	// information.
	ValidityDate time.Time
	// Debtor is who receives the bill when it is not the insured person;
	// nil when the answer names none. See Invoicing.
	Debtor *Debtor
}

// AHVFormatted groups a 13-digit AHV number as printed: 756.1234.5678.97.
// Anything else is returned as sent.
func (p *InsuredPerson) AHVFormatted() string {
	n := p.AHVNumber
	if len(n) != 13 || !allDigits(n) {
		return n
	}
	return n[:3] + "." + n[3:7] + "." + n[7:11] + "." + n[11:]
}

// Address is the insured person's postal address.
type Address struct {
	Line1, ZipCode, Town, Country string
}

// Contact is how to reach an insurer.
type Contact struct {
	// Phone is composed from the contactNumberGerman attributes:
	// "+41 32 723 45 67" when an international code is given.
	Phone string
	Email string
	// EAN is the insurer's GLN/EAN number, used for electronic billing.
	EAN string
	// BillingAddress is where bills to the insurer go
	// (insurerInformation/billingAddress); nil when not sent.
	BillingAddress *Address
}

// Debtor is who receives the practitioner's bill when it is not the
// insured person (ofacExtension/debNomAddress and debmailAddress).
type Debtor struct {
	FamilyName, GivenName string
	Address               Address
}

// InvoicingMode is how the practitioner bills this patient. No source
// names an element carrying it: it is derived from what the answer says.
type InvoicingMode int

// Invoicing modes.
const (
	// InvoicingNotStated: the answer says nothing about billing.
	InvoicingNotStated InvoicingMode = iota
	// InvoicingTiersGarant: medicalServiceCoverageRestriction 01–03; the
	// patient pays the practitioner and is reimbursed by the insurer.
	InvoicingTiersGarant
	// InvoicingDebtor: the bill goes to the debtor the answer names.
	InvoicingDebtor
)

// String returns a stable description key: "not_stated",
// "tiers_garant" or "debtor".
func (m InvoicingMode) String() string {
	switch m {
	case InvoicingTiersGarant:
		return "tiers_garant"
	case InvoicingDebtor:
		return "debtor"
	}
	return "not_stated"
}

// Invoicing tells how to bill: tiers garant when the insurer restricts
// benefits so, else to the named debtor, else not stated.
func (p *InsuredPerson) Invoicing() InvoicingMode {
	switch {
	case p.CoverageRestriction.String() == "tiers_garant":
		return InvoicingTiersGarant
	case p.Debtor != nil:
		return InvoicingDebtor
	}
	return InvoicingNotStated
}

// CardCodeMeaning says what a validCard code means, as a stable
// description key. Covercard publishes no list of codes (the reference
// found none): 0 is a valid card, 67 a card blocked by the insurer
// ("contact the insurer"); any other number means the card is not valid
// for a reason Covercard does not name here.
//
//	""            → "absent"
//	"0", "00"     → "valid"
//	"67"          → "blocked"
//	other digits  → "not_valid"
//	anything else → "unreadable"
func CardCodeMeaning(code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return "absent"
	}
	n, ok := parseCode(code)
	switch {
	case !ok:
		return "unreadable"
	case n == 0:
		return "valid"
	case n == blockedCode:
		return "blocked"
	}
	return "not_valid"
}

// KVGInfo is the basic (compulsory, KVG/LAMal) insurance.
type KVGInfo struct {
	// Base is KVGBase as sent.
	Base  string
	Model KVGModel
	// ModelText is the insurer's own name for the model, in the language
	// of the query.
	ModelText string
	// Canton is the canton of residence ("NE") or, for insured people
	// living abroad, the country.
	Canton           string
	AccidentCoverage AccidentCoverage
	LanguageRegion   string
}

// VVGInsurer is one supplementary (VVG/LCA) insurance.
type VVGInsurer struct {
	Name                string
	BAGNumber           string
	CardNumber          string
	InsuredPersonNumber string
	InsuredNumber       string
	Expiry              time.Time
	Contact             Contact
}

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
