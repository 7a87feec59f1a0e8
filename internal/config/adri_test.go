package config

import (
	"os"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/testcert"
)

// ADRi's variables: a configured URL needs the IDAM and, over https in
// mtls mode, the structure's certificate; a certificate that does not
// load, a key without certificate, a CA without certificate and a plain
// http URL off loopback are each a problem named by its variable.
func TestADRiConfiguration(t *testing.T) {
	certFile, keyFile := testcert.ClientFiles(t)
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	base := map[string]string{"INFOPATIENT_DEMO": "false", "INFOPATIENT_TOKEN_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}
	with := func(m map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	for _, tc := range []struct {
		name string
		vars map[string]string
		want string // a problem naming this; "" for none
	}{
		{"mtls with PEM files", map[string]string{"INFOPATIENT_ADRI_URL": "https://adri.example/lps", "INFOPATIENT_ADRI_IDAM": "AM1",
			"INFOPATIENT_ADRI_CLIENT_CERT_FILE": certFile, "INFOPATIENT_ADRI_CLIENT_KEY_FILE": keyFile, "INFOPATIENT_ADRI_CA_FILE": certFile}, ""},
		{"psc without certificate", map[string]string{"INFOPATIENT_ADRI_URL": "https://adri.example/lps", "INFOPATIENT_ADRI_IDAM": "AM1",
			"INFOPATIENT_ADRI_AUTH": "psc"}, ""},
		{"loopback sandbox", map[string]string{"INFOPATIENT_ADRI_URL": "http://127.0.0.1:8080/sandbox/adri/lps", "INFOPATIENT_ADRI_IDAM": "INFOPATIENT-SANDBOX"}, ""},
		{"no IDAM", map[string]string{"INFOPATIENT_ADRI_URL": "http://127.0.0.1:8080/sandbox/adri/lps"}, "INFOPATIENT_ADRI_IDAM: required"},
		{"mtls without certificate", map[string]string{"INFOPATIENT_ADRI_URL": "https://adri.example/lps", "INFOPATIENT_ADRI_IDAM": "AM1"}, "INFOPATIENT_ADRI_CLIENT_CERT: required in mtls"},
		{"plain http off loopback", map[string]string{"INFOPATIENT_ADRI_URL": "http://adri.example/lps", "INFOPATIENT_ADRI_IDAM": "AM1", "INFOPATIENT_ADRI_AUTH": "psc"}, "INFOPATIENT_ADRI_URL"},
		{"unknown auth", map[string]string{"INFOPATIENT_ADRI_AUTH": "cpx"}, "INFOPATIENT_ADRI_AUTH"},
		{"PEM without key", map[string]string{"INFOPATIENT_ADRI_CLIENT_CERT": string(certPEM)}, "INFOPATIENT_ADRI_CLIENT_CERT: rights: the client certificate is PEM but no key"},
		{"key without certificate", map[string]string{"INFOPATIENT_ADRI_CLIENT_KEY_FILE": keyFile}, "INFOPATIENT_ADRI_CLIENT_KEY: set only with"},
		{"both inline and file", map[string]string{"INFOPATIENT_ADRI_CLIENT_CERT": string(certPEM), "INFOPATIENT_ADRI_CLIENT_CERT_FILE": certFile}, "set either"},
		{"unreadable file", map[string]string{"INFOPATIENT_ADRI_CA_FILE": certFile + ".missing"}, "INFOPATIENT_ADRI_CA_FILE: cannot read"},
		{"CA without certificate", map[string]string{"INFOPATIENT_ADRI_CA": "not PEM"}, "INFOPATIENT_ADRI_CA: rights: no PEM certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(env(with(tc.vars)))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want a problem with %q", err, tc.want)
			case tc.want == "" && !c.ADRi.Configured():
				t.Error("not configured")
			}
		})
	}
	// ADRi configured turns demo mode off by default, as any authority does.
	c, err := Load(env(map[string]string{"INFOPATIENT_ADRI_URL": "http://127.0.0.1:1/lps", "INFOPATIENT_ADRI_IDAM": "X",
		"INFOPATIENT_TOKEN_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}))
	if err != nil || c.Demo || c.Plan().Rights.Mode != Configured {
		t.Errorf("demo %v, plan %+v, %v", c != nil && c.Demo, c.Plan().Rights, err)
	}
}
