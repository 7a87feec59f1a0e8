package pscsim

import (
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
	"github.com/infopatient/infopatient/internal/sandbox/internal/simstyle"
)

// The simulator's pages speak French, German and English, like the
// portal; the messages are in locales/, one file per language.
//
//go:embed locales/*.json
var localeFiles embed.FS

var catalogue = pagelang.MustLoad(localeFiles, "locales")

// text is the message key in lang, formatted with args.
func text(lang, key string, args ...any) string { return catalogue.Text(lang, key, args...) }

type cardOption struct {
	IDNat, Name, Label, Note string
	Checked                  bool
}

// How a professional proves who they are at Pro Santé Connect: the CPS
// card in a reader, or the e-CPS app on a phone. The sandbox asks the
// same test code for both; the choice is shown so that a demonstration
// tells them apart.
const (
	methodCard = "card"
	methodApp  = "app"
)

// cardChoice is what the e-CPS page's form chose: a way in and an identity.
type cardChoice struct {
	Method, IDNat string
}

// methodOption is one of the two ways in, as the e-CPS page offers it.
type methodOption struct {
	Value, Name, Detail string
	Checked             bool
}

// sessionRow is a live session as the sessions page shows it: who, for
// which client, since and until when, in the page's language and the
// server's time zone (each also as RFC 3339, for <time datetime>).
type sessionRow struct {
	SID, Name, IDNat, Client string
	Started, StartedISO      string
	Expires, ExpiresISO      string
	Newest                   bool
}

type pageData struct {
	Lang, Title, Env, Intro, Choose, Code, Submit, Cancel, Error, Message string
	// CodeError is the wrong-code message, shown with the code field;
	// ChooseError the no-card message, shown with the cards.
	CodeError, ChooseError string
	Stylesheet, Pending    string
	Options                []cardOption
	// The way in: carte CPS or e-CPS app, above the identities.
	MethodLegend, MethodError string
	Methods                   []methodOption
	// Brand is the masthead's "simulator" tag.
	Brand          string
	LanguagesLabel string
	Languages      []pagelang.Link
	// The sessions page.
	Sessions                                   []sessionRow
	SessionsIntro, SessionsNone, SessionLogout string
	SessionsOrder, SessionNewest, TimeZone     string
	ColClient, ColStarted, ColExpires          string
}

func (p *Provider) newPage(lang string, links []pagelang.Link) pageData {
	return pageData{Lang: lang, Title: text(lang, "title"), Env: text(lang, "env"), Choose: text(lang, "choose"), Code: text(lang, "code"),
		Submit: text(lang, "submit"), Cancel: text(lang, "cancel"), Stylesheet: simstyle.Href(p.basePath),
		Brand: text(lang, "brand.tag"), LanguagesLabel: text(lang, "languages"), Languages: links}
}

// switcher links a page to itself in each language. A GET page keeps its
// whole query, so an authorization request switched to German is the
// same request; a page answering a form links to what the form named
// (its pending request, the logout it asked for), never to the card code.
func switcher(r *http.Request, lang string) []pagelang.Link {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = url.Values{}
		for _, k := range []string{"pending", "id_token_hint", "client_id", "post_logout_redirect_uri", "state"} {
			if v := r.PostForm.Get(k); v != "" {
				q.Set(k, v)
			}
		}
	}
	return pagelang.Switcher(r.URL.Path, q, "ui_locales", lang)
}

func (p *Provider) renderCardPage(w http.ResponseWriter, status int, id string, pa *pendingAuth, chosen cardChoice, errKey string) {
	// The switcher repeats the authorization request, in another language.
	lang := pa.lang
	d := p.newPage(lang, pagelang.Switcher(p.basePath+pathAuth, pa.query, "ui_locales", lang))
	d.Intro = text(lang, "intro", pa.clientID)
	d.Pending = id
	switch errKey {
	case "":
	case "error.code":
		d.CodeError = text(lang, "error.code")
	case "error.choose":
		d.ChooseError = text(lang, "error.choose")
	case "error.method":
		d.MethodError = text(lang, "error.method")
	default:
		d.Error = text(lang, errKey)
	}
	if chosen.Method == "" {
		chosen.Method = methodCard
	}
	d.MethodLegend = text(lang, "method.legend")
	d.Methods = []methodOption{
		{Value: methodCard, Name: text(lang, "method.card"), Detail: text(lang, "method.card.detail")},
		{Value: methodApp, Name: text(lang, "method.app"), Detail: text(lang, "method.app.detail")},
	}
	for i, m := range d.Methods {
		d.Methods[i].Checked = m.Value == chosen.Method
	}
	for _, idNat := range p.order {
		pro := p.pros[idNat]
		d.Options = append(d.Options, cardOption{IDNat: idNat, Name: pro.DisplayName(), Label: pro.Label.In(lang), Note: pro.Note.In(lang), Checked: idNat == chosen.IDNat})
	}
	render(w, status, cardPage, d, origin(pa.redirectURI))
}

func (p *Provider) renderError(w http.ResponseWriter, r *http.Request, status int, lang, key string) {
	d := p.newPage(lang, switcher(r, lang))
	d.Title = text(lang, "error.title")
	d.Error = text(lang, key)
	render(w, status, messagePage, d, "")
}

func (p *Provider) renderMessage(w http.ResponseWriter, r *http.Request, lang, key string) {
	d := p.newPage(lang, switcher(r, lang))
	d.Message = text(lang, key)
	render(w, http.StatusOK, messagePage, d, "")
}

// renderSessions lists the live sessions, each with its logout button.
func (p *Provider) renderSessions(w http.ResponseWriter, r *http.Request, lang, msgKey, errKey string) {
	d := p.newPage(lang, pagelang.Switcher(r.URL.Path, url.Values{}, "ui_locales", lang))
	d.Title = text(lang, "sessions.title")
	d.SessionsIntro, d.SessionsNone, d.SessionLogout = text(lang, "sessions.intro"), text(lang, "sessions.none"), text(lang, "sessions.logout")
	d.ColClient, d.ColStarted, d.ColExpires = text(lang, "sessions.client"), text(lang, "sessions.started"), text(lang, "sessions.expires")
	d.SessionsOrder, d.SessionNewest = text(lang, "sessions.order"), text(lang, "sessions.newest")
	loc := p.cfg.Location
	d.TimeZone = text(lang, "sessions.zone", zoneName(p.cfg.Now().In(loc)))
	if msgKey != "" {
		d.Message = text(lang, msgKey)
	}
	if errKey != "" {
		d.Error = text(lang, errKey)
	}
	layout := text(lang, "sessions.time")
	for i, s := range p.liveSessions() {
		pro := p.pros[s.idNat]
		started, expires := s.started.In(loc), s.expires.In(loc)
		d.Sessions = append(d.Sessions, sessionRow{SID: s.sid, Name: pro.DisplayName(), IDNat: s.idNat, Client: s.clientID,
			Started: localTime(lang, layout, started), StartedISO: started.Format(time.RFC3339),
			Expires: localTime(lang, layout, expires), ExpiresISO: expires.Format(time.RFC3339),
			Newest: i == 0})
	}
	render(w, http.StatusOK, sessionsPage, d, "'self'")
}

// localTime writes t with the page language's layout (a Go time layout
// from the catalogue), the month named in that language.
func localTime(lang, layout string, t time.Time) string {
	out := t.Format(layout)
	if lang != "en" && strings.Contains(layout, "January") {
		out = strings.Replace(out, t.Month().String(), monthNames[lang][t.Month()-1], 1)
	}
	return out
}

var monthNames = map[string][12]string{
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
}

// zoneName names the time zone of t: its abbreviation and UTC offset
// ("CET, UTC+01:00"), the offset alone where the zone has no
// abbreviation, "UTC" for UTC.
func zoneName(t time.Time) string {
	name, offset := t.Zone()
	utc := "UTC" + t.Format("-07:00")
	switch {
	case offset == 0 && (name == "UTC" || name == "GMT" || name == ""):
		return "UTC"
	case name == "" || strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-"):
		return utc
	default:
		return name + ", " + utc
	}
}

// render writes a page. Its CSP allows the simulator's own stylesheet and
// lets its form be posted to the simulator, then redirected to the client
// (browsers check form-action on that redirect too).
func render(w http.ResponseWriter, status int, t *template.Template, d pageData, formTarget string) {
	formAction := "'none'"
	switch formTarget {
	case "":
	case "'self'":
		formAction = "'self'"
	default:
		formAction = "'self' " + formTarget
	}
	pagelang.Render(w, status, "default-src 'none'; style-src 'self'; form-action "+formAction+"; base-uri 'none'; frame-ancestors 'none'", t, d)
}

// origin is scheme://host of an absolute URL, for the CSP.
func origin(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

const layout = pagelang.SwitcherTemplate + `<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="stylesheet" href="{{.Stylesheet}}">
</head><body class="sim sim-psc">
<div class="env" data-testid="psc-sandbox-env">{{.Env}}</div>
<header class="masthead"><div class="bar">
<h1 class="brand"><span class="mark" aria-hidden="true">PSC</span><span class="brand-name">Pro Santé Connect</span> <span class="brand-tag" data-testid="sandbox-brand">{{.Brand}}</span></h1>
{{template "languages" .}}
</div></header>
<main><div class="card">{{template "body" .}}</div></main></body></html>`

var cardPage = template.Must(template.Must(template.New("card").Parse(layout)).Parse(`{{define "body"}}
<h2>{{.Title}}</h2>
<p>{{.Intro}}</p>
{{if .Error}}<div class="err" role="alert" data-testid="psc-error">{{.Error}}</div>{{end}}
<form method="post" data-testid="psc-form">
<input type="hidden" name="pending" value="{{.Pending}}">
<fieldset class="methods" data-testid="psc-methods"><legend>{{.MethodLegend}}</legend>
{{if .MethodError}}<p id="method-error" class="err field-err" role="alert" data-testid="psc-error">{{.MethodError}}</p>{{end}}
<div class="choice">{{range .Methods}}<label class="method"><input type="radio" name="method" value="{{.Value}}"{{if .Checked}} checked{{end}} data-testid="psc-method-{{.Value}}"{{if $.MethodError}} aria-invalid="true" aria-describedby="method-error"{{end}}>
<span class="pict pict-{{.Value}}" aria-hidden="true"></span><strong>{{.Name}}</strong><small>{{.Detail}}</small></label>
{{end}}</div></fieldset>
<fieldset><legend>{{.Choose}}</legend>
{{if .ChooseError}}<p id="choose-error" class="err field-err" role="alert" data-testid="psc-error">{{.ChooseError}}</p>{{end}}
{{range .Options}}<label class="opt"><input type="radio" name="professional" value="{{.IDNat}}"{{if .Checked}} checked{{end}} data-testid="psc-card-{{.IDNat}}"{{if $.ChooseError}} aria-invalid="true" aria-describedby="choose-error"{{end}}> <span class="opt-text"><strong>{{.Name}}</strong> <small>{{.Label}} — idNat {{.IDNat}}</small>{{if .Note}}<small>{{.Note}}</small>{{end}}</span></label>
{{end}}</fieldset>
<label for="code"><strong>{{.Code}}</strong></label>
<input id="code" name="code" type="password" inputmode="numeric" autocomplete="off" data-testid="psc-code"{{if .CodeError}} aria-invalid="true" aria-describedby="code-error"{{end}}>
{{if .CodeError}}<p id="code-error" class="err field-err" role="alert" data-testid="psc-error">{{.CodeError}}</p>{{end}}
<div class="row"><button class="primary" type="submit" name="action" value="sign-in" data-testid="psc-submit">{{.Submit}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="psc-cancel">{{.Cancel}}</button></div>
</form>{{end}}`))

var messagePage = template.Must(template.Must(template.New("message").Parse(layout)).Parse(`{{define "body"}}
{{if .Error}}<div class="err" role="alert" data-testid="psc-error">{{.Error}}</div>{{end}}
{{if .Message}}<p class="msg" role="status" data-testid="psc-message">{{.Message}}</p>{{end}}
{{end}}`))

var sessionsPage = template.Must(template.Must(template.New("sessions").Parse(layout)).Parse(`{{define "body"}}
<h2>{{.Title}}</h2>
<p>{{.SessionsIntro}}</p>
{{if .Error}}<div class="err" role="alert" data-testid="psc-error">{{.Error}}</div>{{end}}
{{if .Message}}<p class="msg" role="status" data-testid="psc-message">{{.Message}}</p>{{end}}
{{if .Sessions}}<p class="hint" data-testid="psc-sessions-order">{{.SessionsOrder}} {{.TimeZone}}</p>
<ul class="sessions" data-testid="psc-sessions">
{{range .Sessions}}<li class="session" data-testid="psc-session-{{.IDNat}}">
<p class="who"><strong data-testid="psc-session-name">{{.Name}}</strong> <small>idNat {{.IDNat}}</small>{{if .Newest}} <span class="badge" data-testid="psc-session-newest">{{$.SessionNewest}}</span>{{end}}</p>
<dl>
<div><dt>{{$.ColClient}}</dt><dd data-testid="psc-session-client">{{.Client}}</dd></div>
<div><dt>{{$.ColStarted}}</dt><dd><time datetime="{{.StartedISO}}" data-testid="psc-session-started">{{.Started}}</time></dd></div>
<div><dt>{{$.ColExpires}}</dt><dd><time datetime="{{.ExpiresISO}}" data-testid="psc-session-expires">{{.Expires}}</time></dd></div>
</dl>
<form method="post"><input type="hidden" name="sid" value="{{.SID}}"><button class="secondary" type="submit" data-testid="psc-session-logout">{{$.SessionLogout}}</button></form>
</li>
{{end}}</ul>{{else}}<p data-testid="psc-sessions-none">{{.SessionsNone}}</p>{{end}}
{{end}}`))
