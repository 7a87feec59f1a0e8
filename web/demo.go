package web

import (
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/views"
)

// demoInfo is what the sign-in pages tell in demo mode (the demo accounts,
// their password, the sandbox); nothing outside it.
func (s *Server) demoInfo() views.DemoInfo {
	if !s.Config.Demo {
		return views.DemoInfo{}
	}
	accounts, err := demo.Accounts()
	if err != nil {
		return views.DemoInfo{} // embedded data: a build defect, tested in internal/demo
	}
	d := views.DemoInfo{Password: demo.Password}
	for _, a := range accounts {
		d.Accounts = append(d.Accounts, views.DemoAccount{
			Login:          a.Login,
			Name:           a.GivenName + " " + a.FamilyName,
			Profession:     a.Profession,
			ProfessionCode: psc.ProfessionCode(a.Profession),
		})
	}
	return d
}
