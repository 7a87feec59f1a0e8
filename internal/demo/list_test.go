package demo_test

import (
	"testing"

	"github.com/infopatient/infopatient/internal/demo"
)

// The list a presenter reads is the ADRi sandbox's demo records, with what
// stands out on their pages.
func TestPatientsListsEveryDemoPatient(t *testing.T) {
	patients, err := demo.Patients()
	if err != nil {
		t.Fatal(err)
	}
	if len(patients) < 20 {
		t.Fatalf("%d demo patients", len(patients))
	}
	if p := patients[0]; p.NIR != "2840275115023" || p.GivenNames == "" || p.FamilyName == "" || p.BirthDate == "" || p.Rank != 1 {
		t.Errorf("first patient %+v", p)
	}
	var ald, ended int
	for _, p := range patients {
		if len(p.NIR) != 13 {
			t.Errorf("NIR %q is not 13 characters", p.NIR)
		}
		if p.ALD {
			ald++
		}
		if p.RightsUntil != "" {
			ended++
		}
	}
	if ald == 0 || ended == 0 {
		t.Errorf("%d with an ALD, %d with rights ending: the list drops them", ald, ended)
	}
}
