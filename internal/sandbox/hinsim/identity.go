package hinsim

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
)

// Identity is a HIN e-ID holder of the test environment. HINID is what
// the token endpoint answers as hin_id; the rest is shown on the sign-in
// page so that a presenter knows whom they pick.
type Identity struct {
	HINID      string `json:"hin_id"`
	Title      string `json:"title,omitempty"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	// Profession is in French, the pages' default language.
	Profession string `json:"profession"`
	Email      string `json:"email,omitempty"`
	// Note tells presenters what the identity is for (e.g. what the demo was seeded with),
	// in French.
	Note string `json:"note,omitempty"`
	// GLN, VerificationLevel and Gender ("M", "F") are what HIN's
	// directory (SDS) answers for the identity; GLN may be empty.
	GLN               string `json:"gln,omitempty"`
	VerificationLevel string `json:"verification_level,omitempty"`
	Gender            string `json:"gender,omitempty"`
	// Professions and Notes are Profession and Note in each page language,
	// as the data file gives them ({"fr": …, "de": …, "en": …}); a
	// language they lack shows Profession and Note.
	Professions pagelang.Text `json:"-"`
	Notes       pagelang.Text `json:"-"`
}

// identityJSON is an identity as the data file writes it: profession and
// note per language, or as plain French strings.
type identityJSON struct {
	HINID             string        `json:"hin_id"`
	Title             string        `json:"title,omitempty"`
	GivenName         string        `json:"given_name"`
	FamilyName        string        `json:"family_name"`
	Profession        pagelang.Text `json:"profession"`
	Email             string        `json:"email,omitempty"`
	Note              pagelang.Text `json:"note,omitempty"`
	GLN               string        `json:"gln,omitempty"`
	VerificationLevel string        `json:"verification_level,omitempty"`
	Gender            string        `json:"gender,omitempty"`
}

// UnmarshalJSON reads an identity of the data file, refusing unknown fields.
func (i *Identity) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var j identityJSON
	if err := dec.Decode(&j); err != nil {
		return err
	}
	*i = Identity{HINID: j.HINID, Title: j.Title, GivenName: j.GivenName, FamilyName: j.FamilyName, Email: j.Email,
		Profession: j.Profession.In(pagelang.Default), Note: j.Note.In(pagelang.Default),
		Professions: j.Profession, Notes: j.Note,
		GLN: j.GLN, VerificationLevel: j.VerificationLevel, Gender: j.Gender}
	return nil
}

// ProfessionIn is the profession in the page language lang.
func (i Identity) ProfessionIn(lang string) string { return cmp.Or(i.Professions[lang], i.Profession) }

// NoteIn is the presenters' note in the page language lang.
func (i Identity) NoteIn(lang string) string { return cmp.Or(i.Notes[lang], i.Note) }

// DisplayName is "Dr. Claudia Muster".
func (i Identity) DisplayName() string {
	return strings.Join(strings.Fields(i.Title+" "+i.GivenName+" "+i.FamilyName), " ")
}

// hinIDPattern is the shape of HIN logins seen in HIN's guide (cmuster,
// aakeret): short, lower-case, no spaces.
// glnPattern is a GLN's shape; the check digit is the client's concern.
var glnPattern = regexp.MustCompile(`^[0-9]{13}$`)

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
		if id.GLN != "" && !glnPattern.MatchString(id.GLN) {
			return fmt.Errorf("identity %q: gln %q is not 13 digits", id.HINID, id.GLN)
		}
		if strings.TrimSpace(id.FamilyName) == "" {
			return fmt.Errorf("identity %q: family_name is required", id.HINID)
		}
	}
	return nil
}
