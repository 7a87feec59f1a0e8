package insi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// AuthMode is how InfoPatient proves to INSi who calls.
type AuthMode string

// Authentication modes.
const (
	// AuthMTLS: the structure's software certificate (IGC-Santé ORG, CN
	// INSI-AUTO or INSI-MANU) over mutual TLS; no assertion is sent.
	AuthMTLS AuthMode = "mtls"
	// AuthPSC: the signed-in professional's identity as an unsigned SAML
	// assertion with NameID NameQualifier="PSC", plus their Pro Santé
	// Connect access token handed to a TokenPresenter.
	AuthPSC AuthMode = "psc"
)

// The certificate names INSi accepts in mTLS mode.
const (
	CNAuto   = "INSI-AUTO"
	CNManual = "INSI-MANU"
)

// SandboxCNHeader carries the certificate name to the sandbox INSi when
// it is reached over plain HTTP on loopback, where no TLS client
// certificate can be shown. GUESS: a convention of InfoPatient's sandbox,
// never sent to any other address.
const SandboxCNHeader = "X-Infopatient-Sandbox-Client-Cn"

// LoadCertificate reads the structure certificate for mTLS mode: either
// a PEM certificate (chain) and a PEM key, or a PKCS#12 file (key nil,
// password in password). The leaf's CN must be INSI-AUTO or INSI-MANU:
// INSi would refuse any other with DESIR_560, so it is refused at load.
func LoadCertificate(certOrP12, key []byte, password string) (tls.Certificate, error) {
	var cert tls.Certificate
	if key != nil {
		c, err := tls.X509KeyPair(certOrP12, key)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("%w: INSi client certificate: %w", ErrConfig, err)
		}
		cert = c
	} else {
		if b, _ := pem.Decode(certOrP12); b != nil {
			return tls.Certificate{}, fmt.Errorf("%w: INSi client certificate is PEM but no key was given", ErrConfig)
		}
		k, leaf, chain, err := pkcs12.DecodeChain(certOrP12, password)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("%w: INSi PKCS#12 file: %w", ErrConfig, err)
		}
		cert.PrivateKey = k
		cert.Certificate = append(cert.Certificate, leaf.Raw)
		for _, c := range chain {
			cert.Certificate = append(cert.Certificate, c.Raw)
		}
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%w: INSi client certificate: %w", ErrConfig, err)
	}
	cert.Leaf = leaf
	if cn := leaf.Subject.CommonName; cn != CNAuto && cn != CNManual {
		return tls.Certificate{}, fmt.Errorf("%w: INSi client certificate CN is %q, INSi accepts only %s or %s", ErrConfig, cn, CNAuto, CNManual)
	}
	return cert, nil
}

// Professional is the signed-in professional on whose behalf a search is
// made. In psc mode it fills the assertion; in both modes IDNat is the
// contexts' Emetteur (GUESS, as CPx-mode clients put the RPPS there).
type Professional struct {
	// IDNat is the PSC national identifier (SubjectNameID).
	IDNat string
	// BillingID is identifiantFacturation: the AM billing number of a
	// libéral, or the structure's FINESS/SIRET.
	BillingID string
	// SpecialtyCode is codeSpecialiteAMO (physicians), optional.
	SpecialtyCode string
	// Sector is secteurActivite, optional.
	Sector string
	// ProfessionCode is gipProfessionCode, for professionals with several
	// professions, optional.
	ProfessionCode string
	// AccessToken is the PSC access token, handed to the TokenPresenter.
	AccessToken string
}

// TokenPresenter puts the professional's PSC access token on an INSi
// request in psc mode. GUESS: the real mechanism is in SEL-MP-043
// v05.00.01, not public; until it is read, BearerPresenter sends the
// token as it is, and an implementation doing an RFC 8693 exchange first
// can replace it without touching the client.
type TokenPresenter interface {
	Present(ctx context.Context, req *http.Request, accessToken string) error
}

// BearerPresenter sends the access token as "Authorization: Bearer".
type BearerPresenter struct{}

// Present implements TokenPresenter.
func (BearerPresenter) Present(_ context.Context, req *http.Request, token string) error {
	if token == "" {
		return fmt.Errorf("%w: no PSC access token for psc mode", ErrConfig)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return nil
}

// pscAssertion is the unsigned SAML 2.0 assertion of psc mode (guide
// SEL-MP-043 v05.00.01 §3.2 as read by a third party): NameID
// NameQualifier="PSC" holding the idNat, and the attributes INSi reads.
func pscAssertion(p *Professional, id, issuer string, at time.Time) []byte {
	var w xw
	w.raw(`<saml:Assertion xmlns:saml="` + NSSAML + `" Version="2.0"`)
	w.attr("ID", "_"+id)
	w.attr("IssueInstant", at.UTC().Format(time.RFC3339))
	w.raw(">")
	w.elem("saml:Issuer", issuer)
	w.raw(`<saml:Subject><saml:NameID NameQualifier="PSC">`)
	w.text(p.IDNat)
	w.raw("</saml:NameID></saml:Subject>")
	w.raw("<saml:Conditions")
	w.attr("NotBefore", at.UTC().Format(time.RFC3339))
	w.attr("NotOnOrAfter", at.Add(time.Hour).UTC().Format(time.RFC3339))
	w.raw("/><saml:AttributeStatement>")
	for _, a := range [][2]string{
		{"identifiantFacturation", p.BillingID},
		{"codeSpecialiteAMO", p.SpecialtyCode},
		{"secteurActivite", p.Sector},
		{"gipProfessionCode", p.ProfessionCode},
	} {
		if a[1] == "" {
			continue
		}
		w.raw("<saml:Attribute")
		w.attr("Name", a[0])
		w.raw("><saml:AttributeValue>")
		w.text(a[1])
		w.raw("</saml:AttributeValue></saml:Attribute>")
	}
	w.raw("</saml:AttributeStatement></saml:Assertion>")
	return w.Bytes()
}
