package app

import (
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// sandboxDemo is what the sandbox's index lists of the demo portal: its
// accounts, their shared password and its patients. The sandbox imports
// nothing of the portal, so the portal hands them over.
func sandboxDemo() (sandbox.Demo, error) {
	accounts, err := demo.Accounts()
	if err != nil {
		return sandbox.Demo{}, err
	}
	patients, err := demo.Patients()
	if err != nil {
		return sandbox.Demo{}, err
	}
	out := sandbox.Demo{Password: demo.Password}
	for _, a := range accounts {
		item := sandbox.DemoAccount{Login: a.Login, Name: a.GivenName + " " + a.FamilyName, Profession: a.Profession, GLN: a.GLN}
		for _, id := range a.Identities {
			switch id.Provider {
			case "psc":
				item.PSC = id.Subject
			case "hin":
				item.HIN = id.Subject
			}
		}
		out.Accounts = append(out.Accounts, item)
	}
	for _, p := range patients {
		out.Patients = append(out.Patients, sandbox.DemoPatient{NIR: p.NIR, Name: p.GivenNames + " " + p.FamilyName + " · " + p.BirthDate, BirthDate: p.BirthDate, ALD: p.ALD, RightsUntil: p.RightsUntil})
	}
	return out, nil
}
