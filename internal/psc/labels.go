package psc

import "strings"

// professionLabels name the RPPS profession codes (nomenclature G15) a
// portal meets most.
var professionLabels = map[string]string{
	"10": "Médecin", "21": "Pharmacien", "26": "Audioprothésiste", "28": "Opticien-lunetier",
	"31": "Assistant dentaire", "40": "Chirurgien-dentiste", "50": "Sage-femme", "60": "Infirmier",
	"69": "Infirmier psychiatrique", "70": "Masseur-kinésithérapeute", "80": "Pédicure-podologue",
	"81": "Orthoprothésiste", "82": "Podo-orthésiste", "83": "Orthopédiste-orthésiste", "84": "Oculariste",
	"85": "Épithésiste", "86": "Technicien de laboratoire médical", "91": "Orthophoniste", "92": "Orthoptiste",
	"94": "Ergothérapeute", "95": "Diététicien", "96": "Psychomotricien", "98": "Manipulateur ERM",
}

// ProfessionCode is the RPPS profession code of a French profession name
// as local accounts give it ("Infirmière", "médecin"), "" when unknown.
func ProfessionCode(frenchName string) string {
	return professionCodes[strings.ToLower(strings.TrimSpace(frenchName))]
}

// professionCodes are the codes of the names local accounts give, feminine
// forms included.
var professionCodes = map[string]string{
	"médecin": "10", "pharmacien": "21", "pharmacienne": "21", "chirurgien-dentiste": "40",
	"chirurgienne-dentiste": "40", "sage-femme": "50", "infirmier": "60", "infirmière": "60",
	"masseur-kinésithérapeute": "70", "masseuse-kinésithérapeute": "70", "kinésithérapeute": "70",
	"pédicure-podologue": "80", "orthophoniste": "91", "orthoptiste": "92", "ergothérapeute": "94",
	"diététicien": "95", "diététicienne": "95", "psychomotricien": "96", "psychomotricienne": "96",
	"audioprothésiste": "26", "opticien-lunetier": "28", "opticienne-lunetière": "28",
}

// specialtyLabels name a few common savoir-faire codes (ordinal
// specialties); others show as their code.
var specialtyLabels = map[string]string{
	"SM54": "Médecine générale", "SM26": "Qualifié en médecine générale", "SM53": "Spécialiste en médecine générale",
	"SM04": "Cardiologie et maladies vasculaires", "SM15": "Dermatologie et vénéréologie",
	"SM20": "Gynécologie-obstétrique", "SM40": "Pédiatrie", "SM42": "Psychiatrie",
	"SM38": "Ophtalmologie", "SM05": "Chirurgie générale", "SM02": "Anesthésie-réanimation",
	"SCD01": "Orthopédie dento-faciale",
}

// civilities are the civility and title-of-practice codes.
var civilities = map[string]string{"DR": "Dr", "PR": "Pr", "M": "M.", "MME": "Mme", "MLLE": "Mme"}

// streetTypes spell out the commonest street type codes of addresses.
var streetTypes = map[string]string{
	"R": "RUE", "AV": "AVENUE", "BD": "BOULEVARD", "PL": "PLACE", "CHE": "CHEMIN", "ALL": "ALLEE",
	"IMP": "IMPASSE", "QU": "QUAI", "RTE": "ROUTE", "SQ": "SQUARE", "CRS": "COURS", "PASS": "PASSAGE",
}
