package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A PKCS#12 client certificate (as ANS delivers it) takes a password,
// from the variable or its _FILE, masked; no key file goes with it; a
// password does not go with PEM.
func TestPSCPKCS12Certificate(t *testing.T) {
	base := map[string]string{
		"INFOPATIENT_PSC_ENV": "bas", "INFOPATIENT_PSC_CLIENT_ID": "infopatient", "INFOPATIENT_TOKEN_KEY": testKey,
	}
	with := func(kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	pw := filepath.Join(t.TempDir(), "p12-password")
	if err := os.WriteFile(pw, []byte("s3cret-p12\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(with("INFOPATIENT_PSC_CLIENT_CERT", "/run/secrets/psc.p12", "INFOPATIENT_PSC_CLIENT_CERT_PASSWORD_FILE", pw)))
	if err != nil {
		t.Fatal(err)
	}
	if c.PSC.ClientCertPassword != "s3cret-p12" || c.PSC.ClientKeyFile != "" {
		t.Errorf("PSC %+v", c.PSC)
	}
	for _, s := range c.Settings() {
		if strings.Contains(s.Masked(), "s3cret-p12") {
			t.Errorf("%s shows the password", s.Name)
		}
	}
	reportedOnce(t, problemsOf(t, with("INFOPATIENT_PSC_CLIENT_CERT", "/run/secrets/psc.pfx", "INFOPATIENT_PSC_CLIENT_KEY", "/run/secrets/psc.key")),
		"INFOPATIENT_PSC_CLIENT_KEY", "holds its key")
	reportedOnce(t, problemsOf(t, with("INFOPATIENT_PSC_CLIENT_CERT", "/run/secrets/psc.crt", "INFOPATIENT_PSC_CLIENT_KEY", "/run/secrets/psc.key",
		"INFOPATIENT_PSC_CLIENT_CERT_PASSWORD", "x")), "INFOPATIENT_PSC_CLIENT_CERT_PASSWORD", "PKCS#12")
	reportedOnce(t, problemsOf(t, with("INFOPATIENT_PSC_CLIENT_CERT", "/run/secrets/psc.crt")), "INFOPATIENT_PSC_CLIENT_CERT", "go together")
	// Without a client id, the password is a provider variable like the others.
	reportedOnce(t, problemsOf(t, map[string]string{"INFOPATIENT_PSC_CLIENT_CERT_PASSWORD": "x"}), "INFOPATIENT_PSC_CLIENT_ID", "INFOPATIENT_PSC_CLIENT_CERT_PASSWORD")
}
