// Package insisim is an offline INSi: the CNAM téléservice that gives a
// patient's INS from their traits or carte Vitale. It speaks the same
// SOAP 1.2 contract, checks the headers, the software's IDAM, the
// lexical rules and the caller (certificate name in mtls mode, the PSC
// assertion in psc mode), answers the public test personas, and can be
// told to misbehave. It imports nothing of the portal: it is the other party.
package insisim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Path ends the endpoint's path; the server answers any path ending so.
const Path = "/insi/lps"

// SandboxCNHeader is the certificate name a client announces over plain
// HTTP from loopback, where it cannot show a TLS certificate. GUESS: an
// InfoPatient sandbox convention; honoured only from a loopback address.
const SandboxCNHeader = "X-Infopatient-Sandbox-Client-Cn"

// DefaultIDAM is the authorisation number the sandbox knows by default.
const DefaultIDAM = "SANDBOX-IDAM-0001"

// Mode is how callers must authenticate.
type Mode string

// Modes.
const (
	ModeMTLS Mode = "mtls"
	ModePSC  Mode = "psc"
	// ModeEither accepts a caller who satisfies either mode.
	ModeEither Mode = "either"
)

// Config describes the simulated INSi.
type Config struct {
	Identities []Identity
	// IDAMs are the known authorisation numbers; DefaultIDAM when empty.
	IDAMs []string
	// Mode is ModeEither by default.
	Mode Mode
	// KnownIDNat, when set, tells whether a psc-mode assertion's NameID
	// is a professional the PSC simulator knows.
	KnownIDNat func(idNat string) bool
	// CheckToken, when set, verifies a psc-mode caller's bearer token
	// (when one is sent) and says whose it is: it must be the assertion's
	// NameID. The sandbox leaves it unset until the PSC simulator can
	// introspect its access tokens.
	CheckToken func(token string) (idNat string, ok bool)
	// SlowDelay is how long a FaultSlow answer waits; 30 s.
	SlowDelay time.Duration
}

// Server is the simulated INSi. It is safe for concurrent use.
type Server struct {
	cfg   Config
	idams map[string]bool

	mu       sync.Mutex
	faults   []Fault
	requests int
}

// New checks cfg and returns the server.
func New(cfg Config) (*Server, error) {
	if err := checkIdentities(cfg.Identities); err != nil {
		return nil, errors.New("insisim: " + err.Error())
	}
	if len(cfg.IDAMs) == 0 {
		cfg.IDAMs = []string{DefaultIDAM}
	}
	if cfg.Mode == "" {
		cfg.Mode = ModeEither
	}
	if cfg.SlowDelay <= 0 {
		cfg.SlowDelay = 30 * time.Second
	}
	s := &Server{cfg: cfg, idams: map[string]bool{}}
	for _, i := range cfg.IDAMs {
		s.idams[i] = true
	}
	return s, nil
}

// Identities lists the personas.
func (s *Server) Identities() []Identity { return append([]Identity(nil), s.cfg.Identities...) }

// Requests counts the SOAP requests received.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

const maxRequestBytes = 64 << 10

// ServeHTTP answers POST on a path ending in Path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, Path) {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST a SOAP 1.2 envelope", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(ct, "application/soap+xml") {
		writeFault(w, "", faultBadRequest, "Content-Type must be application/soap+xml (SOAP 1.2)")
		return
	}
	req, err := ParseRequest(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		writeFault(w, "", faultBadRequest, "Requête invalide : "+strings.TrimPrefix(err.Error(), errBadRequest.Error()+": "))
		return
	}
	f := s.nextFault()
	switch f {
	case FaultUnavailable:
		writeFault(w, req.MessageID, faultUnavailable, "")
		return
	case FaultUnknownIDAM:
		writeFault(w, req.MessageID, faultUnknownIDAM, "")
		return
	case FaultWrongCN:
		writeFault(w, req.MessageID, faultAccessLevel, "")
		return
	}
	if !s.idams[req.IDAM] {
		writeFault(w, req.MessageID, faultUnknownIDAM, "")
		return
	}
	if !s.authorised(r, req) {
		writeFault(w, req.MessageID, faultAccessLevel, "")
		return
	}
	var body []byte
	if req.Traits != nil {
		body, err = s.answerTraits(req.Traits)
	} else {
		body, err = s.answerCard(req.Card)
	}
	if err != nil {
		writeFault(w, req.MessageID, faultBadRequest, err.Error())
		return
	}
	switch f {
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		_, _ = w.Write(body[:len(body)/2])
		return
	case FaultSlow:
		t := time.NewTimer(s.cfg.SlowDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	_, _ = w.Write(body)
}

// authorised checks the caller: a certificate named INSI-AUTO or
// INSI-MANU (TLS, or the dev header from loopback) in mtls mode, a PSC
// assertion naming a known professional in psc mode.
func (s *Server) authorised(r *http.Request, req *Request) bool {
	mtls := s.certificateName(r) == "INSI-AUTO" || s.certificateName(r) == "INSI-MANU"
	psc := req.NameQualifier == "PSC" && req.NameID != "" && (s.cfg.KnownIDNat == nil || s.cfg.KnownIDNat(req.NameID))
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); psc && ok && s.cfg.CheckToken != nil {
		who, valid := s.cfg.CheckToken(token)
		psc = valid && who == req.NameID
	}
	switch s.cfg.Mode {
	case ModeMTLS:
		return mtls
	case ModePSC:
		return psc
	}
	return mtls || psc
}

func (s *Server) certificateName(r *http.Request) string {
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		return r.TLS.PeerCertificates[0].Subject.CommonName
	}
	if r.TLS == nil && fromLoopback(r.RemoteAddr) {
		return r.Header.Get(SandboxCNHeader)
	}
	return ""
}

func fromLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// errInvalidTraits refuses what INSi refuses (lexical rules, formats).
var errInvalidTraits = errors.New("Traits invalides : caractères ou formats non admis")

func (s *Server) answerTraits(q *TraitsQuery) ([]byte, error) {
	names := strings.Join(q.FirstNames, " ")
	if !lexicalOK(q.BirthName, 2) || (names != "" && !lexicalOK(names, 1)) ||
		(q.Sex != "M" && q.Sex != "F") || !reDate.MatchString(q.BirthDate) ||
		(q.BirthPlace != "" && !reCOG.MatchString(q.BirthPlace)) {
		return nil, errInvalidTraits
	}
	var hits []Identity
	code := "01"
	for _, id := range s.cfg.Identities {
		if id.BirthName != q.BirthName || id.Sex != q.Sex || id.BirthDate != q.BirthDate {
			continue
		}
		if q.BirthPlace != "" && id.BirthCOG != "" && id.BirthCOG != q.BirthPlace {
			continue
		}
		switch id.answer(names) {
		case "00":
			hits = append(hits, id)
		case "02":
			code = "02"
		}
	}
	switch {
	case len(hits) == 1 && code != "02":
		return resultBody("00", &hits[0]), nil
	case len(hits) > 1 || code == "02":
		return resultBody("02", nil), nil
	}
	return resultBody("01", nil), nil
}

func (s *Server) answerCard(q *CardQuery) ([]byte, error) {
	if !reNum.MatchString(q.Holder) || (q.Individual != "" && !reNum.MatchString(q.Individual)) ||
		!lexicalOK(q.BirthName, 2) || !reDate.MatchString(q.BirthDate) {
		return nil, errInvalidTraits
	}
	for _, id := range s.cfg.Identities {
		if id.INS == nil || id.BirthName != q.BirthName || id.BirthDate != q.BirthDate {
			continue
		}
		if id.INS.Num == q.Individual || (q.Individual == "" && id.INS.Num == q.Holder) {
			return resultBody("00", &id), nil
		}
	}
	return resultBody("01", nil), nil
}

var labels = map[string]string{"00": "OK", "01": "Aucune identite trouvee", "02": "Plusieurs identites trouvees"}

// resultBody is RESULTAT in its envelope, as INSi answers.
func resultBody(code string, id *Identity) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<soap:Envelope xmlns:soap="` + nsSoap12 + `"><soap:Body>`)
	b.WriteString(`<RESULTAT xmlns="` + nsResultat + `"><CR><CodeCR>` + code + `</CodeCR><LibelleCR>` + labels[code] + `</LibelleCR></CR>`)
	if id != nil {
		b.WriteString("<INDIVIDU><INSACTIF>")
		writeMatricule(&b, *id.INS)
		b.WriteString("</INSACTIF>")
		for _, h := range id.History {
			b.WriteString("<INSHISTO>")
			writeMatricule(&b, h)
			b.WriteString("</INSHISTO>")
		}
		b.WriteString("<TIQ>")
		elem(&b, "NomNaissance", id.BirthName)
		elem(&b, "ListePrenom", id.FirstNames)
		elem(&b, "Sexe", id.Sex)
		elem(&b, "DateNaissance", id.BirthDate)
		if id.BirthCOG != "" {
			elem(&b, "LieuNaissance", id.BirthCOG)
		}
		b.WriteString("</TIQ></INDIVIDU>")
	}
	b.WriteString("</RESULTAT></soap:Body></soap:Envelope>\n")
	return b.Bytes()
}

func writeMatricule(b *bytes.Buffer, m Matricule) {
	b.WriteString("<IdIndividu>")
	elem(b, "NumIdentifiant", m.Num)
	elem(b, "Cle", m.Key)
	b.WriteString("</IdIndividu>")
	elem(b, "OID", m.OID)
	if m.From != "" {
		elem(b, "DateDeb", m.From)
	}
	if m.To != "" {
		elem(b, "DateFin", m.To)
	}
}

func elem(b *bytes.Buffer, name, text string) {
	b.WriteString("<" + name + ">")
	_ = xml.EscapeText(b, []byte(text))
	b.WriteString("</" + name + ">")
}

// soapFault is one of the SIRAM faults the simulator sends.
type soapFault struct {
	code, subcode, erreur, severite, reason, text string
}

var (
	faultUnknownIDAM = soapFault{"Sender", "siram_100", "desir_550", "erreur",
		"L'accès par ce progiciel au service n'est pas autorisé. Contactez l'éditeur du progiciel ou votre responsable informatique.",
		"Numéro d'autorisation du logiciel inconnu."}
	faultAccessLevel = soapFault{"Sender", "siram_100", "DESIR_560", "erreur",
		"Niveau d'accès insuffisant.", "Niveau d'accès insuffisant."}
	faultUnavailable = soapFault{"Receiver", "siram_40", "insi_111", "fatale",
		"Indisponibilité des téléservices.", "Le service est momentanément indisponible."}
	// faultBadRequest: GUESS, INSi's code for an invalid request is not public.
	faultBadRequest = soapFault{"Sender", "siram_20", "insi_102", "erreur", "", ""}
)

// writeFault answers a SOAP 1.2 Fault with HTTP 500.
func writeFault(w http.ResponseWriter, messageID string, f soapFault, detail string) {
	if detail != "" {
		f.reason, f.text = detail, detail
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<S:Envelope xmlns:S="` + nsSoap12 + `"><S:Body><S:Fault><S:Code><S:Value>S:` + f.code +
		`</S:Value><S:Subcode><S:Value>S:` + f.subcode + `</S:Value></S:Subcode></S:Code><S:Reason><S:Text xml:lang="fr">`)
	_ = xml.EscapeText(&b, []byte(f.reason))
	b.WriteString(`</S:Text></S:Reason><S:Detail><siram:Erreur xmlns:siram="urn:siram" code="` + f.erreur + `" severite="` + f.severite + `" messageID="`)
	_ = xml.EscapeText(&b, []byte(messageID))
	b.WriteString(`">`)
	_ = xml.EscapeText(&b, []byte(f.text))
	b.WriteString("</siram:Erreur></S:Detail></S:Fault></S:Body></S:Envelope>\n")
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(b.Bytes())
}
