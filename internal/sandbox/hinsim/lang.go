package hinsim

import (
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/text/language"
)

// Page languages, French first: it is the default.
var pageLanguages = []language.Tag{language.French, language.German, language.English}

// pageText holds the pages' strings; formats use explicit argument
// indexes because word order differs between languages.
var pageText = map[string]map[string]string{
	"fr": {
		"banner":            "Environnement de test HIN — simulateur hors ligne, identités fictives",
		"signin.title":      "Connexion avec la HIN e-ID",
		"signin.intro":      "Choisissez l'identité de test avec laquelle vous connecter.",
		"signin.app":        "Application : %[1]s — groupe de jetons : %[2]s",
		"signin.manual":     "Code d'autorisation pour le groupe de jetons %[1]s",
		"signin.unknown":    "Identité inconnue.",
		"consent.title":     "Autorisation",
		"consent.question":  "%[1]s souhaite accéder à %[2]s avec votre identité HIN (%[3]s). L'autorisez-vous ?",
		"consent.yes":       "Oui",
		"consent.no":        "Non",
		"code.title":        "Code d'autorisation",
		"code.intro":        "Copiez ce code dans l'application. Il n'est valable qu'une fois, pendant %[1]d minutes.",
		"code.group":        "Groupe de jetons : %[1]s — identité : %[2]s",
		"error.title":       "Erreur",
		"err.unknown_group": "Groupe de jetons inconnu.",
		"err.client":        "Application inconnue (client_id).",
		"err.client_group":  "Cette application n'a pas accès à ce groupe de jetons.",
		"err.redirect_uri":  "Adresse de retour (redirect_uri) non enregistrée auprès de HIN pour cette application.",
		"err.state":         "Le paramètre state manque.",
		"err.pending":       "Cette connexion a expiré ou est déjà terminée. Recommencez depuis l'application.",
		"err.busy":          "Trop de connexions en cours. Réessayez dans quelques minutes.",
		"err.app":           "Application apps.hin.ch inconnue.",
		"err.method":        "Méthode HTTP non prise en charge.",
	},
	"de": {
		"banner":            "HIN-Testumgebung — Offline-Simulator, fiktive Identitäten",
		"signin.title":      "Anmeldung mit der HIN e-ID",
		"signin.intro":      "Wählen Sie die Testidentität, mit der Sie sich anmelden.",
		"signin.app":        "Anwendung: %[1]s — Token-Gruppe: %[2]s",
		"signin.manual":     "Autorisierungscode für die Token-Gruppe %[1]s",
		"signin.unknown":    "Unbekannte Identität.",
		"consent.title":     "Berechtigung",
		"consent.question":  "%[1]s möchte mit Ihrer HIN-Identität (%[3]s) auf %[2]s zugreifen. Erlauben Sie das?",
		"consent.yes":       "Ja",
		"consent.no":        "Nein",
		"code.title":        "Autorisierungscode",
		"code.intro":        "Kopieren Sie diesen Code in die Anwendung. Er ist nur einmal und %[1]d Minuten lang gültig.",
		"code.group":        "Token-Gruppe: %[1]s — Identität: %[2]s",
		"error.title":       "Fehler",
		"err.unknown_group": "Unbekannte Token-Gruppe.",
		"err.client":        "Unbekannte Anwendung (client_id).",
		"err.client_group":  "Diese Anwendung hat keinen Zugriff auf diese Token-Gruppe.",
		"err.redirect_uri":  "Die Rücksprungadresse (redirect_uri) ist bei HIN für diese Anwendung nicht registriert.",
		"err.state":         "Der Parameter state fehlt.",
		"err.pending":       "Diese Anmeldung ist abgelaufen oder bereits abgeschlossen. Beginnen Sie erneut in der Anwendung.",
		"err.busy":          "Zu viele laufende Anmeldungen. Versuchen Sie es in einigen Minuten erneut.",
		"err.app":           "Unbekannte apps.hin.ch-Anwendung.",
		"err.method":        "HTTP-Methode nicht unterstützt.",
	},
	"en": {
		"banner":            "HIN test environment — offline simulator, fictitious identities",
		"signin.title":      "Sign in with your HIN e-ID",
		"signin.intro":      "Choose the test identity to sign in with.",
		"signin.app":        "Application: %[1]s — token group: %[2]s",
		"signin.manual":     "Authorisation code for the token group %[1]s",
		"signin.unknown":    "Unknown identity.",
		"consent.title":     "Authorisation",
		"consent.question":  "%[1]s wants to access %[2]s with your HIN identity (%[3]s). Do you allow it?",
		"consent.yes":       "Yes",
		"consent.no":        "No",
		"code.title":        "Authorisation code",
		"code.intro":        "Copy this code into the application. It is valid once, for %[1]d minutes.",
		"code.group":        "Token group: %[1]s — identity: %[2]s",
		"error.title":       "Error",
		"err.unknown_group": "Unknown token group.",
		"err.client":        "Unknown application (client_id).",
		"err.client_group":  "This application may not use this token group.",
		"err.redirect_uri":  "Return address (redirect_uri) not registered with HIN for this application.",
		"err.state":         "The state parameter is missing.",
		"err.pending":       "This sign-in has expired or is already finished. Start again from the application.",
		"err.busy":          "Too many sign-ins in progress. Try again in a few minutes.",
		"err.app":           "Unknown apps.hin.ch application.",
		"err.method":        "HTTP method not supported.",
	},
}

// text returns the string key in lang, formatted with args.
func text(lang, key string, args ...any) string {
	s, ok := pageText[lang][key]
	if !ok {
		s = pageText["fr"][key]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

var pageMatcher = language.NewMatcher(pageLanguages)

// requestLanguage picks the page language: an explicit lang parameter
// (fr, de, en), else the browser's Accept-Language, else French.
func requestLanguage(r *http.Request, fallback string) string {
	// lang, or OpenID Connect's ui_locales, which portals send to every
	// authority alike ("de-CH de" → de).
	for _, name := range []string{"lang", "ui_locales"} {
		for _, l := range strings.Fields(r.FormValue(name)) {
			if l = strings.ToLower(l[:min(2, len(l))]); pageText[l] != nil {
				return l
			}
		}
	}
	if fallback != "" {
		return fallback
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "fr"
	}
	_, index, conf := pageMatcher.Match(tags...)
	if conf == language.No {
		return "fr"
	}
	base, _ := pageLanguages[index].Base()
	return base.String()
}
