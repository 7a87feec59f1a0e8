package insisim

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Namespaces and actions of the INSi contract.
const (
	nsSoap12   = "http://www.w3.org/2003/05/soap-envelope"
	nsResultat = "http://www.cnamts.fr/INSiResultat"
	nsRecSans  = "http://www.cnamts.fr/INSiRecSans"
	nsRecVit   = "http://www.cnamts.fr/INSiRecVit"

	ActionTraits = "urn:ServiceIdentiteCertifiee:1.0.0:rechercherInsAvecTraitsIdentite"
	ActionCard   = "urn:ServiceIdentiteCertifiee:1.0.0:rechercherInsAvecCarteVitale"
)

// Request is what the simulator reads from a SOAP request.
type Request struct {
	Action, MessageID string
	IDAM              string
	// LPSName is ContexteLPS/LPS/Nom; Instance its Instance.
	LPSName, Instance string
	// HasBAM tells whether ContexteBAM was sent.
	HasBAM bool
	// NameID and NameQualifier are the assertion's subject, if any.
	NameID, NameQualifier string
	// Traits (RECSANSVITALE).
	Traits *TraitsQuery
	// Card (RECVITALE).
	Card *CardQuery
}

// TraitsQuery is RECSANSVITALE.
type TraitsQuery struct {
	BirthName  string   `xml:"NomNaissance"`
	FirstNames []string `xml:"Prenom"`
	Sex        string   `xml:"Sexe"`
	BirthDate  string   `xml:"DateNaissance"`
	BirthPlace string   `xml:"LieuNaissance"`
}

// CardQuery is RECVITALE.
type CardQuery struct {
	Individual string `xml:"MatriculeIndividu>NumIdentifiant"`
	Holder     string `xml:"MatriculeOD>NumIdentifiant"`
	BirthName  string `xml:"NomNaissance"`
	BirthDate  string `xml:"DateNaissance"`
	Rank       string `xml:"RangNaissance"`
}

type wireRequest struct {
	XMLName xml.Name `xml:"http://www.w3.org/2003/05/soap-envelope Envelope"`
	Header  struct {
		Action    string `xml:"http://www.w3.org/2005/08/addressing Action"`
		MessageID string `xml:"http://www.w3.org/2005/08/addressing MessageID"`
		BAM       *struct {
			ID string `xml:"Id"`
		} `xml:"urn:siram:bam:ctxbam ContexteBAM"`
		LPS *struct {
			IDAM     string `xml:"LPS>IDAM"`
			Nom      string `xml:"LPS>Nom"`
			Instance string `xml:"LPS>Instance"`
		} `xml:"urn:siram:lps:ctxlps ContexteLPS"`
		Security *struct {
			NameID *struct {
				Qualifier string `xml:"NameQualifier,attr"`
				Value     string `xml:",chardata"`
			} `xml:"Assertion>Subject>NameID"`
		} `xml:"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd Security"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Header"`
	Body struct {
		Traits *TraitsQuery `xml:"http://www.cnamts.fr/INSiRecSans RECSANSVITALE"`
		Card   *CardQuery   `xml:"http://www.cnamts.fr/INSiRecVit RECVITALE"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Body"`
}

// errBadRequest marks a request that is not an INSi request.
var errBadRequest = errors.New("insisim: not an INSi request")

// ParseRequest reads a SOAP 1.2 INSi request. It checks the shape only
// (envelope, headers present, one known body); the server checks values.
func ParseRequest(r io.Reader) (*Request, error) {
	d := xml.NewDecoder(r)
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") {
			return in, nil
		}
		return nil, fmt.Errorf("charset %q", label)
	}
	var w wireRequest
	if err := d.Decode(&w); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadRequest, err)
	}
	h := w.Header
	req := &Request{Action: strings.TrimSpace(h.Action), MessageID: strings.TrimSpace(h.MessageID), HasBAM: h.BAM != nil}
	if h.LPS != nil {
		req.IDAM, req.LPSName, req.Instance = strings.TrimSpace(h.LPS.IDAM), strings.TrimSpace(h.LPS.Nom), strings.TrimSpace(h.LPS.Instance)
	}
	if h.Security != nil && h.Security.NameID != nil {
		req.NameID, req.NameQualifier = strings.TrimSpace(h.Security.NameID.Value), h.Security.NameID.Qualifier
	}
	req.Traits, req.Card = w.Body.Traits, w.Body.Card
	switch {
	case req.Action != ActionTraits && req.Action != ActionCard:
		return nil, fmt.Errorf("%w: unknown wsa:Action", errBadRequest)
	case req.MessageID == "":
		return nil, fmt.Errorf("%w: no wsa:MessageID", errBadRequest)
	case !req.HasBAM || h.LPS == nil:
		return nil, fmt.Errorf("%w: ContexteBAM and ContexteLPS are required", errBadRequest)
	case req.Action == ActionTraits && req.Traits == nil, req.Action == ActionCard && req.Card == nil:
		return nil, fmt.Errorf("%w: the body does not match wsa:Action", errBadRequest)
	}
	return req, nil
}

// lexicalOK applies INSi's rules to a name: A–Z words joined by one
// space, apostrophe, or up to maxHyphens hyphens.
func lexicalOK(s string, maxHyphens int) bool {
	if s == "" {
		return false
	}
	run, hyphens := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			run, hyphens = 0, 0
			continue
		case c != ' ' && c != '\'' && c != '-':
			return false
		case i == 0 || i == len(s)-1:
			return false
		}
		run++
		if c == '-' {
			hyphens++
		}
		if run > 1 && !(hyphens == run && run <= maxHyphens) {
			return false
		}
	}
	return true
}
