package covercardsim

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// Namespace is the default namespace of Covercard answers.
const Namespace = "http://www.ofac.ch/XEDO"

// rootName is the answer's root element. Covercard's is not documented;
// clients match the element paths below it, not this name.
const rootName = "covercardResponse"

// Codes of validCard.
const (
	validCardOK      = "0"
	validCardBlocked = "67"
	// validCardUnknown answers a number no insurer knows. Covercard's codes
	// other than 0 and 67 are not public: this is the sandbox's choice.
	validCardUnknown = "12"
)

// The xml* types are the 42a answer, in document order.
type xmlResponse struct {
	XMLName        xml.Name `xml:"http://www.ofac.ch/XEDO covercardResponse"`
	CardNoVeka     string   `xml:"cardNoVeka"`
	ZSRNo          string   `xml:"ZSRno"`
	QualifyingDate string   `xml:"qualifyingDate"`
	QueryNumber    string   `xml:"queryNumber"`
	ValidCard      string   `xml:"validCard"`
	CodProv        string   `xml:"codProv"`
	Base           *xmlBase `xml:"CH-Baseinformation,omitempty"`
}

type xmlBase struct {
	Identification struct {
		OfficialName string `xml:"name>officialName"`
		FirstName    string `xml:"name>firstName"`
		BirthDate    string `xml:"dateOfBirth>yearMonthDay"`
		AHV          string `xml:"cardholderIdentifier"`
		Sex          int    `xml:"sex"`
	} `xml:"identificationData"`
	Administrative struct {
		IssuingState        string `xml:"issuingStateIdNumer"` // sic
		InstitutionName     string `xml:"nameOfTheInstitution"`
		InstitutionNumber   string `xml:"identificationNumberOfTheInstitution"`
		CardNumber          string `xml:"coverCardNo"`
		InsuredPersonNumber string `xml:"insuredPersonNumber"`
		InsuredNumber       string `xml:"insuredNumber"`
		ExpiryDate          string `xml:"expiryDate"`
	} `xml:"administrativeData"`
	National struct {
		MailAddress xmlAddress  `xml:"mailAddress"`
		KVG         *xmlKVG     `xml:"KVGInformation,omitempty"`
		Insurer     *xmlInsurer `xml:"insurerInformation,omitempty"`
		VVG         *xmlVVGInfo `xml:"VVGInformation,omitempty"`
	} `xml:"nationalExtension"`
	Ofac struct {
		CoverageRestriction string `xml:"medicalServiceCoverageRestriction"`
		ValidityDate        string `xml:"validityDate"`
		DebtorName          *struct {
			OfficialName string `xml:"officialName"`
			FirstName    string `xml:"firstName"`
		} `xml:"debNomAddress,omitempty"`
		DebtorAddress *xmlAddress `xml:"debmailAddress,omitempty"`
	} `xml:"ofacExtension"`
}

type xmlAddress struct {
	Line1   string `xml:"addressLine1"`
	Town    string `xml:"town"`
	ZipCode string `xml:"swissZipCode"`
	Country string `xml:"country"`
}

func addressFor(a Address) xmlAddress {
	return xmlAddress{Line1: a.Line1, Town: a.Town, ZipCode: a.ZipCode, Country: a.Country}
}

type xmlKVG struct {
	LanguageRegion string `xml:"languageRegion,omitempty"`
	Base           string `xml:"KVGBase,omitempty"`
	Model          string `xml:"KVGModel,omitempty"`
	ModelText      string `xml:"KVGModelText,omitempty"`
	Canton         string `xml:"KVGcanton>KVGcanton,omitempty"`
	Accident       string `xml:"KVGaccidentCoverage,omitempty"`
}

type xmlInsurer struct {
	Phone struct {
		Number            string `xml:"number,attr"`
		LocalCode         string `xml:"local-code,attr"`
		InternationalCode string `xml:"international-code,attr"`
	} `xml:"contactNumberGerman"`
	Email   string      `xml:"contactEmailAddress,omitempty"`
	EAN     string      `xml:"contactEanNumber,omitempty"`
	Billing *xmlAddress `xml:"billingAddress,omitempty"`
}

type xmlVVGInfo struct {
	Insurers []xmlVVG `xml:"VVGinsurerInformation"`
}

type xmlVVG struct {
	IssuingState        string      `xml:"issuingStateIdNumer"`
	Name                string      `xml:"nameOfVVGInsurer"`
	BAGNumber           string      `xml:"identificationNumberOfVVGInsurer"`
	CardNumber          string      `xml:"coverCardNo"`
	InsuredPersonNumber string      `xml:"insuredPersonNumber"`
	InsuredNumber       string      `xml:"insuredNumber"`
	ExpiryDate          string      `xml:"expiryDate"`
	Insurer             *xmlInsurer `xml:"insurerInformation,omitempty"`
}

// answerFor builds the answer about number (card is nil for a number the
// sandbox does not list) in langue.
func (s *Server) answerFor(number string, card *Card, langue string, now time.Time, query string) *xmlResponse {
	today := now.Format(time.DateOnly)
	r := &xmlResponse{
		CardNoVeka: number, ZSRNo: s.cfg.ZSRNumber, QualifyingDate: today,
		QueryNumber: query, ValidCard: validCardUnknown, CodProv: "1",
	}
	if card == nil {
		return r
	}
	r.ValidCard = scenarioCode(card)
	if p := card.Person; p != nil && card.Scenario != ScenarioUnknown {
		r.Base = baseFor(number, p, langue, today)
	}
	return r
}

func scenarioCode(c *Card) string {
	if c.ValidCard != "" {
		return c.ValidCard
	}
	switch c.Scenario {
	case ScenarioBlocked:
		return validCardBlocked
	case ScenarioUnknown:
		return validCardUnknown
	}
	return validCardOK
}

func baseFor(number string, p *Person, langue, today string) *xmlBase {
	b := &xmlBase{}
	id := &b.Identification
	id.OfficialName, id.FirstName, id.BirthDate, id.AHV, id.Sex = p.OfficialName, p.FirstName, p.BirthDate, p.AHV, p.Sex
	ad := &b.Administrative
	ad.IssuingState, ad.InstitutionName, ad.InstitutionNumber = "756", p.Insurer.Name, p.Insurer.BAGNumber
	ad.CardNumber, ad.InsuredPersonNumber, ad.InsuredNumber, ad.ExpiryDate = number, p.InsuredPersonNumber, p.InsuredNumber, p.CardExpiry
	b.National.MailAddress = addressFor(p.Address)
	if k := p.KVG; k != nil {
		b.National.KVG = &xmlKVG{
			LanguageRegion: k.LanguageRegion, Base: "1", Model: k.Model,
			ModelText: modelText(k.Model, langue), Canton: k.Canton, Accident: k.AccidentCoverage,
		}
	} else if p.LanguageRegion != "" {
		// Supplementary only: KVGInformation without KVGBase.
		b.National.KVG = &xmlKVG{LanguageRegion: p.LanguageRegion}
	}
	b.National.Insurer = insurerFor(p.Insurer)
	if len(p.VVG) > 0 {
		b.National.VVG = &xmlVVGInfo{}
	}
	for _, v := range p.VVG {
		b.National.VVG.Insurers = append(b.National.VVG.Insurers, xmlVVG{
			IssuingState: "756", Name: v.Insurer.Name, BAGNumber: v.Insurer.BAGNumber,
			CardNumber: number, InsuredPersonNumber: p.InsuredPersonNumber,
			InsuredNumber: v.InsuredNumber, ExpiryDate: v.Expiry, Insurer: insurerFor(v.Insurer),
		})
	}
	b.Ofac.CoverageRestriction, b.Ofac.ValidityDate = p.CoverageRestriction, today
	if d := p.Debtor; d != nil {
		b.Ofac.DebtorName = &struct {
			OfficialName string `xml:"officialName"`
			FirstName    string `xml:"firstName"`
		}{d.OfficialName, d.FirstName}
		a := addressFor(d.Address)
		b.Ofac.DebtorAddress = &a
	}
	return b
}

func insurerFor(in Insurer) *xmlInsurer {
	x := &xmlInsurer{Email: in.Email, EAN: in.EAN}
	if in.BillingAddress != nil {
		a := addressFor(*in.BillingAddress)
		x.Billing = &a
	}
	x.Phone.Number, x.Phone.LocalCode, x.Phone.InternationalCode = in.Phone.Number, in.Phone.Local, in.Phone.International
	return x
}

// encodeDocument writes the answer as Covercard does: windows-1252, with
// a DOCTYPE naming an external DTD that clients must not fetch.
func encodeDocument(r *xmlResponse, dtdURL string) ([]byte, error) {
	body, err := xml.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	var doc bytes.Buffer
	doc.WriteString(`<?xml version="1.0" encoding="windows-1252"?>` + "\n")
	fmt.Fprintf(&doc, "<!DOCTYPE %s SYSTEM %q>\n", rootName, dtdURL)
	doc.Write(body)
	doc.WriteString("\n")
	return toWindows1252(doc.Bytes())
}

// toWindows1252 re-encodes UTF-8 text; a character windows-1252 lacks
// becomes a numeric character reference, which XML reads back intact.
func toWindows1252(utf8Text []byte) ([]byte, error) {
	enc := encoding.HTMLEscapeUnsupported(charmap.Windows1252.NewEncoder())
	return enc.Bytes(utf8Text)
}

// malformedDocument is the answer of the malformed scenario: it starts
// well and breaks in the middle (mismatched tags), like an answer cut and
// glued by a faulty proxy.
func malformedDocument(number string) []byte {
	return []byte(`<?xml version="1.0" encoding="windows-1252"?>
<` + rootName + ` xmlns="` + Namespace + `">
  <cardNoVeka>` + number + `</cardNoVeka>
  <validCard>0</validCard>
  <CH-Baseinformation>
    <identificationData>
      <name><officialName>Kaputt</firstName></name>
`)
}
