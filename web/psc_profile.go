package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/views"
)

// pscProfile is what a Pro Santé Connect sign-in keeps for "Mes
// informations": stored as JSON with the record of its session, and in a
// pending link while the identity waits for its account. Its JSON names
// are fixed here, apart from any view, so that renaming a view's field
// cannot quietly empty the page of open sessions.
//
// Version 1 is the format written since migration 0002; records written
// before "v" was added carry none and are version 1 too. A new format
// takes the next version and keeps decoding the older ones.
type pscProfile struct {
	Version      int                   `json:"v,omitempty"`
	Professional pscProfessionalRecord `json:"professional"`
	Claims       []pscClaimRecord      `json:"claims"`
	// ACR is the authentication level the sign-in reached (eidas1,
	// eidas2…); ACRMissing: the ID token had none and ACR is read as
	// eidas1 (psc.MissingACRLevel). Absent from older records.
	ACR        string `json:"acr,omitempty"`
	ACRMissing bool   `json:"acr_missing,omitempty"`
}

// withACR records the level the sign-in reached.
func (p *pscProfile) withACR(acr string, missing bool) *pscProfile {
	p.ACR, p.ACRMissing = acr, missing
	return p
}

// pscProfileVersion is the version this code writes.
const pscProfileVersion = 1

// pscProfessionalRecord is the professional as PSC described them. (The
// JSON names are those records and pending links already carry.)
type pscProfessionalRecord struct {
	Civility   string `json:"Civility"`
	GivenName  string `json:"GivenName"`
	FamilyName string `json:"FamilyName"`
	IDNat      string `json:"IDNat"`
	RPPS       string `json:"RPPS"`
	ADELI      string `json:"ADELI"`
	// Profession and Specialty are the nomenclature's French labels, or
	// the codes when the portal knows no label.
	Profession     string              `json:"Profession"`
	Specialty      string              `json:"Specialty"`
	ProfessionCode string              `json:"ProfessionCode,omitempty"`
	SpecialtyCode  string              `json:"SpecialtyCode,omitempty"`
	Activities     []pscActivityRecord `json:"Activities"`
}

type pscActivityRecord struct {
	Organisation string `json:"Organisation"`
	FINESS       string `json:"FINESS"`
	PostalCode   string `json:"PostalCode"`
	City         string `json:"City"`
}

// pscClaimRecord is one claim as received: source "id_token" or
// "userinfo", its name, and its value (nested values as JSON).
type pscClaimRecord struct {
	Source string `json:"Source"`
	Name   string `json:"Name"`
	Value  string `json:"Value"`
}

// newPSCProfile is the profile of a sign-in: the professional, and every
// claim of the ID token and userinfo.
func newPSCProfile(p psc.Professional, idToken, userinfo map[string]any) *pscProfile {
	r := pscProfessionalRecord{
		Civility: p.Civility, GivenName: p.GivenName, FamilyName: p.FamilyName,
		IDNat: p.IDNat, RPPS: p.RPPS, ADELI: p.ADELI,
		Profession: p.ProfessionLabel, Specialty: p.SpecialtyLabel,
		ProfessionCode: p.ProfessionCode, SpecialtyCode: p.SpecialtyCode,
	}
	if r.Profession == "" {
		r.Profession = p.ProfessionCode
	}
	if r.Specialty == "" {
		r.Specialty = p.SpecialtyCode
	}
	for _, a := range p.Activities {
		r.Activities = append(r.Activities, pscActivityRecord{Organisation: a.Organisation, FINESS: a.FINESS, PostalCode: a.PostalCode, City: a.City})
	}
	return &pscProfile{Version: pscProfileVersion, Professional: r, Claims: flattenClaims(idToken, userinfo)}
}

func (p *pscProfile) encode() ([]byte, error) {
	p.Version = pscProfileVersion
	return json.Marshal(p)
}

var errPSCProfileVersion = errors.New("unknown version")

// decodePSCProfile reads a stored profile of any version this code knows.
func decodePSCProfile(b []byte) (*pscProfile, error) {
	var p pscProfile
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("pro santé connect profile: %w", err)
	}
	switch p.Version {
	case 0, 1: // 0: written before the version was
		p.Version = pscProfileVersion
		return &p, nil
	}
	return nil, fmt.Errorf("pro santé connect profile version %d: %w", p.Version, errPSCProfileVersion)
}

// views are what "Mes informations" renders of the profile.
func (p *pscProfile) views() (*views.ProfessionalView, []views.Claim) {
	r := p.Professional
	v := &views.ProfessionalView{
		Civility: r.Civility, GivenName: r.GivenName, FamilyName: r.FamilyName,
		IDNat: r.IDNat, RPPS: r.RPPS, ADELI: r.ADELI,
		Profession: r.Profession, Specialty: r.Specialty,
		ProfessionCode: r.ProfessionCode, SpecialtyCode: r.SpecialtyCode,
		ACR: p.ACR, ACRMissing: p.ACRMissing,
	}
	for _, a := range r.Activities {
		v.Activities = append(v.Activities, views.ActivityView{Organisation: a.Organisation, FINESS: a.FINESS, PostalCode: a.PostalCode, City: a.City})
	}
	var claims []views.Claim
	for _, c := range p.Claims {
		claims = append(claims, views.Claim{Source: c.Source, Name: c.Name, Value: c.Value})
	}
	return v, claims
}

// flattenClaims lists every claim received, sorted, nested values as JSON:
// what mod_auth_openidc's OIDCPassClaimsAs cannot pass for arrays of objects.
func flattenClaims(idToken, userinfo map[string]any) []pscClaimRecord {
	var out []pscClaimRecord
	for _, src := range []struct {
		name   string
		claims map[string]any
	}{{"id_token", idToken}, {"userinfo", userinfo}} {
		names := make([]string, 0, len(src.claims))
		for n := range src.claims {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			out = append(out, pscClaimRecord{Source: src.name, Name: n, Value: claimValue(src.claims[n])})
		}
	}
	return out
}

func claimValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
