package covercard

import "time"

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
