package psc

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
