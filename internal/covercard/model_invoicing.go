package covercard

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
