package rightssim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"
)

// Beneficiary is a test beneficiary and the rights the simulator gives
// for it, keyed by (AssureNIR, BirthDate, Rank).
type Beneficiary struct {
	ID string `json:"id"`
	// Source says where the values come from: a public test case, or
	// invented for the demo.
	Source string `json:"source"`
	// Note says what the record shows, per language (fr, de, en).
	Note Text `json:"note,omitempty"`
	// AssureNIR is the assuré's NIR, 13 characters without key (for a
	// child, a parent's).
	AssureNIR string `json:"assure_nir"`
	BirthDate string `json:"birth_date"` // YYYY-MM-DD
	Rank      int    `json:"rank"`
	Quality   string `json:"quality"`
	// CertifiedNIR is the beneficiary's own NIR with key (15), if any.
	CertifiedNIR string   `json:"certified_nir,omitempty"`
	UsualName    string   `json:"usual_name"`
	BirthName    string   `json:"birth_name"`
	GivenName    string   `json:"given_name"`
	Address      []string `json:"address,omitempty"`

	Regime      string `json:"regime"`
	RegimeLabel string `json:"regime_label,omitempty"`
	Caisse      string `json:"caisse"`
	CaisseLabel string `json:"caisse_label,omitempty"`
	Centre      string `json:"centre,omitempty"`

	AMO           []Period        `json:"amo,omitempty"`
	Coverage      []Coverage      `json:"coverage,omitempty"`
	Complementary []Complementary `json:"complementary,omitempty"`
	Attending     *Attending      `json:"attending,omitempty"`
}

// Text is a message per language.
type Text map[string]string

// In returns the text in lang, else French.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	return t["fr"]
}

// Period is a span of dates; End empty is open.
type Period struct {
	Start string `json:"start"`
	End   string `json:"end,omitempty"`
}

// Coverage is an exonération period.
type Coverage struct {
	Group     string `json:"group,omitempty"`
	Start     string `json:"start"`
	End       string `json:"end,omitempty"`
	ALD       string `json:"ald,omitempty"`
	Situation string `json:"situation,omitempty"`
	Nature    string `json:"nature,omitempty"` // AM, MAT, AT
}

// Complementary is a C2S, AME or mutuelle (AMC) cover.
type Complementary struct {
	Kind    string   `json:"kind"` // C2S, AME, AMC
	Number  string   `json:"number,omitempty"`
	Label   string   `json:"label,omitempty"`
	Periods []Period `json:"periods"`
}

// Attending is the médecin traitant.
type Attending struct {
	Declared bool   `json:"declared"`
	Name     string `json:"name,omitempty"`
}

// DisplayName is "GIVEN USUAL" for the index.
func (b Beneficiary) DisplayName() string { return b.GivenName + " " + b.UsualName }

// LoadBeneficiaries reads and checks the test beneficiaries.
func LoadBeneficiaries(fsys fs.FS, name string) ([]Beneficiary, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("rightssim: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var out []Beneficiary
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("rightssim: %s: %w", name, err)
	}
	if err := checkBeneficiaries(out); err != nil {
		return nil, fmt.Errorf("rightssim: %s: %w", name, err)
	}
	return out, nil
}

type key struct {
	nir, birth string
	rank       int
}

func (b Beneficiary) key() key { return key{b.AssureNIR, b.BirthDate, b.Rank} }

func checkBeneficiaries(bs []Beneficiary) error {
	ids, keys := map[string]bool{}, map[key]string{}
	for _, b := range bs {
		if err := b.check(); err != nil {
			return fmt.Errorf("beneficiary %q: %w", b.ID, err)
		}
		if ids[b.ID] {
			return fmt.Errorf("beneficiary %q twice", b.ID)
		}
		ids[b.ID] = true
		if other, dup := keys[b.key()]; dup {
			return fmt.Errorf("beneficiaries %q and %q share NIR, date of birth and rank", other, b.ID)
		}
		keys[b.key()] = b.ID
	}
	return nil
}

func (b Beneficiary) check() error {
	switch {
	case b.ID == "":
		return errors.New("no id")
	case !validNIR(b.AssureNIR):
		return errors.New("assure_nir is not a 13-character NIR")
	case b.CertifiedNIR != "" && !validNIRWithKey(b.CertifiedNIR):
		return errors.New("certified_nir is not a NIR with its key")
	case !validDate(b.BirthDate):
		return errors.New("birth_date is not YYYY-MM-DD")
	case b.Rank < 1 || b.Rank > 9:
		return errors.New("rank not in 1–9")
	case len(b.Quality) != 1 || !allDigits(b.Quality):
		return errors.New("quality is not one digit")
	case b.UsualName == "" || b.GivenName == "":
		return errors.New("no name")
	case len(b.Regime) != 2 || !allDigits(b.Regime):
		return errors.New("regime is not 2 digits")
	case len(b.Caisse) != 3 || !allDigits(b.Caisse):
		return errors.New("caisse is not 3 digits")
	}
	for _, p := range b.AMO {
		if err := checkPeriod(p.Start, p.End); err != nil {
			return fmt.Errorf("amo: %w", err)
		}
	}
	for _, c := range b.Coverage {
		if err := checkPeriod(c.Start, c.End); err != nil {
			return fmt.Errorf("coverage: %w", err)
		}
		switch c.Nature {
		case "", "AM", "MAT", "AT":
		default:
			return fmt.Errorf("coverage nature %q", c.Nature)
		}
	}
	for _, c := range b.Complementary {
		switch c.Kind {
		case "C2S", "AME", "AMC":
		default:
			return fmt.Errorf("complementary kind %q", c.Kind)
		}
		for _, p := range c.Periods {
			if err := checkPeriod(p.Start, p.End); err != nil {
				return fmt.Errorf("complementary: %w", err)
			}
		}
	}
	for _, l := range []string{"fr", "de", "en"} {
		if len(b.Note) > 0 && b.Note[l] == "" {
			return fmt.Errorf("note has no %s text", l)
		}
	}
	return nil
}

func checkPeriod(start, end string) error {
	if !validDate(start) || (end != "" && !validDate(end)) {
		return errors.New("dates are not YYYY-MM-DD")
	}
	if end != "" && end < start {
		return errors.New("period ends before it starts")
	}
	return nil
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validNIR checks the shape of 13 characters: digits, "2A"/"2B" allowed
// as department. The simulator keeps its own check: it imports nothing
// of the portal.
func validNIR(s string) bool {
	if len(s) != 13 {
		return false
	}
	if s[5:7] == "2A" || s[5:7] == "2B" {
		return allDigits(s[:5]) && allDigits(s[7:])
	}
	return allDigits(s)
}

// validNIRWithKey checks 13 characters and their key, 97 − (n mod 97),
// with 2A and 2B counted as 19 and 18.
func validNIRWithKey(s string) bool {
	return len(s) == 15 && validNIR(s[:13]) && allDigits(s[13:]) && keyOf(s[:13]) == s[13:]
}

func keyOf(body string) string {
	switch body[5:7] {
	case "2A":
		body = body[:5] + "19" + body[7:]
	case "2B":
		body = body[:5] + "18" + body[7:]
	}
	n := 0
	for i := range len(body) {
		n = (n*10 + int(body[i]-'0')) % 97
	}
	k := 97 - n
	return string([]byte{byte('0' + k/10), byte('0' + k%10)})
}
