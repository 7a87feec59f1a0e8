package rights

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"software.sslmate.com/src/go-pkcs12"
)

// LoadCertificate reads the structure certificate of mtls mode: a PEM
// certificate (chain) with its PEM key, or a PKCS#12 file (key nil,
// opened with password), as IGC-Santé delivers them.
func LoadCertificate(certOrP12, key []byte, password string) (tls.Certificate, error) {
	var cert tls.Certificate
	if len(key) > 0 {
		c, err := tls.X509KeyPair(certOrP12, key)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("rights: client certificate: %w", err)
		}
		cert = c
	} else {
		if b, _ := pem.Decode(certOrP12); b != nil {
			return tls.Certificate{}, errors.New("rights: the client certificate is PEM but no key was given")
		}
		k, leaf, chain, err := pkcs12.DecodeChain(certOrP12, password)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("rights: PKCS#12 client certificate: %w", err)
		}
		cert.PrivateKey = k
		cert.Certificate = append(cert.Certificate, leaf.Raw)
		for _, c := range chain {
			cert.Certificate = append(cert.Certificate, c.Raw)
		}
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("rights: client certificate: %w", err)
	}
	cert.Leaf = leaf
	return cert, nil
}

// LoadRoots reads the PEM chain to trust (IGC-Santé's); at least one
// certificate is required.
func LoadRoots(pemBundle []byte) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBundle) {
		return nil, errors.New("rights: no PEM certificate in the CA bundle")
	}
	return pool, nil
}
