package insisim

import (
	"bytes"
	"encoding/xml"
)

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
