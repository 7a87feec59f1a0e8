package ctxsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// schemas are the schemas the API knows, by schemaId, each a check of a bag.
var schemas = map[string]func(json.RawMessage) error{
	"patient-info": checkPatientInfo,
}

// The deployed patient-info schema: patient required with its four
// fields, ps allowed with nationalId required, every value a string,
// no other property anywhere (additionalProperties false).
var (
	patientFields = fields{required: []string{"patientINS", "patientFirstName", "patientLastName", "patientDOB"}}
	psFields      = fields{required: []string{"nationalId"}, optional: []string{
		"professionalFirstName", "professionalLastName", "professionalCivilityTitle",
		"professionCode", "professionalCategoryCode", "expertiseCode",
		"companyTechnicalIdentifier", "companyName", "companyWayNumber", "companyRepeatIndex",
		"companyWayType", "companyWayLabel", "companyPostalCode", "companyCedexOffice",
		"companyRegistrationAuthority",
	}}
)

func checkPatientInfo(bag json.RawMessage) error {
	top, err := object(bag)
	if err != nil {
		return err
	}
	for k := range top {
		if k != "patient" && k != "ps" {
			return fmt.Errorf("unknown property %q", k)
		}
	}
	p, ok := top["patient"]
	if !ok {
		return errors.New("patient is required")
	}
	if err := patientFields.check(p); err != nil {
		return fmt.Errorf("patient: %w", err)
	}
	if ps, ok := top["ps"]; ok {
		if err := psFields.check(ps); err != nil {
			return fmt.Errorf("ps: %w", err)
		}
	}
	return nil
}

type fields struct{ required, optional []string }

func (f fields) check(raw json.RawMessage) error {
	obj, err := object(raw)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, k := range append(append([]string(nil), f.required...), f.optional...) {
		known[k] = true
	}
	for k, v := range obj {
		if !known[k] {
			return fmt.Errorf("unknown property %q", k)
		}
		var s string
		if json.Unmarshal(v, &s) != nil {
			return fmt.Errorf("%s is not a string", k)
		}
	}
	for _, k := range f.required {
		if _, ok := obj[k]; !ok {
			return fmt.Errorf("%s is required", k)
		}
	}
	return nil
}

func object(raw json.RawMessage) (map[string]json.RawMessage, error) {
	if b := bytes.TrimSpace(raw); len(b) == 0 || b[0] != '{' {
		return nil, errors.New("not an object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, errors.New("not an object")
	}
	return m, nil
}
