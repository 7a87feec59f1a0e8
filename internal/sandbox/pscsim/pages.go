package pscsim

import (
	_ "embed"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/text/language"
)

// The simulator's pages speak French, German and English, like the portal.
var texts = map[string]map[string]string{
	"fr": {
		"env":            "Environnement de test — bac à sable Pro Santé Connect. Cartes, identités et e-CPS fictives.",
		"title":          "e-CPS / carte CPS de test",
		"intro":          "L'application %s demande votre identification. Choisissez votre carte CPS de test ou votre e-CPS, puis saisissez son code.",
		"choose":         "Carte CPS ou e-CPS",
		"code":           "Code de la carte (carte de test : 1234)",
		"submit":         "VALIDER",
		"cancel":         "Annuler",
		"error.code":     "Code incorrect. Le code des cartes de test est 1234.",
		"error.choose":   "Choisissez une carte.",
		"error.client":   "Application inconnue de Pro Santé Connect.",
		"error.redirect": "Adresse de retour non enregistrée pour cette application : Pro Santé Connect ne renvoie pas le navigateur vers une adresse inconnue.",
		"error.expired":  "Cette demande d'identification a expiré. Revenez à l'application et recommencez.",
		"error.logout":   "Demande de déconnexion invalide (adresse de retour non enregistrée ou jeton inconnu).",
		"error.title":    "Pro Santé Connect — erreur",
		"loggedout":      "Vous êtes déconnecté(e) de Pro Santé Connect.",
	},
	"de": {
		"env":            "Testumgebung — Sandbox von Pro Santé Connect. Fiktive Karten, Identitäten und e-CPS.",
		"title":          "e-CPS / Test-CPS-Karte",
		"intro":          "Die Anwendung %s verlangt Ihre Identifikation. Wählen Sie Ihre Test-CPS-Karte oder Ihre e-CPS und geben Sie den Code ein.",
		"choose":         "CPS-Karte oder e-CPS",
		"code":           "Kartencode (Testkarte: 1234)",
		"submit":         "BESTÄTIGEN",
		"cancel":         "Abbrechen",
		"error.code":     "Falscher Code. Der Code der Testkarten ist 1234.",
		"error.choose":   "Wählen Sie eine Karte.",
		"error.client":   "Diese Anwendung ist bei Pro Santé Connect unbekannt.",
		"error.redirect": "Rückkehradresse für diese Anwendung nicht registriert: Pro Santé Connect leitet nicht an eine unbekannte Adresse weiter.",
		"error.expired":  "Diese Identifikationsanfrage ist abgelaufen. Kehren Sie zur Anwendung zurück und beginnen Sie neu.",
		"error.logout":   "Ungültige Abmeldeanfrage (Rückkehradresse nicht registriert oder Token unbekannt).",
		"error.title":    "Pro Santé Connect — Fehler",
		"loggedout":      "Sie sind bei Pro Santé Connect abgemeldet.",
	},
	"en": {
		"env":            "Test environment — Pro Santé Connect sandbox. Fictitious cards, identities and e-CPS.",
		"title":          "e-CPS / test CPS card",
		"intro":          "The application %s asks you to identify. Choose your test CPS card or your e-CPS, then type its code.",
		"choose":         "CPS card or e-CPS",
		"code":           "Card code (test card: 1234)",
		"submit":         "CONFIRM",
		"cancel":         "Cancel",
		"error.code":     "Wrong code. The test cards' code is 1234.",
		"error.choose":   "Choose a card.",
		"error.client":   "This application is unknown to Pro Santé Connect.",
		"error.redirect": "Return address not registered for this application: Pro Santé Connect does not send the browser to an unknown address.",
		"error.expired":  "This identification request has expired. Go back to the application and start again.",
		"error.logout":   "Invalid logout request (return address not registered or unknown token).",
		"error.title":    "Pro Santé Connect — error",
		"loggedout":      "You are signed out of Pro Santé Connect.",
	},
}

var pageMatcher = language.NewMatcher([]language.Tag{language.French, language.German, language.English})

// pageLanguage picks the page language from ui_locales, then Accept-Language.
func pageLanguage(uiLocales, acceptLanguage string) string {
	for _, l := range strings.Fields(uiLocales) {
		if _, ok := texts[strings.ToLower(l[:min(2, len(l))])]; ok {
			return strings.ToLower(l[:2])
		}
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "fr"
	}
	_, i, conf := pageMatcher.Match(tags...)
	if conf == language.No {
		return "fr"
	}
	return []string{"fr", "de", "en"}[i]
}

type cardOption struct {
	IDNat, Name, Label, Note string
	Checked                  bool
}

type pageData struct {
	Lang, Title, Env, Intro, Choose, Code, Submit, Cancel, Error, Message string
	Stylesheet, Pending                                                   string
	Options                                                               []cardOption
}

func (p *Provider) newPage(lang string) pageData {
	t := texts[lang]
	return pageData{Lang: lang, Title: t["title"], Env: t["env"], Choose: t["choose"], Code: t["code"], Submit: t["submit"], Cancel: t["cancel"],
		Stylesheet: p.basePath + pathStylesheet}
}

func (p *Provider) renderCardPage(w http.ResponseWriter, status int, id string, pa *pendingAuth, chosen, errKey string) {
	d := p.newPage(pa.lang)
	d.Intro = strings.Replace(texts[pa.lang]["intro"], "%s", pa.clientID, 1)
	d.Pending = id
	if errKey != "" {
		d.Error = texts[pa.lang][errKey]
	}
	for _, idNat := range p.order {
		pro := p.pros[idNat]
		d.Options = append(d.Options, cardOption{IDNat: idNat, Name: pro.DisplayName(), Label: pro.Label, Note: pro.Note, Checked: idNat == chosen})
	}
	render(w, status, cardPage, d, origin(pa.redirectURI))
}

func (p *Provider) renderError(w http.ResponseWriter, status int, lang, key string) {
	d := p.newPage(lang)
	d.Title = texts[lang]["error.title"]
	d.Error = texts[lang][key]
	render(w, status, messagePage, d, "")
}

func (p *Provider) renderMessage(w http.ResponseWriter, lang, key string) {
	d := p.newPage(lang)
	d.Message = texts[lang][key]
	render(w, http.StatusOK, messagePage, d, "")
}

// render writes a page. Its CSP allows the simulator's own stylesheet and
// lets its form be posted to the simulator, then redirected to the client
// (browsers check form-action on that redirect too).
func render(w http.ResponseWriter, status int, t *template.Template, d pageData, formTarget string) {
	formAction := "'none'"
	if formTarget != "" {
		formAction = "'self' " + formTarget
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action "+formAction+"; base-uri 'none'; frame-ancestors 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_ = t.Execute(w, d)
}

//go:embed pscsim.css
var stylesheet []byte

func serveStylesheet(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(stylesheet)
}

// origin is scheme://host of an absolute URL, for the CSP.
func origin(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

const layout = `<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="stylesheet" href="{{.Stylesheet}}">
</head><body>
<div class="env" data-testid="psc-sandbox-env">{{.Env}}</div>
<header><h1>Pro Santé Connect</h1></header>
<main><div class="card">{{template "body" .}}</div></main></body></html>`

var cardPage = template.Must(template.Must(template.New("card").Parse(layout)).Parse(`{{define "body"}}
<h2>{{.Title}}</h2>
<p>{{.Intro}}</p>
{{if .Error}}<div class="err" role="alert" data-testid="psc-error">{{.Error}}</div>{{end}}
<form method="post" data-testid="psc-form">
<input type="hidden" name="pending" value="{{.Pending}}">
<fieldset><legend>{{.Choose}}</legend>
{{range .Options}}<label class="opt"><input type="radio" name="professional" value="{{.IDNat}}"{{if .Checked}} checked{{end}} data-testid="psc-card-{{.IDNat}}"> <strong>{{.Name}}</strong> <small>{{.Label}} — idNat {{.IDNat}}</small>{{if .Note}}<small>{{.Note}}</small>{{end}}</label>
{{end}}</fieldset>
<label for="code"><strong>{{.Code}}</strong></label>
<input id="code" name="code" type="password" inputmode="numeric" autocomplete="off" data-testid="psc-code">
<div class="row"><button class="primary" type="submit" name="action" value="sign-in" data-testid="psc-submit">{{.Submit}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="psc-cancel">{{.Cancel}}</button></div>
</form>{{end}}`))

var messagePage = template.Must(template.Must(template.New("message").Parse(layout)).Parse(`{{define "body"}}
{{if .Error}}<div class="err" role="alert" data-testid="psc-error">{{.Error}}</div>{{end}}
{{if .Message}}<p class="msg" role="status" data-testid="psc-message">{{.Message}}</p>{{end}}
{{end}}`))
