package covercard

import (
	"fmt"
	"strings"
	"time"
)

// blockedCode is validCard for a card the insurer blocked.
const blockedCode = 67

func (w *wireResponse) result(now time.Time) (*Result, error) {
	if w.ValidCard == nil && w.Base == nil {
		return nil, fmt.Errorf("%w: neither validCard nor CH-Baseinformation", ErrMalformed)
	}
	res := &Result{QueryNumber: strings.TrimSpace(w.QueryNumber), CardNumber: strings.TrimSpace(w.CardNoVeka)}
	if w.ValidCard != nil {
		res.ValidCardCode = strings.TrimSpace(*w.ValidCard)
	}
	code, numeric := parseCode(res.ValidCardCode)
	switch {
	case numeric && code == blockedCode:
		res.Outcome = Blocked
		return res, nil
	case w.Base == nil:
		res.Outcome = UnknownCard
		return res, nil
	}
	invalid := res.ValidCardCode != "" && (!numeric || code != 0)
	person, err := w.Base.person()
	if err != nil {
		if invalid {
			// The card is not valid anyway: say so rather than fail on a
			// detail of data that is only shown for information.
			res.Outcome = Invalid
			return res, nil
		}
		return nil, err
	}
	res.Person = person
	switch {
	case invalid:
		// Another code than 0 and 67: the card is not valid, but, as
		// Elexis does, the person's data is kept and shown with the code's
		// meaning (CardCodeMeaning); only 67 withholds it.
		res.Outcome = Invalid
	case !person.CardExpiry.IsZero() && person.CardExpiry.Before(civilDay(now)):
		res.Outcome = Expired
	case person.KVG == nil:
		res.Outcome = VVGOnly
	default:
		res.Outcome = Valid
	}
	return res, nil
}

func (b *wireBase) person() (*InsuredPerson, error) {
	id, adm, nat := &b.Identification, &b.Administrative, &b.National
	p := &InsuredPerson{
		FamilyName:          strings.TrimSpace(id.OfficialName),
		GivenName:           strings.TrimSpace(id.FirstName),
		Sex:                 parseSex(id.Sex),
		AHVNumber:           strings.TrimSpace(id.AHV),
		Address:             nat.MailAddress.address(),
		InsurerName:         strings.TrimSpace(adm.InstitutionName),
		InsurerBAGNumber:    strings.TrimSpace(adm.InstitutionNumber),
		CardNumber:          strings.TrimSpace(adm.CardNumber),
		InsuredPersonNumber: strings.TrimSpace(adm.InsuredPersonNumber),
		InsuredNumber:       strings.TrimSpace(adm.InsuredNumber),
		InsurerContact:      nat.Insurer.contact(),
		CoverageRestriction: RestrictionUnknown,
	}
	var err error
	dates := []struct {
		field string
		value string
		into  *time.Time
	}{
		{"dateOfBirth", id.BirthDate, &p.BirthDate},
		{"expiryDate", adm.ExpiryDate, &p.CardExpiry},
		{"validityDate", b.Ofac.ValidityDate, &p.ValidityDate},
	}
	for _, d := range dates {
		if *d.into, err = parseDate(d.field, d.value); err != nil {
			return nil, err
		}
	}
	p.Debtor = b.debtor()
	if r := b.Ofac.CoverageRestriction; r != nil {
		p.CoverageRestriction = parseRestriction(*r)
	}
	if k := nat.KVG; k != nil && k.Base != nil && strings.TrimSpace(*k.Base) != "" {
		p.KVG = k.info()
	}
	for _, v := range nat.VVG {
		insurer, err := v.insurer()
		if err != nil {
			return nil, err
		}
		p.VVG = append(p.VVG, insurer)
	}
	return p, nil
}

func (k *wireKVG) info() *KVGInfo {
	canton := strings.TrimSpace(k.Canton)
	if canton == "" {
		canton = strings.TrimSpace(k.ForeignCountry)
	}
	model := ModelNone
	if n, ok := parseCode(k.Model); ok {
		model = KVGModel(n)
	}
	accident := AccidentUnknown
	if n, ok := parseCode(k.Accident); ok && (n == int(AccidentCovered) || n == int(AccidentNotCovered)) {
		accident = AccidentCoverage(n)
	}
	return &KVGInfo{
		Base:             strings.TrimSpace(*k.Base),
		Model:            model,
		ModelText:        strings.TrimSpace(k.ModelText),
		Canton:           canton,
		AccidentCoverage: accident,
		LanguageRegion:   strings.TrimSpace(k.LanguageRegion),
	}
}

func (v *wireVVGInsurer) insurer() (VVGInsurer, error) {
	expiry, err := parseDate("VVG expiryDate", v.ExpiryDate)
	if err != nil {
		return VVGInsurer{}, err
	}
	return VVGInsurer{
		Name:                strings.TrimSpace(v.Name),
		BAGNumber:           strings.TrimSpace(v.BAGNumber),
		CardNumber:          strings.TrimSpace(v.CardNumber),
		InsuredPersonNumber: strings.TrimSpace(v.InsuredPersonNumber),
		InsuredNumber:       strings.TrimSpace(v.InsuredNumber),
		Expiry:              expiry,
		Contact:             v.Insurer.contact(),
	}, nil
}

func (i *wireInsurer) contact() Contact {
	c := Contact{
		Phone: composePhone(i.Phone.InternationalCode, i.Phone.LocalCode, i.Phone.Number),
		Email: strings.TrimSpace(i.Email),
		EAN:   strings.TrimSpace(i.EAN),
	}
	if i.Billing != nil {
		if a := i.Billing.address(); a != (Address{}) {
			c.BillingAddress = &a
		}
	}
	return c
}

func (a *wireAddress) address() Address {
	return Address{
		Line1:   strings.TrimSpace(a.Line1),
		ZipCode: strings.TrimSpace(a.ZipCode),
		Town:    strings.TrimSpace(a.Town),
		Country: strings.TrimSpace(a.Country),
	}
}

// debtor is the bill's addressee from ofacExtension, nil when the answer
// names none.
func (b *wireBase) debtor() *Debtor {
	var d Debtor
	if n := b.Ofac.DebtorName; n != nil {
		d.FamilyName, d.GivenName = strings.TrimSpace(n.OfficialName), strings.TrimSpace(n.FirstName)
	}
	if a := b.Ofac.DebtorAddress; a != nil {
		d.Address = a.address()
	}
	if d == (Debtor{}) {
		return nil
	}
	return &d
}

// composePhone writes "+41 32 723 45 67" from the international code, the
// area code and the number; without an international code, the parts
// as sent.
func composePhone(international, local, number string) string {
	international = strings.TrimLeft(strings.TrimSpace(international), "+")
	international = strings.TrimPrefix(international, "00")
	local, number = strings.TrimSpace(local), strings.TrimSpace(number)
	if number == "" {
		return ""
	}
	parts := make([]string, 0, 3)
	if international != "" {
		parts = append(parts, "+"+international)
		local = strings.TrimLeft(local, "0") // no trunk prefix after a country code
	}
	if local != "" {
		parts = append(parts, local)
	}
	return strings.Join(append(parts, number), " ")
}
