package insisim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
)

// Identity is a public INSi test persona, re-typed as facts from the
// sources named in Source, and the codes it answers per first names sent.
type Identity struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	// Traits as INSi holds them (TIQ); FirstNames space-separated.
	BirthName  string `json:"birth_name"`
	FirstNames string `json:"first_names"`
	Sex        string `json:"sex"`
	BirthDate  string `json:"birth_date"`
	BirthCOG   string `json:"birth_cog,omitempty"`
	// Answers maps the first names sent (one Prenom, space-separated) to
	// the code answered; "*" is any first names. Names not listed get 01.
	Answers map[string]string `json:"answers"`
	// INS is the active matricule, History INSHISTO, both as INSi sends
	// them (HERMANN's keys do not verify, on purpose).
	INS     *Matricule  `json:"ins,omitempty"`
	History []Matricule `json:"history,omitempty"`
	// Shows says what the persona demonstrates, per language.
	Shows map[string]string `json:"shows"`
}

// Matricule is an INS matricule with its key and OID.
type Matricule struct {
	Num  string `json:"num"`
	Key  string `json:"key"`
	OID  string `json:"oid"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// DisplayName is "NAME First names".
func (id Identity) DisplayName() string { return id.BirthName + " " + id.FirstNames }

// ShowsIn is what the persona demonstrates in lang, French by default.
func (id Identity) ShowsIn(lang string) string {
	if s := id.Shows[lang]; s != "" {
		return s
	}
	return id.Shows["fr"]
}

// answer is the code for the first names sent.
func (id Identity) answer(firstNames string) string {
	if c, ok := id.Answers[firstNames]; ok {
		return c
	}
	if c, ok := id.Answers["*"]; ok {
		return c
	}
	return "01"
}

var (
	reNum  = regexp.MustCompile(`^\d{6}[0-9AB]\d{6}$`)
	reKey  = regexp.MustCompile(`^\d{2}$`)
	reDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	reCOG  = regexp.MustCompile(`^[0-9A-Z]{5}$`)
)

// LoadIdentities reads the personas from a JSON file in fsys.
func LoadIdentities(fsys fs.FS, path string) ([]Identity, error) {
	raw, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("insisim: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var ids []Identity
	if err := dec.Decode(&ids); err != nil {
		return nil, fmt.Errorf("insisim: %s: %w", path, err)
	}
	if err := checkIdentities(ids); err != nil {
		return nil, fmt.Errorf("insisim: %s: %w", path, err)
	}
	return ids, nil
}

func checkIdentities(ids []Identity) error {
	seen := map[string]bool{}
	for _, id := range ids {
		switch {
		case id.ID == "" || seen[id.ID]:
			return fmt.Errorf("identity id %q empty or repeated", id.ID)
		case id.Source == "":
			return fmt.Errorf("%s: a source is required", id.ID)
		case id.BirthName == "" || (id.Sex != "M" && id.Sex != "F") || !reDate.MatchString(id.BirthDate):
			return fmt.Errorf("%s: birth name, sex and birth date are required", id.ID)
		case id.BirthCOG != "" && !reCOG.MatchString(id.BirthCOG):
			return fmt.Errorf("%s: birth_cog is not a COG", id.ID)
		case len(id.Answers) == 0 || id.Shows["fr"] == "" || id.Shows["de"] == "" || id.Shows["en"] == "":
			return fmt.Errorf("%s: answers and shows (fr, de, en) are required", id.ID)
		}
		seen[id.ID] = true
		found := false
		for k, c := range id.Answers {
			if c != "00" && c != "01" && c != "02" {
				return fmt.Errorf("%s: answer %q for %q", id.ID, c, k)
			}
			found = found || c == "00"
		}
		if found != (id.INS != nil) {
			return errors.New(id.ID + ": an identity answering 00 needs an ins, and only then")
		}
		for _, m := range append(append([]Matricule(nil), id.History...), deref(id.INS)...) {
			if !reNum.MatchString(m.Num) || !reKey.MatchString(m.Key) || !strings.HasPrefix(m.OID, "1.2.250.1.213.1.4.") {
				return fmt.Errorf("%s: matricule, key or OID ill-formed", id.ID)
			}
		}
	}
	return nil
}

func deref(m *Matricule) []Matricule {
	if m == nil {
		return nil
	}
	return []Matricule{*m}
}
