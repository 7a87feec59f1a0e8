package rights

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/infopatient/infopatient/internal/nir"
)

// Request names a beneficiary as ADRi wants it: the assuré's NIR (for a
// child, the parent's), the beneficiary's date of birth and rank.
type Request struct {
	// Assure is the assuré's NIR (the "ouvrant droit").
	Assure nir.NIR
	// Beneficiary is the beneficiary's own certified NIR, when known.
	Beneficiary nir.NIR
	BirthDate   time.Time
	// Rank is the rang de naissance, 1–9 (twins differ by it).
	Rank int
	// ReferenceDate is the date the rights are asked at; today when zero.
	ReferenceDate time.Time
	// Regime is the code régime, when known (ContexteBAM GrandRegime).
	Regime string
	// Professional is the signed-in professional, required in psc mode.
	Professional *Professional
	// MessageID, when set, is the call's wsa:MessageID ("uuid:…"), so that
	// the caller can audit a call that fails; else the client makes one.
	MessageID string
}

// Professional is who asks, in psc mode.
type Professional struct {
	// IDNat is the PSC national identifier (NameID of the assertion).
	IDNat string
	// BillingID is the N° d'Assurance Maladie (identifiantFacturation).
	BillingID string
	// AccessToken is the professional's PSC access token, sent as a bearer
	// token. GUESS: how the token travels is not public (reference §5.3).
	AccessToken string
}

// NewRequest reads the inputs as typed into a form: the assuré's NIR
// (13 characters, or 15 with the key), the date of birth (YYYY-MM-DD) and
// the rank ("" for 1). Errors wrap ErrInvalidRequest and say which field;
// they never contain the values.
func NewRequest(assure, birthDate, rank string) (Request, error) {
	n, err := nir.Parse(assure)
	if err != nil {
		return Request{}, &InputError{Field: FieldNIR, Err: err}
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(birthDate))
	if err != nil {
		return Request{}, &InputError{Field: FieldBirthDate, Err: err}
	}
	r := 1
	if s := strings.TrimSpace(rank); s != "" {
		if r, err = strconv.Atoi(s); err != nil {
			return Request{}, &InputError{Field: FieldRank, Err: err}
		}
	}
	req := Request{Assure: n, BirthDate: d, Rank: r}
	return req, req.Check()
}

// Check validates a Request built by hand.
func (r Request) Check() error {
	if r.Assure.IsZero() {
		return &InputError{Field: FieldNIR, Err: errMissing}
	}
	if r.BirthDate.IsZero() || r.BirthDate.Year() < 1850 {
		return &InputError{Field: FieldBirthDate, Err: errMissing}
	}
	if r.Rank < 1 || r.Rank > 9 {
		return &InputError{Field: FieldRank, Err: fmt.Errorf("rank %d not in 1–9", r.Rank)}
	}
	if r.Regime != "" && !digits(r.Regime, 2) {
		return &InputError{Field: FieldRegime, Err: fmt.Errorf("not 2 digits")}
	}
	return nil
}

// Actions and namespaces of the ADRi request (reference §3.1, from the
// Pyxvital templates).
const (
	Action        = "urn:adr:1.1.0:acquerirLesDroits"
	RequestNS     = "urn:ir:se_req_adr"
	SOAPNS        = "http://www.w3.org/2003/05/soap-envelope"
	AddressingNS  = "http://www.w3.org/2005/08/addressing"
	SecurityNS    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	SAMLNS        = "urn:oasis:names:tc:SAML:2.0:assertion"
	ContextBAMNS  = "urn:siram:bam:ctxbam"
	ContextLPSNS  = "urn:siram:lps:ctxlps"
	SOAPMediaType = "application/soap+xml"
)

// envelope holds what a request needs besides the Request itself.
type envelope struct {
	messageID, instance, emitter string
	idam, softwareName, version  string
	at                           time.Time
	psc                          bool
}

// build writes the SOAP 1.2 envelope of an acquerirLesDroits request.
// Dates are written YYYY-MM-DD (xs:date). GUESS: the date format of
// DatedeReference and DateNai is not public.
func (e envelope) build(r Request) []byte {
	var b bytes.Buffer
	w := func(s ...string) {
		for _, x := range s {
			b.WriteString(x)
		}
	}
	t := esc
	ts := e.at.UTC().Format("2006-01-02T15:04:05.000Z")
	w(`<?xml version="1.0" encoding="UTF-8"?>`, "\n")
	w(`<soap:Envelope xmlns:soap="`, SOAPNS, `" xmlns:wsa="`, AddressingNS, `" xmlns:wsse="`, SecurityNS,
		`" xmlns:ctxbam="`, ContextBAMNS, `" xmlns:ctxlps="`, ContextLPSNS, `" xmlns:urn="`, RequestNS, `">`, "\n")
	w(`<soap:Header>`, "\n")
	w(`<wsse:Security>`)
	if e.psc && r.Professional != nil {
		// The professional's identity as an unsigned assertion, as the
		// reference describes PSC mode (§5.3); GUESS until SEL-MP-043 is read.
		w(`<saml:Assertion xmlns:saml="`, SAMLNS, `" ID="_`, t(e.messageID[len("uuid:"):]), `" IssueInstant="`, ts, `" Version="2.0">`,
			`<saml:Issuer>`, t(e.softwareName), `</saml:Issuer>`,
			`<saml:Subject><saml:NameID NameQualifier="PSC">`, t(r.Professional.IDNat), `</saml:NameID></saml:Subject>`,
			`<saml:AttributeStatement><saml:Attribute Name="identifiantFacturation"><saml:AttributeValue>`,
			t(r.Professional.BillingID), `</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>`)
	}
	w(`</wsse:Security>`, "\n")
	w(`<ctxbam:ContexteBAM Version="01_02" Nature="CTXBAM">`,
		`<ctxbam:Id>`, t(e.messageID), `</ctxbam:Id><ctxbam:Temps>`, ts, `</ctxbam:Temps>`,
		`<ctxbam:Emetteur>`, t(e.emitter), `</ctxbam:Emetteur><ctxbam:COUVERTURE>`)
	if r.Regime != "" {
		w(`<ctxbam:GrandRegime>`, t(r.Regime), `</ctxbam:GrandRegime>`)
	}
	w(`<ctxbam:ASSURE><ctxbam:Id><ctxbam:Num>`, r.Assure.String(), `</ctxbam:Num><ctxbam:Cle>`, r.Assure.Key(),
		`</ctxbam:Cle></ctxbam:Id></ctxbam:ASSURE><ctxbam:BENEFICIAIRE>`)
	if !r.Beneficiary.IsZero() {
		w(`<ctxbam:Nir><ctxbam:Num>`, r.Beneficiary.String(), `</ctxbam:Num><ctxbam:Cle>`, r.Beneficiary.Key(), `</ctxbam:Cle></ctxbam:Nir>`)
	}
	w(`<ctxbam:DateNai>`, r.BirthDate.Format(time.DateOnly), `</ctxbam:DateNai><ctxbam:Rang>`, strconv.Itoa(r.Rank),
		`</ctxbam:Rang></ctxbam:BENEFICIAIRE></ctxbam:COUVERTURE></ctxbam:ContexteBAM>`, "\n")
	w(`<ctxlps:ContexteLPS Nature="CTXLPS" Version="01_00">`,
		`<ctxlps:Id>`, t(e.messageID), `</ctxlps:Id><ctxlps:Temps>`, ts, `</ctxlps:Temps>`,
		`<ctxlps:Emetteur>`, t(e.emitter), `</ctxlps:Emetteur><ctxlps:LPS>`,
		`<ctxlps:IDAM R="4">`, t(e.idam), `</ctxlps:IDAM><ctxlps:Version>`, t(e.version), `</ctxlps:Version>`,
		`<ctxlps:Instance>`, t(e.instance), `</ctxlps:Instance><ctxlps:Nom>urn:lps:`, t(e.softwareName), `:`, t(e.version), `</ctxlps:Nom>`,
		`</ctxlps:LPS></ctxlps:ContexteLPS>`, "\n")
	w(`<wsa:MessageID>`, t(e.messageID), `</wsa:MessageID>`, "\n")
	w(`<wsa:Action>`, Action, `</wsa:Action>`, "\n")
	w(`</soap:Header>`, "\n")
	w(`<soap:Body>`, "\n")
	w(`<urn:Requete><urn:DatedeReference>`, r.ReferenceDate.Format(time.DateOnly), `</urn:DatedeReference>`,
		`<urn:BeneficiaireDeSoins>`)
	if !r.Beneficiary.IsZero() {
		w(`<urn:NIRcertifie><urn:Num>`, r.Beneficiary.String(), `</urn:Num><urn:Cle>`, r.Beneficiary.Key(), `</urn:Cle></urn:NIRcertifie>`)
	}
	w(`<urn:DatedeNaissance>`, r.BirthDate.Format(time.DateOnly), `</urn:DatedeNaissance>`,
		`<urn:SituationAdministrativeAMO><urn:RangdeNaissance>`, strconv.Itoa(r.Rank), `</urn:RangdeNaissance></urn:SituationAdministrativeAMO>`,
		`<urn:Assure><urn:NIRassure><urn:Num>`, r.Assure.String(), `</urn:Num><urn:Cle>`, r.Assure.Key(), `</urn:Cle></urn:NIRassure></urn:Assure>`,
		`</urn:BeneficiaireDeSoins></urn:Requete>`, "\n")
	w(`</soap:Body>`, "\n", `</soap:Envelope>`, "\n")
	return b.Bytes()
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
