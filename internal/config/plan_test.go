package config

import (
	"maps"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/hin"
)

// TestPlan covers every combination of the three authorities, in and out
// of demo mode: a configured authority always wins, the sandbox stands
// in for the others in demo mode, HIN and Covercard never one without
// the other.
func TestPlan(t *testing.T) {
	const key = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	realPSC := map[string]string{"INFOPATIENT_PSC_ENV": "bas", "INFOPATIENT_PSC_CLIENT_ID": "ip", "INFOPATIENT_PSC_CLIENT_SECRET": "s"}
	realHIN := map[string]string{"INFOPATIENT_HIN_CLIENT_ID": "ip", "INFOPATIENT_HIN_CLIENT_SECRET": "s"}
	realCovercard := map[string]string{"INFOPATIENT_COVERCARD_URL": "https://covercard.example/servlet"}
	const (
		pscURL       = "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet"
		hinURL       = hin.DefaultAuthorizeURL
		covercardURL = "https://covercard.example/servlet"
	)
	type want struct {
		mode Mode
		url  string // Configured
		why  string // Off: a part of the reason
	}
	sim := want{mode: Simulated}
	for _, tc := range []struct {
		name                string
		demo                bool
		psc, hin, covercard bool
		wantPSC, wantHIN    want
		wantCovercard       want
	}{
		{"demo, nothing configured", true, false, false, false, sim, sim, sim},
		{"demo, real PSC", true, true, false, false, want{Configured, pscURL, ""}, sim, sim},
		{"demo, real HIN: Covercard not simulated", true, false, true, false, sim, want{Configured, hinURL, ""}, want{Off, "", "HIN is the configured one"}},
		{"demo, real Covercard: HIN not simulated", true, false, false, true, sim, want{Off, "", "Covercard is the configured one"}, want{Configured, covercardURL, ""}},
		{"demo, real HIN and Covercard", true, false, true, true, sim, want{Configured, hinURL, ""}, want{Configured, covercardURL, ""}},
		{"demo, all real", true, true, true, true, want{Configured, pscURL, ""}, want{Configured, hinURL, ""}, want{Configured, covercardURL, ""}},
		{"not demo, real PSC only", false, true, false, false, want{Configured, pscURL, ""},
			want{Off, "", "set INFOPATIENT_HIN_CLIENT_ID"}, want{Off, "", "set INFOPATIENT_COVERCARD_URL"}},
		{"not demo, real HIN only", false, false, true, false, want{Off, "", "set INFOPATIENT_PSC_CLIENT_ID"},
			want{Configured, hinURL, ""}, want{Off, "", "set INFOPATIENT_COVERCARD_URL"}},
		{"not demo, all real", false, true, true, true, want{Configured, pscURL, ""}, want{Configured, hinURL, ""}, want{Configured, covercardURL, ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]string{"INFOPATIENT_TOKEN_KEY": key}
			if tc.demo {
				vars["INFOPATIENT_DEMO"] = "true"
			} else {
				vars["INFOPATIENT_DEMO"] = "false"
			}
			if tc.psc {
				maps.Copy(vars, realPSC)
			}
			if tc.hin {
				maps.Copy(vars, realHIN)
			}
			if tc.covercard {
				maps.Copy(vars, realCovercard)
			}
			c, err := Load(env(vars))
			if err != nil {
				t.Fatal(err)
			}
			p := c.Plan()
			for _, g := range []struct {
				got  Reach
				name string
				want want
			}{{p.PSC, "Pro Santé Connect", tc.wantPSC}, {p.HIN, "HIN", tc.wantHIN}, {p.Covercard, "Covercard", tc.wantCovercard}} {
				if g.got.Authority != g.name || g.got.Mode != g.want.mode || g.got.URL != g.want.url ||
					(g.want.mode == Off) != (g.got.Why != "") || !strings.Contains(g.got.Why, g.want.why) {
					t.Errorf("%s: %+v, want %+v", g.name, g.got, g.want)
				}
			}
			if p.HIN.Simulated() != p.Covercard.Simulated() {
				t.Errorf("HIN and Covercard simulated apart: %+v", p)
			}
			// ADRi is none of these: simulated in demo mode, else off.
			wantRights := want{Off, "", "set INFOPATIENT_ADRI_URL"}
			if tc.demo {
				wantRights = sim
			}
			if r := p.Rights; r.Authority != "ADRi" || r.Mode != wantRights.mode || !strings.Contains(r.Why, wantRights.why) {
				t.Errorf("ADRi: %+v, want %+v", r, wantRights)
			}
			if got := p.All(); len(got) != 7 || got[0] != p.PSC || got[1] != p.PSCContext || got[2] != p.HIN || got[3] != p.HINDirectory ||
				got[4] != p.Covercard || got[5] != p.INSi || got[6] != p.Rights {
				t.Errorf("All: %+v", got)
			}
		})
	}
}

// String is the banner's wording for each mode.
func TestReachString(t *testing.T) {
	for r, want := range map[Reach]string{
		{Mode: Configured, URL: "https://x.example"}: "https://x.example (configured)",
		{Mode: Simulated}:           "simulated in this process",
		{Mode: Off, Why: "because"}: "off (because)",
	} {
		if got := r.String(); got != want {
			t.Errorf("%+v: %q, want %q", r, got, want)
		}
	}
}

// The configured PSC is named by its issuer, else its preset's, else the
// endpoint given.
func TestPSCLocation(t *testing.T) {
	for _, tc := range []struct {
		p    PSC
		want string
	}{
		{PSC{}, ""},
		{PSC{ClientID: "c", Issuer: "https://iss.example"}, "https://iss.example"},
		{PSC{ClientID: "c", Env: "prod"}, "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet"},
		{PSC{ClientID: "c", DiscoveryURL: "https://d.example"}, "https://d.example"},
		{PSC{ClientID: "c"}, "INFOPATIENT_PSC_*"},
	} {
		if got := pscLocation(tc.p); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
}
