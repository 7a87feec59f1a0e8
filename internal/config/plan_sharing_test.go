package config

import (
	"maps"
	"testing"
)

// Context sharing and HIN's directory follow PSC and HIN: simulated in
// demo mode beside the sandbox's PSC and HIN only, configured when their
// URL is set, off otherwise.
func TestPlanOfContextSharingAndHINDirectory(t *testing.T) {
	realPSC := map[string]string{"INFOPATIENT_PSC_ENV": "bas", "INFOPATIENT_PSC_CLIENT_ID": "ip", "INFOPATIENT_PSC_CLIENT_SECRET": "s"}
	realHIN := map[string]string{"INFOPATIENT_HIN_CLIENT_ID": "ip", "INFOPATIENT_HIN_CLIENT_SECRET": "s"}
	urls := map[string]string{"INFOPATIENT_PSC_CONTEXT_URL": "https://ctx.example/api", "INFOPATIENT_HIN_SDS_URL": "https://oauth2.sds.hin.ch"}
	for _, tc := range []struct {
		name             string
		demo             bool
		with             []map[string]string
		wantCtx, wantDir Mode
	}{
		{"demo", true, nil, Simulated, Simulated},
		{"demo, real PSC and HIN", true, []map[string]string{realPSC, realHIN}, Off, Off},
		{"demo, URLs set", true, []map[string]string{realPSC, realHIN, urls}, Configured, Configured},
		{"production without URLs", false, nil, Off, Off},
		// The directory is read during a HIN sign-in: none, none read.
		{"production with URLs, no HIN", false, []map[string]string{urls}, Configured, Off},
		{"production with URLs and HIN", false, []map[string]string{urls, realHIN}, Configured, Configured},
	} {
		vars := map[string]string{"INFOPATIENT_ADDR": "127.0.0.1:8080", "INFOPATIENT_TOKEN_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}
		vars["INFOPATIENT_DEMO"] = "false"
		if tc.demo {
			vars["INFOPATIENT_DEMO"] = "true"
		}
		for _, m := range tc.with {
			maps.Copy(vars, m)
		}
		c, err := Load(env(vars))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		p := c.Plan()
		if p.PSCContext.Mode != tc.wantCtx || p.HINDirectory.Mode != tc.wantDir {
			t.Errorf("%s: context %+v, directory %+v", tc.name, p.PSCContext, p.HINDirectory)
		}
		if p.PSCContext.Mode == Off && p.PSCContext.Why == "" || p.HINDirectory.Mode == Off && p.HINDirectory.Why == "" {
			t.Errorf("%s: off without a reason", tc.name)
		}
		if all := p.All(); len(all) != 7 || all[1] != p.PSCContext || all[3] != p.HINDirectory {
			t.Errorf("%s: All lists %+v", tc.name, all)
		}
	}
}
