package config

import (
	"strings"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/rights"
)

// ADRi configures the ADRi-shaped service French patients' rights are
// read from (internal/rights). Empty URL: off (in demo mode, the
// sandbox's ADRi stands in).
type ADRi struct {
	// URL is the endpoint: https, or http on loopback only.
	URL string
	// Auth is "mtls" (the structure's certificate) or "psc" (the
	// signed-in professional's identity; a GUESS until the spec is read).
	Auth string
	// ClientCert is a PEM certificate (chain) with ClientKey, or a
	// PKCS#12 file opened with ClientCertPassword (ClientKey empty).
	ClientCert, ClientKey []byte
	ClientCertPassword    string
	// CA is the PEM chain to trust (IGC-Santé); the system's when empty.
	CA []byte
	// IDAM is the CNDA authorisation number of the software.
	IDAM string
	// SoftwareName and SoftwareVersion name the LPS in ContexteLPS.
	SoftwareName, SoftwareVersion string
}

// Configured reports whether a real ADRi endpoint was given.
func (a ADRi) Configured() bool { return a.URL != "" }

func loadADRi(l *loader) ADRi {
	a := ADRi{
		URL:                l.str("INFOPATIENT_ADRI_URL", ""),
		Auth:               l.oneOf("INFOPATIENT_ADRI_AUTH", string(rights.AuthMTLS), string(rights.AuthMTLS), string(rights.AuthPSC)),
		ClientCert:         l.blob("INFOPATIENT_ADRI_CLIENT_CERT", false),
		ClientKey:          l.blob("INFOPATIENT_ADRI_CLIENT_KEY", true),
		ClientCertPassword: l.secret("INFOPATIENT_ADRI_CLIENT_CERT_PASSWORD"),
		CA:                 l.blob("INFOPATIENT_ADRI_CA", false),
		IDAM:               l.str("INFOPATIENT_ADRI_IDAM", ""),
		SoftwareName:       l.str("INFOPATIENT_ADRI_SOFTWARE_NAME", "InfoPatient"),
		SoftwareVersion:    l.str("INFOPATIENT_ADRI_SOFTWARE_VERSION", ""),
	}
	l.endpoint("INFOPATIENT_ADRI_URL", a.URL, hin.CheckEndpoint)
	if len(a.ClientCert) > 0 {
		if _, err := rights.LoadCertificate(a.ClientCert, a.ClientKey, a.ClientCertPassword); err != nil {
			l.problem("INFOPATIENT_ADRI_CLIENT_CERT", "%v", err)
		}
	} else if len(a.ClientKey) > 0 {
		l.problem("INFOPATIENT_ADRI_CLIENT_KEY", "set only with INFOPATIENT_ADRI_CLIENT_CERT")
	}
	if len(a.CA) > 0 {
		if _, err := rights.LoadRoots(a.CA); err != nil {
			l.problem("INFOPATIENT_ADRI_CA", "%v", err)
		}
	}
	if !a.Configured() {
		return a
	}
	if a.IDAM == "" {
		l.problem("INFOPATIENT_ADRI_IDAM", "required with INFOPATIENT_ADRI_URL (the software's CNDA authorisation number)")
	}
	if a.Auth == string(rights.AuthMTLS) && len(a.ClientCert) == 0 && !strings.HasPrefix(a.URL, "http://") {
		l.problem("INFOPATIENT_ADRI_CLIENT_CERT", "required in mtls mode (INFOPATIENT_ADRI_AUTH): the structure's certificate, PEM with INFOPATIENT_ADRI_CLIENT_KEY, or PKCS#12")
	}
	return a
}

// blob reads NAME (inline PEM) or the file named by NAME_FILE, byte for
// byte (a PKCS#12 file is binary).
func (l *loader) blob(name string, secret bool) []byte {
	v, inline := l.raw(name)
	path, fromFile := l.raw(name + "_FILE")
	switch {
	case inline && fromFile:
		l.problem(name, "set either %s or %s_FILE, not both", name, name)
	case fromFile:
		b, err := l.readFile(path)
		if err != nil {
			l.problem(name+"_FILE", "cannot read %s: %v", path, unwrapPathError(err))
			break
		}
		l.record(name, path, "file", false)
		return b
	case inline:
		shown := "(PEM)"
		if !secret {
			shown = v
		}
		l.record(name, shown, "env", secret)
		return []byte(v)
	}
	l.record(name, "", "default", secret)
	return nil
}
