package app

import (
	"net/url"
	"strings"
	"testing"
)

// HIN's directory is wired as the plan says: the sandbox's in the demo,
// the configured SDS beside a configured HIN (its token group from
// INFOPATIENT_HIN_SDS_TOKEN_GROUP), none without HIN sign-in. Its
// authorization is the sign-in client's, for the directory's token group.
func TestHINDirectoryWiring(t *testing.T) {
	key := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	realHIN := map[string]string{"INFOPATIENT_HIN_CLIENT_ID": "ch.infopatient", "INFOPATIENT_HIN_CLIENT_SECRET": "s",
		"INFOPATIENT_BASE_URL": "https://infopatient.example.ch", "INFOPATIENT_TOKEN_KEY": key}
	for _, tc := range []struct {
		name            string
		vars            map[string]string
		wantSelf, group string // "" when off
	}{
		{"demo", map[string]string{"INFOPATIENT_DEMO": "true"}, "http://127.0.0.1:8080/sandbox/hin/sds/api/public/v1/self/", "hin_sds"},
		{"real HIN and SDS", merge(realHIN, map[string]string{"INFOPATIENT_HIN_SDS_URL": "https://oauth2.sds.hin.ch",
			"INFOPATIENT_HIN_SDS_TOKEN_GROUP": "hin_sds_test"}), "https://oauth2.sds.hin.ch/api/public/v1/self/", "hin_sds_test"},
		{"real HIN, no SDS", realHIN, "", ""},
		{"SDS without HIN", map[string]string{"INFOPATIENT_DEMO": "false", "INFOPATIENT_HIN_SDS_URL": "https://oauth2.sds.hin.ch",
			"INFOPATIENT_COVERCARD_URL": "https://oauth2.covercard.hin.ch/covercard/servlet/x", "INFOPATIENT_TOKEN_KEY": key}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, _, err := newApp(t, loadConfig(t, tc.vars))
			if err != nil {
				t.Fatal(err)
			}
			d, auth := a.auth.hinDirectory, a.auth.hinDirectoryAuth
			if tc.wantSelf == "" {
				if d != nil || auth != nil {
					t.Errorf("directory wired: %v %v", d != nil, auth != nil)
				}
				return
			}
			if d == nil || auth == nil || d.SelfURL() != tc.wantSelf {
				t.Fatalf("directory %v, authorization %v", d, auth)
			}
			u, err := url.Parse(auth.AuthCodeURL("st"))
			if err != nil || !strings.HasSuffix(u.Path, "/GetAuthCode/"+tc.group) || auth.TokenURL() != a.auth.hin.TokenURL() {
				t.Errorf("directory's authorization %q, token URL %q", u, auth.TokenURL())
			}
			// The sign-in's own client still asks for its own group.
			if s, _ := url.Parse(a.auth.hin.AuthCodeURL("st")); !strings.HasSuffix(s.Path, "/GetAuthCode/hin_covercard") {
				t.Errorf("the sign-in now goes to %q", s.Path)
			}
		})
	}
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
