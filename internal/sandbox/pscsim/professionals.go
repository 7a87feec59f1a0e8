package pscsim

import (
	"encoding/json"
	"fmt"
	"io/fs"
)

// Professional is a test identity of the simulated Pro Santé Connect: its
// national identifier and the userinfo claims PSC sends for it (shaped like
// real sandbox payloads, with fictitious people).
type Professional struct {
	IDNat string `json:"idNat"`
	// Label describes the identity on the e-CPS page ("Médecin — ...").
	Label string `json:"label"`
	// Note tells presenters what the identity is for.
	Note   string         `json:"note,omitempty"`
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
		if p.IDNat == "" || seen[p.IDNat] {
			return nil, fmt.Errorf("pscsim: %s: professional %d has an empty or repeated idNat", name, i)
		}
		seen[p.IDNat] = true
	}
	return pros, nil
}
