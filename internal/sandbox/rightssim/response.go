package rightssim

import (
	"bytes"
	"encoding/xml"
	"net/http"
)

// The provisional answer format, as documented in internal/rights
// (response.go): InfoPatient's GUESS built from the JFSE field names,
// until the ADRi answer's schema is obtained.
const responseNS = "urn:infopatient:adri:provisoire:1"

type (
	respEnvelope struct {
		XMLName xml.Name `xml:"soap:Envelope"`
		Soap    string   `xml:"xmlns:soap,attr"`
		Body    struct {
			Inner any
		} `xml:"soap:Body"`
	}
	respBody struct {
		XMLName       xml.Name          `xml:"adr:reponseAcquerirLesDroits"`
		NS            string            `xml:"xmlns:adr,attr"`
		CR            respCR            `xml:"adr:CR"`
		DateReponse   string            `xml:"adr:dateReponse,omitempty"`
		DateReference string            `xml:"adr:dateReference,omitempty"`
		Beneficiaire  *respBeneficiaire `xml:"adr:beneficiaireDeSoins,omitempty"`
		Globales      *respGlobales     `xml:"adr:infosGlobales,omitempty"`
		Mutuelles     []respMutuelle    `xml:"adr:mutuelle"`
	}
	respCR struct {
		Code    string `xml:"adr:CodeCR"`
		Libelle string `xml:"adr:LibelleCR"`
	}
	respBeneficiaire struct {
		NomUsuel           string           `xml:"adr:nomUsuel,omitempty"`
		NomPatronymique    string           `xml:"adr:nomPatronymique,omitempty"`
		Prenom             string           `xml:"adr:prenom,omitempty"`
		Adresse1           string           `xml:"adr:adresse1,omitempty"`
		Adresse2           string           `xml:"adr:adresse2,omitempty"`
		Adresse3           string           `xml:"adr:adresse3,omitempty"`
		Adresse4           string           `xml:"adr:adresse4,omitempty"`
		Adresse5           string           `xml:"adr:adresse5,omitempty"`
		NoNIRCertifie      string           `xml:"adr:noNIRCertifie,omitempty"`
		DateNaissance      string           `xml:"adr:dateNaissance"`
		RangGemellaire     string           `xml:"adr:rangGemellaire"`
		Qualite            string           `xml:"adr:qualite,omitempty"`
		TopMedecinTraitant string           `xml:"adr:topMedecinTraitant,omitempty"`
		NomMedecinTraitant string           `xml:"adr:nomMedecinTraitant,omitempty"`
		PeriodesAMO        []respPeriode    `xml:"adr:lstPeriodeAMO>adr:periodeAMO"`
		Couvertures        []respCouverture `xml:"adr:lstPeriodeCodeCouverture>adr:periodeCodeCouverture"`
	}
	respPeriode struct {
		NoPeriode string `xml:"adr:noPeriode,omitempty"`
		DateDebut string `xml:"adr:dateDebut"`
		DateFin   string `xml:"adr:dateFin,omitempty"`
	}
	respCouverture struct {
		Groupe          string `xml:"adr:groupe,omitempty"`
		DateDebut       string `xml:"adr:dateDebut"`
		DateFin         string `xml:"adr:dateFin,omitempty"`
		CodeALD         string `xml:"adr:codeALD,omitempty"`
		CodeSituation   string `xml:"adr:codeSituation,omitempty"`
		NatureAssurance string `xml:"adr:natureAssurance,omitempty"`
	}
	respGlobales struct {
		CodeRegime       string `xml:"adr:codeRegime"`
		LibelleRegime    string `xml:"adr:libelleRegime,omitempty"`
		CodeCaisse       string `xml:"adr:codeCaisse"`
		LibelleCaisse    string `xml:"adr:libelleCaisse,omitempty"`
		CentrePrestation string `xml:"adr:centrePrestation,omitempty"`
	}
	respMutuelle struct {
		Type             string        `xml:"adr:typeComplementaire"`
		NoIdentification string        `xml:"adr:noIdentification,omitempty"`
		Libelle          string        `xml:"adr:libelle,omitempty"`
		Periodes         []respPeriode `xml:"adr:periodeMutuelle"`
	}
	faultBody struct {
		XMLName xml.Name `xml:"soap:Fault"`
		Code    struct {
			Value   string `xml:"soap:Value"`
			Subcode string `xml:"soap:Subcode>soap:Value"`
		} `xml:"soap:Code"`
		Reason struct {
			Text struct {
				Lang  string `xml:"xml:lang,attr"`
				Value string `xml:",chardata"`
			} `xml:"soap:Text"`
		} `xml:"soap:Reason"`
		Erreur struct {
			NS       string `xml:"xmlns:siram,attr"`
			Code     string `xml:"code,attr"`
			Severite string `xml:"severite,attr"`
			Text     string `xml:",chardata"`
		} `xml:"soap:Detail>siram:Erreur"`
	}
)

// render writes an envelope around inner, with prefixes spelled out as
// the real services do.
func render(inner any) []byte {
	if rb, ok := inner.(*respBody); ok {
		rb.NS = responseNS
	}
	env := respEnvelope{Soap: "http://www.w3.org/2003/05/soap-envelope"}
	env.Body.Inner = inner
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(env); err != nil {
		panic("rightssim: rendering: " + err.Error()) // the types above always encode
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// writeFault answers a SOAP 1.2 fault with a siram:Erreur, HTTP 500.
func writeFault(w http.ResponseWriter, value, code, severity, text string) {
	var f faultBody
	f.Code.Value, f.Code.Subcode = value, code
	f.Reason.Text.Lang, f.Reason.Text.Value = "fr", text
	f.Erreur.NS, f.Erreur.Code, f.Erreur.Severite, f.Erreur.Text = "urn:siram", code, severity, text
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(render(&f))
}
