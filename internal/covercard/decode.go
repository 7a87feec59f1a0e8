package covercard

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Decode reads a Covercard answer (ReturnType 42a) and judges it as of
// now. See DecodeAt.
func Decode(r io.Reader, contentType string) (*Result, error) {
	return DecodeAt(r, contentType, time.Now())
}

// DecodeAt reads a Covercard answer and judges it as of now: a card whose
// expiry date is before now's calendar day, in now's location, is
// Expired. It reads r to the end; bound r when it comes from the network.
//
// The document may be in UTF-8, windows-1252 or ISO-8859-1 (see toUTF8)
// and may carry a DOCTYPE: it is skipped, never fetched, and entities are
// not expanded (a reference to one is an error), so external entities
// cannot read files or reach the network. Any error wraps ErrMalformed
// and never quotes the document's text.
func DecodeAt(r io.Reader, contentType string, now time.Time) (*Result, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: reading: %w", ErrMalformed, err)
	}
	body, err := toUTF8(raw, contentType)
	if err != nil {
		return nil, err
	}
	var w wireResponse
	if err := unmarshalDocument(body, &w); err != nil {
		return nil, err
	}
	return w.result(now)
}

// unmarshalDocument decodes the single root element of body into v,
// refusing text or a second element around it.
func unmarshalDocument(body []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	// body is already UTF-8: the declaration's label is history.
	d.CharsetReader = func(_ string, input io.Reader) (io.Reader, error) { return input, nil }
	root, err := nextElement(d)
	if err != nil {
		return err
	}
	if root == nil {
		return fmt.Errorf("%w: no root element", ErrMalformed)
	}
	if err := d.DecodeElement(v, root); err != nil {
		return malformed(err)
	}
	if extra, err := nextElement(d); err != nil {
		return err
	} else if extra != nil {
		return fmt.Errorf("%w: content after the root element", ErrMalformed)
	}
	return nil
}

// nextElement skips the prolog or epilogue (declaration, DOCTYPE,
// comments, white space) and returns the next start element, or nil at
// the end of the document.
func nextElement(d *xml.Decoder) (*xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		if err != nil {
			return nil, malformed(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return &t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("%w: text outside the root element", ErrMalformed)
			}
		case xml.EndElement:
			return nil, fmt.Errorf("%w: unexpected end element", ErrMalformed)
		}
	}
}

// malformed wraps a decoding error. encoding/xml's syntax errors describe
// markup, not content, so they are safe to keep.
func malformed(err error) error {
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("%w: line %d: %s", ErrMalformed, syn.Line, syn.Msg)
	}
	return fmt.Errorf("%w: %w", ErrMalformed, err)
}

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

// parseDate reads YYYY-MM-DD, tolerating a time or zone suffix
// ("2030-12-31T00:00:00", "2030-12-31+01:00"). Empty gives the zero time.
// The error names the field, never the value.
func parseDate(field, value string) (time.Time, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return time.Time{}, nil
	}
	if len(value) > len(time.DateOnly) && !strings.ContainsRune("T +-Z", rune(value[len(time.DateOnly)])) {
		return time.Time{}, fmt.Errorf("%w: %s is not a date", ErrMalformed, field)
	}
	d, err := time.Parse(time.DateOnly, value[:min(len(value), len(time.DateOnly))])
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %s is not a date", ErrMalformed, field)
	}
	return d, nil
}

// civilDay returns now's calendar day, in now's location, as midnight UTC
// to compare with the dates parseDate returns.
func civilDay(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// parseCode reads a numeric code such as "0", "02" or "67".
func parseCode(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if !allDigits(s) || len(s) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func parseSex(s string) Sex {
	switch n, _ := parseCode(s); n {
	case int(SexFemale):
		return SexFemale
	case int(SexMale):
		return SexMale
	}
	return SexUnknown
}

func parseRestriction(s string) Restriction {
	n, ok := parseCode(s)
	if !ok || n > int(RestrictionSuspended) {
		return RestrictionUnknown
	}
	return Restriction(n)
}
