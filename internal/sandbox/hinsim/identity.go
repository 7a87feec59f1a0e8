package hinsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
)

// Identity is a HIN e-ID holder of the test environment. HINID is what
// the token endpoint answers as hin_id; the rest is shown on the sign-in
// page so that a presenter knows whom they pick.
type Identity struct {
	HINID      string `json:"hin_id"`
	Title      string `json:"title,omitempty"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	Profession string `json:"profession"`
	Email      string `json:"email,omitempty"`
	// Note tells presenters what the identity is for (e.g. "not linked").
	Note string `json:"note,omitempty"`
}

// DisplayName is "Dr. Claudia Muster".
func (i Identity) DisplayName() string {
	return strings.Join(strings.Fields(i.Title+" "+i.GivenName+" "+i.FamilyName), " ")
}

// hinIDPattern is the shape of HIN logins seen in HIN's guide (cmuster,
// aakeret): short, lower-case, no spaces.
var hinIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// LoadIdentities reads a JSON array of identities from fsys and checks
// that every hin_id is well formed and unique.
func LoadIdentities(fsys fs.FS, name string) ([]Identity, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("hinsim: reading identities: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var ids []Identity
	if err := dec.Decode(&ids); err != nil {
		return nil, fmt.Errorf("hinsim: %s: %w", name, err)
	}
	if err := checkIdentities(ids); err != nil {
		return nil, fmt.Errorf("hinsim: %s: %w", name, err)
	}
	return ids, nil
}

func checkIdentities(ids []Identity) error {
	if len(ids) == 0 {
		return fmt.Errorf("no identities")
	}
	seen := map[string]bool{}
	for n, id := range ids {
		if !hinIDPattern.MatchString(id.HINID) {
			return fmt.Errorf("identity %d: hin_id %q is not a HIN login", n, id.HINID)
		}
		if seen[id.HINID] {
			return fmt.Errorf("identity %d: hin_id %q appears twice", n, id.HINID)
		}
		seen[id.HINID] = true
		if strings.TrimSpace(id.FamilyName) == "" {
			return fmt.Errorf("identity %q: family_name is required", id.HINID)
		}
	}
	return nil
}
