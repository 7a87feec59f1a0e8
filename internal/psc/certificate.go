package psc

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// IsPKCS12 says whether a client certificate file is PKCS#12 (.p12 or
// .pfx, as ANS's IGC-Santé certificates are delivered): it then holds the
// key too, opened with ClientCertPassword, and no key file goes with it.
func IsPKCS12(certFile string) bool {
	switch strings.ToLower(filepath.Ext(certFile)) {
	case ".p12", ".pfx":
		return true
	}
	return false
}

// maxCertFile bounds what is read of a certificate file.
const maxCertFile = 1 << 20

// loadClientCertificate reads the client certificate: PEM certificate and
// key files, or one PKCS#12 file and its password. The errors name the
// file, never the password.
func loadClientCertificate(cfg Config) (tls.Certificate, error) {
	if !IsPKCS12(cfg.ClientCertFile) {
		cert, err := tls.LoadX509KeyPair(cfg.ClientCertFile, cfg.ClientKeyFile)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("psc: client certificate: %w", err)
		}
		if cert.Leaf == nil && len(cert.Certificate) > 0 {
			cert.Leaf, _ = x509.ParseCertificate(cert.Certificate[0])
		}
		return cert, nil
	}
	raw, err := os.ReadFile(cfg.ClientCertFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("psc: client certificate: %w", err)
	}
	if len(raw) > maxCertFile {
		return tls.Certificate{}, fmt.Errorf("psc: client certificate %s: larger than %d bytes", cfg.ClientCertFile, maxCertFile)
	}
	return parsePKCS12(raw, cfg.ClientCertPassword, cfg.ClientCertFile)
}

// parsePKCS12 decodes a PKCS#12 bundle: its key, its certificate and the
// chain that came with it, presented in that order.
func parsePKCS12(raw []byte, password, name string) (tls.Certificate, error) {
	key, leaf, chain, err := pkcs12.DecodeChain(raw, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return tls.Certificate{}, fmt.Errorf("psc: client certificate %s: wrong password (INFOPATIENT_PSC_CLIENT_CERT_PASSWORD)", name)
		}
		return tls.Certificate{}, fmt.Errorf("psc: client certificate %s: not a readable PKCS#12 file: %v", name, err)
	}
	cert := tls.Certificate{Certificate: [][]byte{leaf.Raw}, PrivateKey: key, Leaf: leaf}
	for _, c := range chain {
		cert.Certificate = append(cert.Certificate, c.Raw)
	}
	// The key must be the certificate's: a mismatch would fail every
	// handshake, far from its cause.
	signer, ok := key.(crypto.Signer)
	pub, comparable := leaf.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !comparable || !pub.Equal(signer.Public()) {
		return tls.Certificate{}, fmt.Errorf("psc: client certificate %s: its key is not the certificate's", name)
	}
	return cert, nil
}

// CertificateWarningWindow: a client certificate expiring within it is
// warned about (IGC-Santé certificates last 3 years and are renewed by
// hand).
const CertificateWarningWindow = 30 * 24 * time.Hour

// CertificateWarnings lists what an administrator should hear about the
// configured client certificate, for `infopatient check` and start-up:
// it expires within CertificateWarningWindow (or has expired, or is not
// valid yet), or neither its CN nor a DNS SAN is the client id (which
// integrators expect, keycloak-prosanteconnect#28). None without a
// certificate; an error when it cannot be read.
//
// A warning is a line of text; Expired ones mean PSC refuses the
// certificate already (a failure for `check`), see CertificateExpired.
func CertificateWarnings(cfg Config, now time.Time) ([]string, error) {
	if cfg.ClientCertFile == "" {
		return nil, nil
	}
	cert, err := loadClientCertificate(cfg)
	if err != nil {
		return nil, err
	}
	return certificateWarnings(cert.Leaf, cfg.ClientID, now), nil
}

func certificateWarnings(leaf *x509.Certificate, clientID string, now time.Time) []string {
	if leaf == nil {
		return []string{"the client certificate could not be parsed"}
	}
	var out []string
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02") }
	switch left := leaf.NotAfter.Sub(now); {
	case left <= 0:
		out = append(out, fmt.Sprintf("%s on %s: PSC refuses it", expiredWarning, day(leaf.NotAfter)))
	case left <= CertificateWarningWindow:
		out = append(out, fmt.Sprintf("the client certificate expires on %s, in %d days: renew it with ANS (IGC-Santé)", day(leaf.NotAfter), int(left.Hours()/24)))
	}
	if now.Before(leaf.NotBefore) {
		out = append(out, fmt.Sprintf("%s %s", notYetWarning, day(leaf.NotBefore)))
	}
	if clientID != "" && leaf.Subject.CommonName != clientID && !slices.Contains(leaf.DNSNames, clientID) {
		out = append(out, fmt.Sprintf("the client certificate names %q (CN), not the client id %q", clip(leaf.Subject.CommonName), clientID))
	}
	return out
}

const expiredWarning = "the client certificate expired"

// CertificateExpired says whether a warning of CertificateWarnings is that
// the certificate has expired (or is not valid yet): no longer a warning
// but a failure.
func CertificateExpired(warning string) bool {
	return strings.HasPrefix(warning, expiredWarning) || strings.HasPrefix(warning, notYetWarning)
}

const notYetWarning = "the client certificate is not valid before"
