package insi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The wire types mirror INSi's SOAP 1.2 answer. The envelope, body,
// fault and RESULTAT are matched with their namespace, so that a SOAP 1.1
// or foreign answer is refused; RESULTAT's children (qualified in the
// same namespace by the XSD) by local name.
type wireEnvelope struct {
	XMLName xml.Name `xml:"http://www.w3.org/2003/05/soap-envelope Envelope"`
	Body    struct {
		Fault    *wireFault    `xml:"http://www.w3.org/2003/05/soap-envelope Fault"`
		Resultat *wireResultat `xml:"http://www.cnamts.fr/INSiResultat RESULTAT"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Body"`
}

type wireFault struct {
	Code struct {
		Value   string `xml:"Value"`
		Subcode struct {
			Value string `xml:"Value"`
		} `xml:"Subcode"`
	} `xml:"Code"`
	Reason []string `xml:"Reason>Text"`
	Detail struct {
		Erreur *struct {
			Code      string `xml:"code,attr"`
			Severite  string `xml:"severite,attr"`
			MessageID string `xml:"messageID,attr"`
			Text      string `xml:",chardata"`
		} `xml:"urn:siram Erreur"`
	} `xml:"Detail"`
}

type wireResultat struct {
	CodeCR    *string `xml:"CR>CodeCR"`
	LibelleCR string  `xml:"CR>LibelleCR"`
	Individu  *struct {
		Actif *wireINS  `xml:"INSACTIF"`
		Histo []wireINS `xml:"INSHISTO"`
		TIQ   *struct {
			NomNaissance  string `xml:"NomNaissance"`
			Prenom        string `xml:"Prenom"`
			ListePrenom   string `xml:"ListePrenom"`
			Sexe          string `xml:"Sexe"`
			DateNaissance string `xml:"DateNaissance"`
			LieuNaissance string `xml:"LieuNaissance"`
		} `xml:"TIQ"`
	} `xml:"INDIVIDU"`
}

type wireINS struct {
	NumIdentifiant string  `xml:"IdIndividu>NumIdentifiant"`
	Cle            *string `xml:"IdIndividu>Cle"`
	TypeMatricule  string  `xml:"IdIndividu>TypeMatricule"`
	OID            string  `xml:"OID"`
	DateDeb        string  `xml:"DateDeb"`
	DateFin        string  `xml:"DateFin"`
}

// Decode reads an INSi answer, a SOAP 1.2 envelope holding RESULTAT or a
// SIRAM Fault. A fault is returned as a *Fault error. A 00 answer is
// checked: every matricule must have its shape and a verifying key
// (ErrBadKey otherwise), every OID must be known.
func Decode(r io.Reader) (*Result, error) {
	d := xml.NewDecoder(r)
	// An answer in another charset than UTF-8 is not INSi's.
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") {
			return in, nil
		}
		return nil, fmt.Errorf("charset %q", label)
	}
	var env wireEnvelope
	if err := d.Decode(&env); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, shortXMLError(err))
	}
	// Nothing but white space or comments may follow the envelope.
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, shortXMLError(err))
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return nil, fmt.Errorf("%w: text after the envelope", ErrMalformed)
			}
		case xml.Comment, xml.ProcInst:
		default:
			return nil, fmt.Errorf("%w: content after the envelope", ErrMalformed)
		}
	}
	if f := env.Body.Fault; f != nil {
		return nil, decodeFault(f)
	}
	if env.Body.Resultat == nil {
		return nil, fmt.Errorf("%w: no INSi RESULTAT in the body", ErrMalformed)
	}
	return decodeResult(env.Body.Resultat)
}

func decodeFault(f *wireFault) *Fault {
	out := &Fault{Subcode: unprefix(f.Code.Subcode.Value)}
	if len(f.Reason) > 0 {
		out.Reason = strings.TrimSpace(f.Reason[0])
	}
	if e := f.Detail.Erreur; e != nil {
		out.Code, out.Severity, out.MessageID = strings.TrimSpace(e.Code), unprefix(e.Severite), e.MessageID
		if out.Reason == "" {
			out.Reason = strings.TrimSpace(e.Text)
		}
	}
	out.Err = faultCategory(out.Subcode, out.Code, out.Severity)
	return out
}

// unprefix drops a QName's prefix: "S:siram_100" → "siram_100".
func unprefix(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func decodeResult(w *wireResultat) (*Result, error) {
	if w.CodeCR == nil {
		return nil, fmt.Errorf("%w: no CodeCR", ErrMalformed)
	}
	res := &Result{Code: Code(strings.TrimSpace(*w.CodeCR)), Label: strings.TrimSpace(w.LibelleCR)}
	switch res.Code {
	case CodeNotFound, CodeSeveral:
		return res, nil
	case CodeFound:
	default:
		return nil, fmt.Errorf("%w: unknown CodeCR %q", ErrMalformed, clip(string(res.Code)))
	}
	ind := w.Individu
	if ind == nil || ind.Actif == nil || ind.TIQ == nil {
		return nil, fmt.Errorf("%w: code 00 without INDIVIDU, INSACTIF and TIQ", ErrMalformed)
	}
	active, err := decodeINS(*ind.Actif, true)
	if err != nil {
		return nil, err
	}
	id := &Identity{Active: active}
	for _, h := range ind.Histo {
		ins, err := decodeINS(h, false)
		if err != nil {
			return nil, fmt.Errorf("INSHISTO: %w", err)
		}
		id.History = append(id.History, ins)
	}
	t := ind.TIQ
	id.BirthName, id.FirstNames = strings.TrimSpace(t.NomNaissance), strings.TrimSpace(t.ListePrenom)
	id.Sex, id.BirthDate, id.BirthPlace = strings.TrimSpace(t.Sexe), strings.TrimSpace(t.DateNaissance), strings.TrimSpace(t.LieuNaissance)
	id.FirstName = strings.TrimSpace(t.Prenom)
	if id.FirstName == "" {
		id.FirstName, _, _ = strings.Cut(id.FirstNames, " ")
	}
	switch {
	case id.BirthName == "":
		return nil, fmt.Errorf("%w: TIQ without NomNaissance", ErrMalformed)
	case id.Sex != "M" && id.Sex != "F":
		return nil, fmt.Errorf("%w: TIQ Sexe is not M or F", ErrMalformed)
	case !validDate(id.BirthDate):
		return nil, fmt.Errorf("%w: TIQ DateNaissance is not a date", ErrMalformed)
	case id.BirthPlace != "" && !validCOG(strings.ToUpper(id.BirthPlace)):
		return nil, fmt.Errorf("%w: TIQ LieuNaissance is not a COG", ErrMalformed)
	}
	res.Identity = id
	return res, nil
}

// decodeINS checks one matricule: its shape, its key (required for the
// active INS; checked when present in the history), its OID.
func decodeINS(w wireINS, keyRequired bool) (INS, error) {
	ins := INS{
		Matricule: strings.TrimSpace(w.NumIdentifiant), TypeMatricule: strings.TrimSpace(w.TypeMatricule),
		OID: strings.TrimSpace(w.OID), From: strings.TrimSpace(w.DateDeb), To: strings.TrimSpace(w.DateFin),
	}
	if !validBody(ins.Matricule) {
		return INS{}, fmt.Errorf("%w: NumIdentifiant is not a matricule", ErrMalformed)
	}
	if w.Cle != nil {
		ins.Key = strings.TrimSpace(*w.Cle)
	}
	if ins.Key != "" || keyRequired {
		if !KeyValid(ins.Matricule, ins.Key) {
			return INS{}, ErrBadKey
		}
	}
	t, ok := TypeOf(ins.OID)
	if !ok {
		return INS{}, fmt.Errorf("%w: unknown OID %q", ErrMalformed, clip(ins.OID))
	}
	ins.Type = t
	if (ins.From != "" && !validDate(ins.From)) || (ins.To != "" && !validDate(ins.To)) {
		return INS{}, fmt.Errorf("%w: DateDeb or DateFin is not a date", ErrMalformed)
	}
	return ins, nil
}

// clip keeps a value from the answer short in an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// shortXMLError keeps a decoder error's message but not its whole input.
func shortXMLError(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("XML syntax error on line %d", se.Line)
	}
	var ue xml.UnmarshalError
	if errors.As(err, &ue) {
		return errors.New(clip(string(ue)))
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("truncated XML")
	}
	return errors.New(clip(err.Error()))
}
