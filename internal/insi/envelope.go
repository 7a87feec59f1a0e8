package insi

import (
	"bytes"
	"encoding/xml"
	"time"
)

// Namespaces of the INSi contract (WSDL DESIR_ICIR_EXP 1.5.0).
const (
	NSSoap12    = "http://www.w3.org/2003/05/soap-envelope"
	NSAddress   = "http://www.w3.org/2005/08/addressing"
	NSSecurity  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	NSSAML      = "urn:oasis:names:tc:SAML:2.0:assertion"
	NSContexBAM = "urn:siram:bam:ctxbam"
	NSContexLPS = "urn:siram:lps:ctxlps"
	NSSiram     = "urn:siram"
	NSRecSans   = "http://www.cnamts.fr/INSiRecSans"
	NSRecVit    = "http://www.cnamts.fr/INSiRecVit"
	NSResultat  = "http://www.cnamts.fr/INSiResultat"
)

// The operations' wsa:Action values.
const (
	ActionTraits = "urn:ServiceIdentiteCertifiee:1.0.0:rechercherInsAvecTraitsIdentite"
	ActionCard   = "urn:ServiceIdentiteCertifiee:1.0.0:rechercherInsAvecCarteVitale"
)

// envelope holds what varies between requests.
type envelope struct {
	action    string
	messageID string // "uuid:…"
	bamID     string
	lpsID     string
	at        time.Time
	emitter   string
	idam      string
	version   string
	instance  string
	name      string // urn:lps:{name}:{version}
	assertion []byte // the PSC-mode SAML assertion, nil in mTLS mode
	body      []byte
}

// xw writes XML text, escaped.
type xw struct{ bytes.Buffer }

func (w *xw) raw(s string) { w.WriteString(s) }
func (w *xw) text(s string) {
	_ = xml.EscapeText(w, []byte(s))
}

// attr writes name="value", escaped.
func (w *xw) attr(name, value string) {
	w.raw(" " + name + `="`)
	w.text(value)
	w.raw(`"`)
}

// elem writes <name>text</name>.
func (w *xw) elem(name, text string) {
	w.raw("<" + name + ">")
	w.text(text)
	w.raw("</" + name + ">")
}

// bytes renders the envelope: four headers (wsse:Security, ContexteBAM,
// ContexteLPS, wsa:Action and wsa:MessageID) and the body, as the
// qualification environment receives them from known clients.
func (e *envelope) bytes() []byte {
	var w xw
	at := e.at.UTC().Format("2006-01-02T15:04:05.000Z")
	w.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.raw(`<soap:Envelope xmlns:soap="` + NSSoap12 + `" xmlns:wsa="` + NSAddress + `" xmlns:wsse="` + NSSecurity +
		`" xmlns:ctxbam="` + NSContexBAM + `" xmlns:ctxlps="` + NSContexLPS + `">` + "\n<soap:Header>\n")
	if e.assertion != nil {
		w.raw("<wsse:Security>")
		w.Write(e.assertion)
		w.raw("</wsse:Security>\n")
	} else {
		w.raw("<wsse:Security/>\n")
	}
	w.raw(`<ctxbam:ContexteBAM Version="01_02">`)
	w.elem("ctxbam:Id", e.bamID)
	w.elem("ctxbam:Temps", at)
	w.elem("ctxbam:Emetteur", e.emitter)
	w.raw("<ctxbam:COUVERTURE></ctxbam:COUVERTURE></ctxbam:ContexteBAM>\n")
	w.raw(`<ctxlps:ContexteLPS Nature="CTXLPS" Version="01_00">`)
	w.elem("ctxlps:Id", e.lpsID)
	w.elem("ctxlps:Temps", at)
	w.elem("ctxlps:Emetteur", e.emitter)
	w.raw(`<ctxlps:LPS><ctxlps:IDAM R="4">`)
	w.text(e.idam)
	w.raw("</ctxlps:IDAM>")
	w.elem("ctxlps:Version", e.version)
	w.elem("ctxlps:Instance", e.instance)
	w.elem("ctxlps:Nom", e.name)
	w.raw("</ctxlps:LPS></ctxlps:ContexteLPS>\n")
	w.elem("wsa:Action", e.action)
	w.raw("\n")
	w.elem("wsa:MessageID", e.messageID)
	w.raw("\n</soap:Header>\n<soap:Body>\n")
	w.Write(e.body)
	w.raw("\n</soap:Body>\n</soap:Envelope>\n")
	return w.Bytes()
}

// traitsBody is RECSANSVITALE. The first names go in one Prenom,
// space-separated, as known clients send the whole list.
func traitsBody(t Traits) []byte {
	var w xw
	w.raw(`<insi_recsans_ins:RECSANSVITALE xmlns:insi_recsans_ins="` + NSRecSans + `">`)
	w.elem("insi_recsans_ins:NomNaissance", t.BirthName)
	if len(t.FirstNames) > 0 {
		w.elem("insi_recsans_ins:Prenom", t.firstNameList())
	}
	w.elem("insi_recsans_ins:Sexe", t.Sex)
	w.elem("insi_recsans_ins:DateNaissance", t.BirthDate)
	if t.BirthPlace != "" {
		w.elem("insi_recsans_ins:LieuNaissance", t.BirthPlace)
	}
	w.raw("</insi_recsans_ins:RECSANSVITALE>")
	return w.Bytes()
}

// cardBody is RECVITALE.
func cardBody(c Card) []byte {
	var w xw
	w.raw(`<insi_recvit_ins:RECVITALE xmlns:insi_recvit_ins="` + NSRecVit + `">`)
	if c.IndividualNIR != "" {
		w.raw("<insi_recvit_ins:MatriculeIndividu>")
		w.elem("insi_recvit_ins:NumIdentifiant", c.IndividualNIR)
		w.raw("</insi_recvit_ins:MatriculeIndividu>")
	}
	w.raw("<insi_recvit_ins:MatriculeOD>")
	w.elem("insi_recvit_ins:NumIdentifiant", c.HolderNIR)
	w.raw("</insi_recvit_ins:MatriculeOD>")
	w.elem("insi_recvit_ins:NomNaissance", c.BirthName)
	w.elem("insi_recvit_ins:DateNaissance", c.BirthDate)
	w.elem("insi_recvit_ins:RangNaissance", c.Rank)
	w.raw("</insi_recvit_ins:RECVITALE>")
	return w.Bytes()
}
