package insisim

import (
	"bytes"
	"encoding/xml"
	"net/http"
)

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
