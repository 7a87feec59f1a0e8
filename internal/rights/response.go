package rights

// provisional: ADRi response schema not public
//
// The ADRi answer's XSD is not public (reference §3.1, §5.7). Until it is
// obtained, InfoPatient defines its own answer, a GUESS built from the
// field names that the OpenXtrem Mediboard JFSE module receives from its
// SESAM-Vitale middleware, so that swapping in the real schema is a
// mapping change in this file and response_rights.go only. The format,
// namespace ResponseNS:
//
//	<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>
//	 <adr:reponseAcquerirLesDroits xmlns:adr="urn:infopatient:adri:provisoire:1">
//	  <adr:CR><adr:CodeCR>00</adr:CodeCR><adr:LibelleCR>OK</adr:LibelleCR></adr:CR>  <!-- 01: bénéficiaire inconnu -->
//	  <adr:dateReponse>2026-12-06</adr:dateReponse>
//	  <adr:dateReference>2026-12-06</adr:dateReference>        <!-- InfoPatient: "à la date du" -->
//	  <adr:beneficiaireDeSoins>
//	   <adr:nomUsuel/> <adr:nomPatronymique/> <adr:prenom/> <adr:adresse1/>…<adr:adresse5/>
//	   <adr:noNIRCertifie>2840275115023 23</adr:noNIRCertifie>   <!-- 13 + key, optional -->
//	   <adr:dateNaissance>1984-02-11</adr:dateNaissance> <adr:rangGemellaire>1</adr:rangGemellaire>
//	   <adr:qualite>0</adr:qualite>
//	   <adr:topMedecinTraitant>1</adr:topMedecinTraitant>
//	   <adr:nomMedecinTraitant>Dr …</adr:nomMedecinTraitant>     <!-- InfoPatient -->
//	   <adr:lstPeriodeAMO><adr:periodeAMO><adr:dateDebut/><adr:dateFin/></adr:periodeAMO></adr:lstPeriodeAMO>
//	   <adr:lstPeriodeCodeCouverture><adr:periodeCodeCouverture>
//	     <adr:groupe/><adr:dateDebut/><adr:dateFin/><adr:codeALD/><adr:codeSituation/>
//	     <adr:natureAssurance>AM|MAT|AT</adr:natureAssurance>      <!-- InfoPatient -->
//	   </adr:periodeCodeCouverture></adr:lstPeriodeCodeCouverture>
//	  </adr:beneficiaireDeSoins>
//	  <adr:infosGlobales><adr:codeRegime/><adr:libelleRegime/><adr:codeCaisse/><adr:libelleCaisse/>
//	   <adr:centrePrestation/></adr:infosGlobales>
//	  <adr:mutuelle>                                                 <!-- 0..n -->
//	   <adr:typeComplementaire>C2S|AME|AMC</adr:typeComplementaire>  <!-- InfoPatient -->
//	   <adr:noIdentification/> <adr:libelle/>                        <!-- libelle: InfoPatient -->
//	   <adr:periodeMutuelle><adr:noPeriode/><adr:dateDebut/><adr:dateFin/></adr:periodeMutuelle>
//	  </adr:mutuelle>
//	 </adr:reponseAcquerirLesDroits></soap:Body></soap:Envelope>
//
// Dates are YYYY-MM-DD; an empty or absent dateFin is an open period.
// Errors are SOAP 1.2 faults carrying a siram:Erreur, as INSi's are.

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ResponseNS is the namespace of InfoPatient's provisional answer.
const ResponseNS = "urn:infopatient:adri:provisoire:1"

// Result codes of the provisional answer.
const (
	CodeOK      = "00"
	CodeUnknown = "01"
)

// Wire types of the provisional answer. The sandbox writes the format on
// its own (it imports nothing of the portal); tests run one against the
// other.
type (
	// wireEnvelope is the SOAP envelope of an answer or a fault.
	wireEnvelope struct {
		XMLName xml.Name `xml:"http://www.w3.org/2003/05/soap-envelope Envelope"`
		Body    wireBody `xml:"http://www.w3.org/2003/05/soap-envelope Body"`
	}
	wireBody struct {
		Response *wireResponse `xml:"urn:infopatient:adri:provisoire:1 reponseAcquerirLesDroits,omitempty"`
		Fault    *wireFault    `xml:"http://www.w3.org/2003/05/soap-envelope Fault,omitempty"`
	}
	wireResponse struct {
		CR            wireCR            `xml:"urn:infopatient:adri:provisoire:1 CR"`
		DateReponse   string            `xml:"urn:infopatient:adri:provisoire:1 dateReponse,omitempty"`
		DateReference string            `xml:"urn:infopatient:adri:provisoire:1 dateReference,omitempty"`
		Beneficiaire  *wireBeneficiaire `xml:"urn:infopatient:adri:provisoire:1 beneficiaireDeSoins,omitempty"`
		Globales      *wireGlobales     `xml:"urn:infopatient:adri:provisoire:1 infosGlobales,omitempty"`
		Mutuelles     []wireMutuelle    `xml:"urn:infopatient:adri:provisoire:1 mutuelle"`
	}
	wireCR struct {
		Code    string `xml:"urn:infopatient:adri:provisoire:1 CodeCR"`
		Libelle string `xml:"urn:infopatient:adri:provisoire:1 LibelleCR"`
	}
	wireBeneficiaire struct {
		NomUsuel           string           `xml:"urn:infopatient:adri:provisoire:1 nomUsuel,omitempty"`
		NomPatronymique    string           `xml:"urn:infopatient:adri:provisoire:1 nomPatronymique,omitempty"`
		Prenom             string           `xml:"urn:infopatient:adri:provisoire:1 prenom,omitempty"`
		Adresse1           string           `xml:"urn:infopatient:adri:provisoire:1 adresse1,omitempty"`
		Adresse2           string           `xml:"urn:infopatient:adri:provisoire:1 adresse2,omitempty"`
		Adresse3           string           `xml:"urn:infopatient:adri:provisoire:1 adresse3,omitempty"`
		Adresse4           string           `xml:"urn:infopatient:adri:provisoire:1 adresse4,omitempty"`
		Adresse5           string           `xml:"urn:infopatient:adri:provisoire:1 adresse5,omitempty"`
		NoNIRCertifie      string           `xml:"urn:infopatient:adri:provisoire:1 noNIRCertifie,omitempty"`
		DateNaissance      string           `xml:"urn:infopatient:adri:provisoire:1 dateNaissance"`
		RangGemellaire     string           `xml:"urn:infopatient:adri:provisoire:1 rangGemellaire"`
		Qualite            string           `xml:"urn:infopatient:adri:provisoire:1 qualite,omitempty"`
		TopMedecinTraitant string           `xml:"urn:infopatient:adri:provisoire:1 topMedecinTraitant,omitempty"`
		NomMedecinTraitant string           `xml:"urn:infopatient:adri:provisoire:1 nomMedecinTraitant,omitempty"`
		PeriodesAMO        []wirePeriode    `xml:"urn:infopatient:adri:provisoire:1 lstPeriodeAMO>periodeAMO"`
		Couvertures        []wireCouverture `xml:"urn:infopatient:adri:provisoire:1 lstPeriodeCodeCouverture>periodeCodeCouverture"`
	}
	wirePeriode struct {
		NoPeriode string `xml:"urn:infopatient:adri:provisoire:1 noPeriode,omitempty"`
		DateDebut string `xml:"urn:infopatient:adri:provisoire:1 dateDebut"`
		DateFin   string `xml:"urn:infopatient:adri:provisoire:1 dateFin,omitempty"`
	}
	wireCouverture struct {
		Groupe          string `xml:"urn:infopatient:adri:provisoire:1 groupe,omitempty"`
		DateDebut       string `xml:"urn:infopatient:adri:provisoire:1 dateDebut"`
		DateFin         string `xml:"urn:infopatient:adri:provisoire:1 dateFin,omitempty"`
		CodeALD         string `xml:"urn:infopatient:adri:provisoire:1 codeALD,omitempty"`
		CodeSituation   string `xml:"urn:infopatient:adri:provisoire:1 codeSituation,omitempty"`
		NatureAssurance string `xml:"urn:infopatient:adri:provisoire:1 natureAssurance,omitempty"`
	}
	wireGlobales struct {
		CodeRegime       string `xml:"urn:infopatient:adri:provisoire:1 codeRegime"`
		LibelleRegime    string `xml:"urn:infopatient:adri:provisoire:1 libelleRegime,omitempty"`
		CodeCaisse       string `xml:"urn:infopatient:adri:provisoire:1 codeCaisse"`
		LibelleCaisse    string `xml:"urn:infopatient:adri:provisoire:1 libelleCaisse,omitempty"`
		CentrePrestation string `xml:"urn:infopatient:adri:provisoire:1 centrePrestation,omitempty"`
	}
	wireMutuelle struct {
		Type             string        `xml:"urn:infopatient:adri:provisoire:1 typeComplementaire"`
		NoIdentification string        `xml:"urn:infopatient:adri:provisoire:1 noIdentification,omitempty"`
		Libelle          string        `xml:"urn:infopatient:adri:provisoire:1 libelle,omitempty"`
		Periodes         []wirePeriode `xml:"urn:infopatient:adri:provisoire:1 periodeMutuelle"`
	}
	// wireFault is a SOAP 1.2 fault with a siram:Erreur detail.
	wireFault struct {
		Code   wireFaultCode   `xml:"http://www.w3.org/2003/05/soap-envelope Code"`
		Reason wireFaultReason `xml:"http://www.w3.org/2003/05/soap-envelope Reason"`
		Detail *wireDetail     `xml:"http://www.w3.org/2003/05/soap-envelope Detail,omitempty"`
	}
	wireFaultCode struct {
		Value   string       `xml:"http://www.w3.org/2003/05/soap-envelope Value"`
		Subcode *wireSubcode `xml:"http://www.w3.org/2003/05/soap-envelope Subcode,omitempty"`
	}
	wireSubcode struct {
		Value string `xml:"http://www.w3.org/2003/05/soap-envelope Value"`
	}
	wireFaultReason struct {
		Text wireText `xml:"http://www.w3.org/2003/05/soap-envelope Text"`
	}
	wireText struct {
		Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
		Value string `xml:",chardata"`
	}
	wireDetail struct {
		Erreur *wireErreur `xml:"urn:siram Erreur,omitempty"`
	}
	wireErreur struct {
		Code      string `xml:"code,attr"`
		Severite  string `xml:"severite,attr"`
		MessageID string `xml:"messageID,attr,omitempty"`
		Text      string `xml:",chardata"`
	}
)

// Fault codes (siram:Erreur code) that mean the service is unavailable;
// every other fault is a refusal.
var unavailableCodes = map[string]bool{"insi_111": true, "siram_40": true, "adri_111": true}

// Decode reads an answer: the rights, or ErrUnknownBeneficiary, or a
// *FaultError, or ErrMalformed. It does not check that the answer is about
// the beneficiary asked: Client.Acquire does.
func Decode(r io.Reader) (*Rights, error) {
	var env wireEnvelope
	dec := xml.NewDecoder(r)
	dec.Strict = true
	// Only UTF-8 is accepted: encoding/xml refuses other declared
	// encodings without a CharsetReader.
	if err := dec.Decode(&env); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrMalformed, xmlReason(err))
	}
	if f := env.Body.Fault; f != nil {
		return nil, faultError(f)
	}
	resp := env.Body.Response
	if resp == nil {
		return nil, fmt.Errorf("%w: no reponseAcquerirLesDroits in the body", ErrMalformed)
	}
	switch resp.CR.Code {
	case CodeOK:
	case CodeUnknown:
		return nil, ErrUnknownBeneficiary
	default:
		return nil, fmt.Errorf("%w: result code %q", ErrMalformed, clip(resp.CR.Code))
	}
	return decodeRights(resp)
}

func faultError(f *wireFault) error {
	fe := &FaultError{Text: clip(strings.TrimSpace(f.Reason.Text.Value)), Err: ErrRefused}
	if f.Detail != nil && f.Detail.Erreur != nil {
		fe.Code, fe.Severity = clip(f.Detail.Erreur.Code), clip(f.Detail.Erreur.Severite)
	}
	if fe.Code == "" && f.Code.Subcode != nil {
		fe.Code = clip(f.Code.Subcode.Value)
	}
	if unavailableCodes[strings.ToLower(fe.Code)] || fe.Severity == "fatale" {
		fe.Err = ErrUnavailable
	}
	return fe
}

// xmlReason keeps a parser error short; it holds no content of the answer
// beyond a line number.
func xmlReason(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return "XML syntax error on line " + strconv.Itoa(se.Line)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "truncated"
	}
	return "not a SOAP envelope"
}

// clip bounds a string from the answer before it reaches a log.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
