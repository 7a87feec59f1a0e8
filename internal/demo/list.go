package demo

// ListedPatient is a demo patient as a presenter needs to know it: the
// number to type, whose it is, and what its page will stand out for.
type ListedPatient struct {
	// NIR is the 13-character number, without its key.
	NIR, GivenNames, FamilyName string
	ALD                         bool
	// RightsUntil (YYYY-MM-DD) is set when the patient's rights end.
	RightsUntil string
}

// Patients lists the demo patients, in the order of data/demo/patients.json.
func Patients() ([]ListedPatient, error) {
	var patients []patient
	if err := readJSON("demo/patients.json", &patients); err != nil {
		return nil, err
	}
	out := make([]ListedPatient, 0, len(patients))
	for _, p := range patients {
		out = append(out, ListedPatient{NIR: p.NIR, GivenNames: p.GivenNames, FamilyName: p.FamilyName, ALD: p.ALD, RightsUntil: p.RightsUntil})
	}
	return out, nil
}
