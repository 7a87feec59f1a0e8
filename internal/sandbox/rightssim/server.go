// Package rightssim is an offline ADRi (Acquisition des DRoits intégrée):
// it checks the acquerirLesDroits SOAP envelope and answers, in
// InfoPatient's provisional answer format, the rights of the test
// beneficiaries keyed by (NIR de l'assuré, date de naissance, rang). It
// can be told to misbehave. It imports nothing of the portal: it is the
// other party, and writes the answer format on its own so that a drift
// between the two shows in tests.
package rightssim

import (
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// EndpointPath ends the simulated endpoint's path (the "/lps" gateway,
// a GUESS of reference §3.1); the server answers any path ending so.
const EndpointPath = "/adri/lps"

// Action is the only wsa:Action answered.
const Action = "urn:adr:1.1.0:acquerirLesDroits"

// Config describes the simulated ADRi.
type Config struct {
	Beneficiaries []Beneficiary
	// IDAMs lists the authorisation numbers known; any non-empty one is
	// accepted when the list is empty.
	IDAMs []string
	// SlowDelay is how long a FaultSlow answer waits; 30 s.
	SlowDelay time.Duration
	Now       func() time.Time
}

// Server is the simulated ADRi. It is safe for concurrent use.
type Server struct {
	cfg   Config
	byKey map[key]Beneficiary

	mu       sync.Mutex
	faults   []Fault
	requests int
}

// New checks cfg and returns the server.
func New(cfg Config) (*Server, error) {
	if err := checkBeneficiaries(cfg.Beneficiaries); err != nil {
		return nil, fmt.Errorf("rightssim: %w", err)
	}
	if cfg.SlowDelay <= 0 {
		cfg.SlowDelay = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, byKey: map[key]Beneficiary{}}
	for _, b := range cfg.Beneficiaries {
		s.byKey[b.key()] = b
	}
	return s, nil
}

// Beneficiaries lists the test beneficiaries.
func (s *Server) Beneficiaries() []Beneficiary {
	return append([]Beneficiary(nil), s.cfg.Beneficiaries...)
}

// Requests counts the envelopes accepted so far.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

const maxRequestBytes = 64 << 10

// ServeHTTP answers POSTs to EndpointPath.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasSuffix(r.URL.Path, EndpointPath) {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST a SOAP 1.2 envelope", http.StatusMethodNotAllowed)
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/soap+xml" {
		writeFault(w, "soap:Sender", "adri_415", "erreur", "Content-Type must be application/soap+xml (SOAP 1.2)")
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	if err != nil || len(raw) > maxRequestBytes {
		writeFault(w, "soap:Sender", "adri_413", "erreur", "request unreadable or too large")
		return
	}
	req, code, msg := parseRequest(raw)
	if code != "" {
		writeFault(w, "soap:Sender", code, "erreur", msg)
		return
	}
	if !s.knownIDAM(req.idam) {
		writeFault(w, "soap:Sender", "desir_550", "erreur", "Numéro d'autorisation du logiciel inconnu")
		return
	}
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	body := s.answer(req)
	if !s.applyFault(w, r, body) {
		return
	}
	w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
	_, _ = w.Write(body)
}

func (s *Server) knownIDAM(idam string) bool {
	if len(s.cfg.IDAMs) == 0 {
		return idam != ""
	}
	for _, k := range s.cfg.IDAMs {
		if k == idam {
			return true
		}
	}
	return false
}

// request is what the simulator reads of an envelope.
type request struct {
	idam, messageID    string
	reference, birth   string
	rank               int
	assure, assureKey  string
	certified, certKey string
}

// wire types of the request; names as in reference §3.1.
type (
	reqEnvelope struct {
		XMLName xml.Name  `xml:"http://www.w3.org/2003/05/soap-envelope Envelope"`
		Header  reqHeader `xml:"http://www.w3.org/2003/05/soap-envelope Header"`
		Body    struct {
			Requete *reqRequete `xml:"urn:ir:se_req_adr Requete"`
		} `xml:"http://www.w3.org/2003/05/soap-envelope Body"`
	}
	reqHeader struct {
		Action    string `xml:"http://www.w3.org/2005/08/addressing Action"`
		MessageID string `xml:"http://www.w3.org/2005/08/addressing MessageID"`
		BAM       *struct {
			Version string `xml:"Version,attr"`
			Assure  string `xml:"urn:siram:bam:ctxbam COUVERTURE>ASSURE>Id>Num"`
			DateNai string `xml:"urn:siram:bam:ctxbam COUVERTURE>BENEFICIAIRE>DateNai"`
			Rang    string `xml:"urn:siram:bam:ctxbam COUVERTURE>BENEFICIAIRE>Rang"`
		} `xml:"urn:siram:bam:ctxbam ContexteBAM"`
		LPS *struct {
			Version string `xml:"Version,attr"`
			IDAM    string `xml:"urn:siram:lps:ctxlps LPS>IDAM"`
		} `xml:"urn:siram:lps:ctxlps ContexteLPS"`
	}
	reqRequete struct {
		Reference string `xml:"urn:ir:se_req_adr DatedeReference"`
		Benef     struct {
			Certifie *reqNIR `xml:"urn:ir:se_req_adr NIRcertifie"`
			DateNai  string  `xml:"urn:ir:se_req_adr DatedeNaissance"`
			Rang     string  `xml:"urn:ir:se_req_adr SituationAdministrativeAMO>RangdeNaissance"`
			Assure   *reqNIR `xml:"urn:ir:se_req_adr Assure>NIRassure"`
		} `xml:"urn:ir:se_req_adr BeneficiaireDeSoins"`
	}
	reqNIR struct {
		Num string `xml:"urn:ir:se_req_adr Num"`
		Cle string `xml:"urn:ir:se_req_adr Cle"`
	}
)

// parseRequest checks an envelope; on failure it returns a fault code and
// a message that quotes nothing of the request.
func parseRequest(raw []byte) (request, string, string) {
	var env reqEnvelope
	dec := xml.NewDecoder(strings.NewReader(string(raw)))
	if err := dec.Decode(&env); err != nil {
		return request{}, "adri_400", "not a SOAP 1.2 envelope"
	}
	h := env.Header
	switch {
	case strings.TrimSpace(h.Action) != Action:
		return request{}, "adri_401", "wsa:Action is not " + Action
	case !strings.HasPrefix(strings.TrimSpace(h.MessageID), "uuid:"):
		return request{}, "adri_402", "wsa:MessageID missing or not uuid:…"
	case h.BAM == nil || h.BAM.Version != "01_02":
		return request{}, "adri_403", "ctxbam:ContexteBAM Version 01_02 missing"
	case h.LPS == nil || h.LPS.Version != "01_00":
		return request{}, "adri_404", "ctxlps:ContexteLPS Version 01_00 missing"
	case strings.TrimSpace(h.LPS.IDAM) == "":
		return request{}, "desir_550", "Numéro d'autorisation du logiciel absent"
	case env.Body.Requete == nil:
		return request{}, "adri_405", "no urn:ir:se_req_adr Requete in the body"
	}
	q := env.Body.Requete
	req := request{idam: strings.TrimSpace(h.LPS.IDAM), messageID: strings.TrimSpace(h.MessageID),
		reference: strings.TrimSpace(q.Reference), birth: strings.TrimSpace(q.Benef.DateNai)}
	if !validDate(req.reference) {
		return request{}, "adri_406", "DatedeReference is not YYYY-MM-DD"
	}
	if !validDate(req.birth) {
		return request{}, "adri_407", "DatedeNaissance is not YYYY-MM-DD"
	}
	rank, err := strconv.Atoi(strings.TrimSpace(q.Benef.Rang))
	if err != nil || rank < 1 || rank > 9 {
		return request{}, "adri_408", "RangdeNaissance is not 1–9"
	}
	req.rank = rank
	if q.Benef.Assure == nil || !validNIRWithKey(strings.TrimSpace(q.Benef.Assure.Num)+strings.TrimSpace(q.Benef.Assure.Cle)) {
		return request{}, "adri_409", "NIRassure: number or key invalid"
	}
	req.assure, req.assureKey = strings.TrimSpace(q.Benef.Assure.Num), strings.TrimSpace(q.Benef.Assure.Cle)
	if c := q.Benef.Certifie; c != nil {
		if !validNIRWithKey(strings.TrimSpace(c.Num) + strings.TrimSpace(c.Cle)) {
			return request{}, "adri_410", "NIRcertifie: number or key invalid"
		}
		req.certified, req.certKey = strings.TrimSpace(c.Num), strings.TrimSpace(c.Cle)
	}
	// The context must name the same beneficiary as the body.
	if strings.TrimSpace(h.BAM.Assure) != req.assure || strings.TrimSpace(h.BAM.DateNai) != req.birth ||
		strings.TrimSpace(h.BAM.Rang) != strconv.Itoa(rank) {
		return request{}, "adri_411", "ContexteBAM and the body name different beneficiaries"
	}
	return req, "", ""
}

// answer is the provisional answer for req: the beneficiary's rights or
// CodeCR 01. A certified NIR, when sent, must match the record's.
func (s *Server) answer(req request) []byte {
	b, ok := s.byKey[key{req.assure, req.birth, req.rank}]
	if ok && req.certified != "" && b.CertifiedNIR != req.certified+req.certKey {
		ok = false
	}
	if !ok {
		return render(&respBody{CR: respCR{Code: "01", Libelle: "Beneficiaire inconnu"}})
	}
	return render(s.rights(b, req.reference))
}

func (s *Server) rights(b Beneficiary, reference string) *respBody {
	out := &respBody{
		CR:            respCR{Code: "00", Libelle: "OK"},
		DateReponse:   s.cfg.Now().Format(time.DateOnly),
		DateReference: reference,
		Beneficiaire: &respBeneficiaire{
			NomUsuel: b.UsualName, NomPatronymique: b.BirthName, Prenom: b.GivenName,
			DateNaissance: b.BirthDate, RangGemellaire: strconv.Itoa(b.Rank), Qualite: b.Quality,
		},
		Globales: &respGlobales{CodeRegime: b.Regime, LibelleRegime: b.RegimeLabel, CodeCaisse: b.Caisse,
			LibelleCaisse: b.CaisseLabel, CentrePrestation: b.Centre},
	}
	ben := out.Beneficiaire
	addr := []*string{&ben.Adresse1, &ben.Adresse2, &ben.Adresse3, &ben.Adresse4, &ben.Adresse5}
	for i, a := range b.Address {
		if i < len(addr) {
			*addr[i] = a
		}
	}
	if b.CertifiedNIR != "" {
		ben.NoNIRCertifie = b.CertifiedNIR[:13] + " " + b.CertifiedNIR[13:]
	}
	if b.Attending != nil {
		ben.TopMedecinTraitant = "0"
		if b.Attending.Declared {
			ben.TopMedecinTraitant = "1"
		}
		ben.NomMedecinTraitant = b.Attending.Name
	}
	for _, p := range b.AMO {
		ben.PeriodesAMO = append(ben.PeriodesAMO, respPeriode{DateDebut: p.Start, DateFin: p.End})
	}
	for _, c := range b.Coverage {
		ben.Couvertures = append(ben.Couvertures, respCouverture{Groupe: c.Group, DateDebut: c.Start, DateFin: c.End,
			CodeALD: c.ALD, CodeSituation: c.Situation, NatureAssurance: c.Nature})
	}
	for _, c := range b.Complementary {
		m := respMutuelle{Type: c.Kind, NoIdentification: c.Number, Libelle: c.Label}
		for i, p := range c.Periods {
			m.Periodes = append(m.Periodes, respPeriode{NoPeriode: strconv.Itoa(i + 1), DateDebut: p.Start, DateFin: p.End})
		}
		out.Mutuelles = append(out.Mutuelles, m)
	}
	return out
}
