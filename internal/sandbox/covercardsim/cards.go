package covercardsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"time"
)

// Scenario is what a test card demonstrates.
type Scenario string

// Scenarios of the test cards.
const (
	// ScenarioValid: a valid card with basic (KVG) insurance, maybe VVG too.
	ScenarioValid Scenario = "valid"
	// ScenarioBlocked: validCard 67, the insurer blocked the card.
	ScenarioBlocked Scenario = "blocked"
	// ScenarioVVGOnly: supplementary insurance only (no KVGBase).
	ScenarioVVGOnly Scenario = "vvg_only"
	// ScenarioExpired: validCard 0 but an expiry date in the past.
	ScenarioExpired Scenario = "expired"
	// ScenarioUnknown: no CH-Baseinformation, as for a number no insurer knows.
	ScenarioUnknown Scenario = "unknown"
	// ScenarioMalformed: the answer is not well-formed XML.
	ScenarioMalformed Scenario = "malformed"
	// ScenarioInvalid: a validCard code other than 0 and 67 (valid_card),
	// with the person's data, which a client keeps and shows.
	ScenarioInvalid Scenario = "invalid"
)

// Card is a test insurance card and what Covercard knows about it.
type Card struct {
	Number   string   `json:"number"`
	Scenario Scenario `json:"scenario"`
	// Note says what the card is for, for presenters.
	Note string `json:"note,omitempty"`
	// ValidCard overrides the scenario's validCard code.
	ValidCard string  `json:"valid_card,omitempty"`
	Person    *Person `json:"person,omitempty"`
}

// Person is the insured person and their insurance.
type Person struct {
	OfficialName        string  `json:"official_name"`
	FirstName           string  `json:"first_name"`
	BirthDate           string  `json:"birth_date"` // YYYY-MM-DD
	AHV                 string  `json:"ahv"`        // 13 digits, 756...
	Sex                 int     `json:"sex"`        // 1 female, 2 male, 0 unknown, 9 undefined
	Address             Address `json:"address"`
	Insurer             Insurer `json:"insurer"`
	InsuredPersonNumber string  `json:"insured_person_number"`
	InsuredNumber       string  `json:"insured_number"`
	CardExpiry          string  `json:"card_expiry"` // YYYY-MM-DD
	KVG                 *KVG    `json:"kvg,omitempty"`
	// LanguageRegion (1 German, 2 French, 3 Italian) is sent in a
	// KVGInformation without KVGBase when the person has no KVG data.
	LanguageRegion string `json:"language_region,omitempty"`
	VVG            []VVG  `json:"vvg,omitempty"`
	// CoverageRestriction: 00 none, 01-03 "tiers garant" restrictions, 04 suspended.
	CoverageRestriction string `json:"coverage_restriction"`
	// Debtor receives the bill when it is not the insured person
	// (ofacExtension/debNomAddress and debmailAddress).
	Debtor *Debtor `json:"debtor,omitempty"`
}

// Debtor is who receives the practitioner's bill.
type Debtor struct {
	OfficialName string  `json:"official_name"`
	FirstName    string  `json:"first_name"`
	Address      Address `json:"address"`
}

// Address is the person's mail address.
type Address struct {
	Line1   string `json:"line1"`
	ZipCode string `json:"zip"`
	Town    string `json:"town"`
	Country string `json:"country"`
}

// Insurer is a health insurer (KVG) or a supplementary insurer (VVG).
type Insurer struct {
	Name      string `json:"name"`
	BAGNumber string `json:"bag_number"`
	Phone     Phone  `json:"phone"`
	Email     string `json:"email,omitempty"`
	EAN       string `json:"ean,omitempty"`
	// BillingAddress is where bills to the insurer go.
	BillingAddress *Address `json:"billing_address,omitempty"`
}

// Phone is contactNumberGerman's attributes.
type Phone struct {
	International string `json:"international"`
	Local         string `json:"local"`
	Number        string `json:"number"`
}

// KVG is the basic insurance. Model is 01 standard, 02 family doctor,
// 03 HMO, 04 list/PPO, 05 other, 99 unknown; the text follows langue.
type KVG struct {
	LanguageRegion   string `json:"language_region"`
	Model            string `json:"model"`
	Canton           string `json:"canton"`
	AccidentCoverage string `json:"accident_coverage"` // 01 yes, 02 no, 99 unknown
}

// VVG is one supplementary insurance.
type VVG struct {
	Insurer       Insurer `json:"insurer"`
	InsuredNumber string  `json:"insured_number"`
	Expiry        string  `json:"expiry"`
}

var (
	cardNumberPattern = regexp.MustCompile(`^80756\d{15}$`)
	ahvPattern        = regexp.MustCompile(`^756\d{10}$`)
	twoDigits         = regexp.MustCompile(`^\d{2}$`)
)

// LoadCards reads a JSON array of cards from fsys and checks them.
func LoadCards(fsys fs.FS, name string) ([]Card, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("covercardsim: reading cards: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var cards []Card
	if err := dec.Decode(&cards); err != nil {
		return nil, fmt.Errorf("covercardsim: %s: %w", name, err)
	}
	if err := checkCards(cards); err != nil {
		return nil, fmt.Errorf("covercardsim: %s: %w", name, err)
	}
	return cards, nil
}

func checkCards(cards []Card) error {
	var errs []error
	seen := map[string]bool{}
	for _, c := range cards {
		if !cardNumberPattern.MatchString(c.Number) {
			errs = append(errs, fmt.Errorf("card %q: not a Swiss card number (80756 and 15 digits)", c.Number))
		}
		if seen[c.Number] {
			errs = append(errs, fmt.Errorf("card %s: listed twice", c.Number))
		}
		seen[c.Number] = true
		if err := c.check(); err != nil {
			errs = append(errs, fmt.Errorf("card %s: %w", c.Number, err))
		}
	}
	return errors.Join(errs...)
}

func (c Card) check() error {
	switch c.Scenario {
	case ScenarioValid, ScenarioExpired:
		if c.Person == nil || c.Person.KVG == nil {
			return fmt.Errorf("scenario %s needs a person with KVG data", c.Scenario)
		}
	case ScenarioVVGOnly:
		if c.Person == nil || c.Person.KVG != nil || len(c.Person.VVG) == 0 {
			return errors.New("scenario vvg_only needs a person with VVG and without KVG data")
		}
	case ScenarioUnknown:
		if c.Person != nil {
			return errors.New("scenario unknown carries no person")
		}
	case ScenarioInvalid:
		if c.Person == nil || c.ValidCard == "" || c.ValidCard == validCardOK || c.ValidCard == validCardBlocked {
			return errors.New("scenario invalid needs a person and a valid_card other than 0 and 67")
		}
	case ScenarioBlocked, ScenarioMalformed:
	default:
		return fmt.Errorf("unknown scenario %q", c.Scenario)
	}
	if c.Person == nil {
		return nil
	}
	return c.Person.check()
}

func (p *Person) check() error {
	var errs []error
	if p.OfficialName == "" || p.FirstName == "" {
		errs = append(errs, errors.New("name is required"))
	}
	if !validAHV(p.AHV) {
		errs = append(errs, fmt.Errorf("AHV number %q is not 756 and 10 digits with a valid check digit", p.AHV))
	}
	switch p.Sex {
	case 0, 1, 2, 9:
	default:
		errs = append(errs, fmt.Errorf("sex %d is not 0, 1, 2 or 9", p.Sex))
	}
	for field, d := range map[string]string{"birth_date": p.BirthDate, "card_expiry": p.CardExpiry} {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			errs = append(errs, fmt.Errorf("%s %q is not YYYY-MM-DD", field, d))
		}
	}
	if !twoDigits.MatchString(p.CoverageRestriction) {
		errs = append(errs, fmt.Errorf("coverage_restriction %q is not two digits", p.CoverageRestriction))
	}
	if k := p.KVG; k != nil {
		if !twoDigits.MatchString(k.Model) || !twoDigits.MatchString(k.AccidentCoverage) {
			errs = append(errs, errors.New("KVG model and accident coverage are two-digit codes"))
		}
	}
	return errors.Join(errs...)
}

// validAHV checks a 13-digit AHV/AVS number and its EAN-13 check digit.
func validAHV(s string) bool {
	if !ahvPattern.MatchString(s) {
		return false
	}
	sum := 0
	for i := range 12 {
		d := int(s[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return int(s[12]-'0') == (10-sum%10)%10
}
