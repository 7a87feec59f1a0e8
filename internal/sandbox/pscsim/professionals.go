package pscsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
)

// Professional is a test identity of the simulated Pro Santé Connect: its
// national identifier and the userinfo claims PSC sends for it (shaped like
// real sandbox payloads, with fictitious people).
type Professional struct {
	IDNat string `json:"idNat"`
	// Label describes the identity on the e-CPS page ("Médecin — ..."),
	// in each page language.
	Label pagelang.Text `json:"label"`
	// Note tells presenters what the identity is for, in each page language.
	Note   pagelang.Text  `json:"note,omitempty"`
	Claims map[string]any `json:"claims"`
}

// DisplayName is "VIRGINIE MEDECIN".
func (p Professional) DisplayName() string {
	given, _ := p.Claims["given_name"].(string)
	family, _ := p.Claims["family_name"].(string)
	return given + " " + family
}

// LoadProfessionals reads a JSON array of professionals from fsys.
func LoadProfessionals(fsys fs.FS, name string) ([]Professional, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("pscsim: reading professionals: %w", err)
	}
	var pros []Professional
	if err := json.Unmarshal(raw, &pros); err != nil {
		return nil, fmt.Errorf("pscsim: %s: %w", name, err)
	}
	seen := map[string]bool{}
	for i, p := range pros {
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("pscsim: %s: professional %d: %w", name, i, err)
		}
		if seen[p.IDNat] {
			return nil, fmt.Errorf("pscsim: %s: professional %d: idNat %q is repeated", name, i, p.IDNat)
		}
		seen[p.IDNat] = true
	}
	return pros, nil
}

// check catches the slips of hand-written identities: a userinfo naming
// another idNat than the card would sign in someone else.
func (p Professional) check() error {
	if p.IDNat == "" {
		return errors.New("empty idNat")
	}
	if p.Claims == nil {
		return errors.New("no claims")
	}
	for _, name := range []string{"SubjectNameID", "preferred_username"} {
		if v, ok := p.Claims[name]; ok && v != p.IDNat {
			return fmt.Errorf("claim %s is %v, not the idNat %s", name, v, p.IDNat)
		}
	}
	if _, ok := p.Claims["sub"]; ok {
		return errors.New("claim sub is the provider's to set")
	}
	return nil
}
