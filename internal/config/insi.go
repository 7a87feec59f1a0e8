package config

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"strings"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/insi"
)

// INSi configures the CNAM's INSi téléservice (a patient's INS by
// traits). Setting its URL turns it on; in demo mode the sandbox's
// stands in when it is not set.
type INSi struct {
	URL string
	// Auth is "mtls" (the structure's INSI-AUTO certificate) or "psc"
	// (the signed-in professional's Pro Santé Connect identity).
	Auth string
	// Certificate is the structure certificate, loaded and checked (CN
	// INSI-AUTO or INSI-MANU); nil when none is given.
	Certificate *tls.Certificate
	// RootCAs trusts INSi's chain (IGC-Santé); system roots when nil.
	RootCAs *x509.CertPool
	// IDAM is the software's CNDA authorisation number.
	IDAM                          string
	SoftwareName, SoftwareVersion string
}

// Configured reports whether a real INSi endpoint was given.
func (i INSi) Configured() bool { return i.URL != "" }

// insiVariables mean nothing without INFOPATIENT_INSI_URL.
var insiVariables = []string{
	"INFOPATIENT_INSI_AUTH", "INFOPATIENT_INSI_CLIENT_CERT", "INFOPATIENT_INSI_CLIENT_CERT_FILE",
	"INFOPATIENT_INSI_CLIENT_KEY", "INFOPATIENT_INSI_CLIENT_KEY_FILE", "INFOPATIENT_INSI_CLIENT_CERT_PASSWORD",
	"INFOPATIENT_INSI_CLIENT_CERT_PASSWORD_FILE", "INFOPATIENT_INSI_CA", "INFOPATIENT_INSI_IDAM",
}

func loadINSi(l *loader) INSi {
	i := INSi{
		URL:             l.str("INFOPATIENT_INSI_URL", ""),
		Auth:            l.oneOf("INFOPATIENT_INSI_AUTH", string(insi.AuthMTLS), string(insi.AuthMTLS), string(insi.AuthPSC)),
		IDAM:            l.str("INFOPATIENT_INSI_IDAM", ""),
		SoftwareName:    l.str("INFOPATIENT_INSI_SOFTWARE_NAME", "InfoPatient"),
		SoftwareVersion: l.str("INFOPATIENT_INSI_SOFTWARE_VERSION", "dev"),
	}
	// https, or plain http on a loopback address only (a sandbox).
	l.endpoint("INFOPATIENT_INSI_URL", i.URL, hin.CheckEndpoint)
	cert := l.material("INFOPATIENT_INSI_CLIENT_CERT")
	key := l.secret("INFOPATIENT_INSI_CLIENT_KEY")
	password := l.secret("INFOPATIENT_INSI_CLIENT_CERT_PASSWORD")
	caPath := l.str("INFOPATIENT_INSI_CA", "")
	if i.URL == "" {
		if set := l.setAmong(insiVariables...); len(set) > 0 {
			l.problem("INFOPATIENT_INSI_URL", "required with %s (set it to use that INSi, or unset them)", set[0])
		}
		return i
	}
	if i.IDAM == "" {
		l.problem("INFOPATIENT_INSI_IDAM", "required with INFOPATIENT_INSI_URL: the CNDA authorisation number INSi knows the software by")
	}
	switch {
	case len(cert) > 0:
		var keyPEM []byte
		if key != "" {
			keyPEM = []byte(key)
		}
		c, err := insi.LoadCertificate(cert, keyPEM, password)
		if err != nil {
			l.problem("INFOPATIENT_INSI_CLIENT_CERT", "%v", err)
			break
		}
		i.Certificate = &c
	case key != "":
		l.problem("INFOPATIENT_INSI_CLIENT_KEY", "set with INFOPATIENT_INSI_CLIENT_CERT, the certificate it goes with")
	case i.Auth == string(insi.AuthMTLS) && strings.HasPrefix(i.URL, "https://"):
		// Over plain-HTTP loopback (a sandbox) the certificate's name is
		// announced instead.
		l.problem("INFOPATIENT_INSI_CLIENT_CERT", "required in mtls mode: the structure's INSI-AUTO certificate (PEM with INFOPATIENT_INSI_CLIENT_KEY, or PKCS#12 with INFOPATIENT_INSI_CLIENT_CERT_FILE)")
	}
	if caPath != "" {
		b, err := os.ReadFile(caPath)
		pool := x509.NewCertPool()
		switch {
		case err != nil:
			l.problem("INFOPATIENT_INSI_CA", "cannot read %s: %v", caPath, unwrapPathError(err))
		case !pool.AppendCertsFromPEM(b):
			l.problem("INFOPATIENT_INSI_CA", "%s holds no PEM certificate", caPath)
		default:
			i.RootCAs = pool
		}
	}
	return i
}

// material reads NAME (PEM text) or the file NAME_FILE names, as bytes:
// a PKCS#12 file is binary and must not be trimmed.
func (l *loader) material(name string) []byte {
	v, inline := l.raw(name)
	path, file := l.raw(name + "_FILE")
	switch {
	case inline && file:
		l.problem(name, "set either %s or %s_FILE, not both", name, name)
	case file:
		raw, err := l.readFile(path)
		if err != nil {
			l.problem(name+"_FILE", "cannot read %s: %v", path, unwrapPathError(err))
			return nil
		}
		l.record(name+"_FILE", path, "env", false)
		return raw
	case inline:
		l.record(name, "(PEM)", "env", false)
		return []byte(v)
	}
	l.record(name, "", "default", false)
	return nil
}
