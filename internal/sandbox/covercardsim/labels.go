package covercardsim

// Covercard's langue codes: 1 German, 2 French, 3 Italian.
const (
	langueGerman  = "1"
	langueFrench  = "2"
	langueItalian = "3"
)

// modelTexts are the KVG model labels by langue. They are protocol, not
// page text: Covercard writes KVGModelText in the language the request's
// langue asks (German, French or Italian), whatever the user's language,
// and the portal translates the model from its code, showing this text
// only for a model it has no name for. The simulator has no page of its own.
var modelTexts = map[string]map[string]string{
	"01": {langueGerman: "Standardmodell", langueFrench: "Modèle standard", langueItalian: "Modello standard"},
	"02": {langueGerman: "Hausarztmodell", langueFrench: "Modèle médecin de famille", langueItalian: "Modello del medico di famiglia"},
	"03": {langueGerman: "HMO-Modell", langueFrench: "Modèle HMO", langueItalian: "Modello HMO"},
	"04": {langueGerman: "Listenmodell", langueFrench: "Modèle de liste (PPO)", langueItalian: "Modello a lista"},
	"05": {langueGerman: "Anderes Modell", langueFrench: "Autre modèle", langueItalian: "Altro modello"},
	"99": {langueGerman: "Unbekannt", langueFrench: "Inconnu", langueItalian: "Sconosciuto"},
}

// modelText labels a KVG model in langue (German for an unknown langue).
func modelText(model, langue string) string {
	texts, ok := modelTexts[model]
	if !ok {
		texts = modelTexts["99"]
	}
	if t, ok := texts[langue]; ok {
		return t
	}
	return texts[langueGerman]
}
