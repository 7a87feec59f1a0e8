package vigilance

import "fmt"

// Document is a justificatif d'identité, coded as FR Core's
// fr-core-cs-mode-validation-identity.
type Document string

// The documents of FR Core's code system that InfoPatient knows.
const (
	ActeNaissance           Document = "AN" // extrait d'acte de naissance (minors, RNIV 2024)
	CarteIdentite           Document = "CN" // carte nationale d'identité
	CarteSejour             Document = "CS" // carte / titre de séjour permanent
	Passeport               Document = "PA"
	LivretFamille           Document = "LE" // livret de famille (minors, EHPAD: RNIV 2024)
	DocumentCirculation     Document = "DC" // document de circulation pour étranger mineur
	ActeNaissanceCarteVital Document = "AC" // acte de naissance + carte Vitale avec photo (EHPAD)
	IdentificationEIDAS     Document = "IE" // identification électronique eIDAS
	// Not high-trust: listed so that a refusal can say why.
	PermisConduire    Document = "PC"
	CarnetCirculation Document = "CC"
	CarteMilitaire    Document = "CM"
	TiersDeConfiance  Document = "TC"
)

// HighTrust lists the documents a qualification may record, in the order
// a page offers them: identito-NA's list, then the RNIV 2024 special cases.
var HighTrust = []Document{CarteIdentite, Passeport, CarteSejour, IdentificationEIDAS,
	DocumentCirculation, LivretFamille, ActeNaissance, ActeNaissanceCarteVital}

var lowTrust = []Document{PermisConduire, CarnetCirculation, CarteMilitaire, TiersDeConfiance}

// CheckHighTrust accepts a high-trust document only.
func (d Document) CheckHighTrust() error {
	for _, h := range HighTrust {
		if d == h {
			return nil
		}
	}
	for _, l := range lowTrust {
		if d == l {
			return fmt.Errorf("%w: %s", ErrLowTrust, d)
		}
	}
	return fmt.Errorf("%w %q", ErrUnknownDocument, string(d))
}
