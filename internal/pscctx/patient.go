package pscctx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// PatientInfo is the bag of schema patient-info as ANS deploys it: the
// patient (all four fields required) and, optionally, the professional
// who shares. The schema refuses unknown properties, so only these fields
// exist here and ParsePatientInfo refuses any other.
type PatientInfo struct {
	PS      *PS     `json:"ps,omitempty"`
	Patient Patient `json:"patient"`
}

// PS is the sharing professional, under the schema's field names.
type PS struct {
	NationalID                   string `json:"nationalId"`
	ProfessionalFirstName        string `json:"professionalFirstName,omitempty"`
	ProfessionalLastName         string `json:"professionalLastName,omitempty"`
	ProfessionalCivilityTitle    string `json:"professionalCivilityTitle,omitempty"`
	ProfessionCode               string `json:"professionCode,omitempty"`
	ProfessionalCategoryCode     string `json:"professionalCategoryCode,omitempty"`
	ExpertiseCode                string `json:"expertiseCode,omitempty"`
	CompanyTechnicalIdentifier   string `json:"companyTechnicalIdentifier,omitempty"`
	CompanyName                  string `json:"companyName,omitempty"`
	CompanyWayNumber             string `json:"companyWayNumber,omitempty"`
	CompanyRepeatIndex           string `json:"companyRepeatIndex,omitempty"`
	CompanyWayType               string `json:"companyWayType,omitempty"`
	CompanyWayLabel              string `json:"companyWayLabel,omitempty"`
	CompanyPostalCode            string `json:"companyPostalCode,omitempty"`
	CompanyCedexOffice           string `json:"companyCedexOffice,omitempty"`
	CompanyRegistrationAuthority string `json:"companyRegistrationAuthority,omitempty"`
}

// Patient is the patient in hand. INS is the patient's INS (the NIR used
// as identity number, 15 characters with the key); DOB is YYYY-MM-DD.
type Patient struct {
	INS       string `json:"patientINS"`
	FirstName string `json:"patientFirstName"`
	LastName  string `json:"patientLastName"`
	DOB       string `json:"patientDOB"`
}

// DateLayout is the layout of Patient.DOB.
const DateLayout = time.DateOnly

// Validate checks what the deployed schema requires, so that a share the
// API would refuse with an opaque 500 is refused here with a reason.
func (p PatientInfo) Validate() error {
	switch {
	case p.Patient.INS == "":
		return errors.New("patientINS is required")
	case p.Patient.FirstName == "":
		return errors.New("patientFirstName is required")
	case p.Patient.LastName == "":
		return errors.New("patientLastName is required")
	case p.Patient.DOB == "":
		return errors.New("patientDOB is required")
	case p.PS != nil && p.PS.NationalID == "":
		return errors.New("ps.nationalId is required when ps is given")
	}
	if _, err := time.Parse(DateLayout, p.Patient.DOB); err != nil {
		return fmt.Errorf("patientDOB %q is not YYYY-MM-DD", p.Patient.DOB)
	}
	return nil
}

// Bag is p as the JSON bag of a patient-info context.
func (p PatientInfo) Bag() (json.RawMessage, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return json.Marshal(p)
}

// ParsePatientInfo decodes a patient-info bag, refusing unknown
// properties and missing required fields, as the schema does.
func ParsePatientInfo(bag []byte) (PatientInfo, error) {
	var p PatientInfo
	dec := json.NewDecoder(bytes.NewReader(bag))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return PatientInfo{}, errors.New("bag is not a patient-info object")
	}
	if dec.More() {
		return PatientInfo{}, errors.New("bag carries trailing data")
	}
	if err := exactKeys(bag); err != nil {
		return PatientInfo{}, err
	}
	if err := p.Validate(); err != nil {
		return PatientInfo{}, err
	}
	return p, nil
}

// exactKeys refuses property names that encoding/json would match
// case-insensitively ("PATIENTINS"): the schema's names are exact.
func exactKeys(bag []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(bag, &top); err != nil {
		return errors.New("bag is not a patient-info object")
	}
	for k, v := range top {
		var allowed map[string]bool
		switch k {
		case "ps":
			allowed = psKeys
		case "patient":
			allowed = patientKeys
		default:
			return fmt.Errorf("unknown property %q", k)
		}
		var inner map[string]json.RawMessage
		if err := json.Unmarshal(v, &inner); err != nil {
			return fmt.Errorf("%s is not an object", k)
		}
		for ik := range inner {
			if !allowed[ik] {
				return fmt.Errorf("unknown property %q in %s", ik, k)
			}
		}
	}
	return nil
}

var psKeys, patientKeys = jsonNames(PS{}), jsonNames(Patient{})

func jsonNames(v any) map[string]bool {
	t := reflect.TypeOf(v)
	m := map[string]bool{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		m[name] = true
	}
	return m
}
