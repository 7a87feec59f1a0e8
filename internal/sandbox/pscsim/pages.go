package pscsim

import (
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
	"github.com/infopatient/infopatient/internal/sandbox/internal/simstyle"
)

// The simulator's pages speak French, German and English, like the
// portal; the messages are in locales/, one file per language.
//
//go:embed locales/*.json
var localeFiles embed.FS

// The messages and templates are parsed on first use, not at start-up:
// the portal links the simulators but, out of demo mode, never serves them.
var catalogue = sync.OnceValue(func() *pagelang.Catalogue { return pagelang.MustLoad(localeFiles, "locales") })

// text is the message key in lang, formatted with args.
func text(lang, key string, args ...any) string { return catalogue().Text(lang, key, args...) }

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
	// Older are the identity's earlier sessions, folded under the newest.
	Older      []sessionRow
	OlderLabel string
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
	// Brand is the masthead's "simulator" tag; App draws the page as a
	// phone's screen (the e-CPS app).
	Brand          string
	App            bool
	LanguagesLabel string
	Languages      []pagelang.Link
	// The sessions page.
	Sessions                                   []sessionRow
	SessionsIntro, SessionsNone, SessionLogout string
	SessionsOrder, SessionNewest, TimeZone     string
	ColClient, ColStarted, ColExpires          string
	// The e-CPS app page.
	ECPS ecpsPage
}

// ecpsPage is what the e-CPS app page shows.
type ecpsPage struct {
	Intro, Identity, Show, None, Binding, Channel, Client, Expires, Approve, Refuse, Refresh string
	IDNat                                                                                    string
	Identities                                                                               []cardOption
	Requests                                                                                 []ecpsRow
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
	render(w, status, cardPage(), d, origin(pa.redirectURI))
}

func (p *Provider) renderError(w http.ResponseWriter, r *http.Request, status int, lang, key string) {
	d := p.newPage(lang, switcher(r, lang))
	d.Title = text(lang, "error.title")
	d.Error = text(lang, key)
	render(w, status, messagePage(), d, "")
}

func (p *Provider) renderMessage(w http.ResponseWriter, r *http.Request, lang, key string) {
	d := p.newPage(lang, switcher(r, lang))
	d.Message = text(lang, key)
	render(w, http.StatusOK, messagePage(), d, "")
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
	// One entry per identity, by its newest session, newest first; its
	// earlier sessions are folded beneath it.
	byIdentity := map[string]int{}
	for _, s := range p.liveSessions() {
		pro := p.pros[s.idNat]
		started, expires := s.started.In(loc), s.expires.In(loc)
		row := sessionRow{SID: s.sid, Name: pro.DisplayName(), IDNat: s.idNat, Client: s.clientID,
			Started: localTime(lang, layout, started), StartedISO: started.Format(time.RFC3339),
			Expires: localTime(lang, layout, expires), ExpiresISO: expires.Format(time.RFC3339)}
		if i, seen := byIdentity[s.idNat]; seen {
			d.Sessions[i].Older = append(d.Sessions[i].Older, row)
			d.Sessions[i].OlderLabel = text(lang, "sessions.older", len(d.Sessions[i].Older))
			continue
		}
		row.Newest = len(d.Sessions) == 0
		byIdentity[s.idNat] = len(d.Sessions)
		d.Sessions = append(d.Sessions, row)
	}
	render(w, http.StatusOK, sessionsPage(), d, "'self'")
}

// renderECPSApp shows the identity chooser and, for the chosen identity,
// its pending decoupled sign-ins with their binding messages.
func (p *Provider) renderECPSApp(w http.ResponseWriter, r *http.Request, lang, idNat, msgKey, errKey string) {
	q := url.Values{}
	if idNat != "" {
		q.Set("idnat", idNat)
	}
	d := p.newPage(lang, pagelang.Switcher(r.URL.Path, q, "ui_locales", lang))
	d.Title = text(lang, "ecps.title")
	d.App = true
	e := &d.ECPS
	e.Intro, e.Identity, e.Show, e.None = text(lang, "ecps.intro"), text(lang, "ecps.identity"), text(lang, "ecps.show"), text(lang, "ecps.none")
	e.Binding, e.Channel, e.Client, e.Expires = text(lang, "ecps.binding"), text(lang, "ecps.channel"), text(lang, "sessions.client"), text(lang, "sessions.expires")
	e.Approve, e.Refuse, e.Refresh = text(lang, "ecps.approve"), text(lang, "ecps.refuse"), text(lang, "ecps.refresh")
	e.IDNat = idNat
	if msgKey != "" {
		d.Message = text(lang, msgKey)
	}
	if errKey != "" {
		d.Error = text(lang, errKey)
	}
	for _, id := range p.order {
		pro := p.pros[id]
		e.Identities = append(e.Identities, cardOption{IDNat: id, Name: pro.DisplayName(), Label: pro.Label.In(lang), Checked: id == idNat})
	}
	if idNat != "" {
		layout := text(lang, "sessions.time")
		for _, cr := range p.pendingCIBA(idNat) {
			e.Requests = append(e.Requests, ecpsRow{ID: cr.id, Client: cr.clientID, Binding: cr.binding,
				Channel: text(lang, "ecps.channel."+cr.channel), Expires: localTime(lang, layout, cr.expires.In(p.cfg.Location))})
		}
	}
	render(w, http.StatusOK, ecpsAppPage(), d, "'self'")
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
<main{{if .App}} class="app" data-testid="ecps-app-frame"{{end}}><div class="card">{{template "body" .}}</div></main></body></html>`

var cardPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.Must(template.New("card").Parse(layout)).Parse(`{{define "body"}}
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
})

var messagePage = sync.OnceValue(func() *template.Template {
	return template.Must(template.Must(template.New("message").Parse(layout)).Parse(`{{define "body"}}
{{if .Error}}<div class="err" role="alert" data-testid="psc-error">{{.Error}}</div>{{end}}
{{if .Message}}<p class="msg" role="status" data-testid="psc-message">{{.Message}}</p>{{end}}
{{end}}`))
})

var sessionsPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.Must(template.New("sessions").Funcs(template.FuncMap{"sessionArgs": sessionArgs}).Parse(layout)).Parse(`{{define "body"}}
<h2>{{.Title}}</h2>
<p>{{.SessionsIntro}}</p>
{{if .Error}}<div class="err" role="alert" data-testid="psc-error">{{.Error}}</div>{{end}}
{{if .Message}}<p class="msg" role="status" data-testid="psc-message">{{.Message}}</p>{{end}}
{{if .Sessions}}<p class="hint" data-testid="psc-sessions-order">{{.SessionsOrder}} {{.TimeZone}}</p>
<ul class="sessions" data-testid="psc-sessions">
{{range .Sessions}}<li class="session" data-testid="psc-session-{{.IDNat}}">
<p class="who"><strong data-testid="psc-session-name">{{.Name}}</strong> <small>idNat {{.IDNat}}</small>{{if .Newest}} <span class="badge" data-testid="psc-session-newest">{{$.SessionNewest}}</span>{{end}}</p>
{{template "session" (sessionArgs . $)}}
{{if .Older}}<details class="older" data-testid="psc-session-older"><summary>{{.OlderLabel}}</summary>
<ul class="sessions">{{range .Older}}<li class="session" data-testid="psc-older-session">{{template "session" (sessionArgs . $)}}</li>
{{end}}</ul></details>{{end}}
</li>
{{end}}</ul>{{else}}<p data-testid="psc-sessions-none">{{.SessionsNone}}</p>{{end}}
{{end}}
{{define "session"}}<dl>
<div><dt>{{.Page.ColClient}}</dt><dd data-testid="psc-session-client">{{.Row.Client}}</dd></div>
<div><dt>{{.Page.ColStarted}}</dt><dd><time datetime="{{.Row.StartedISO}}" data-testid="psc-session-started">{{.Row.Started}}</time></dd></div>
<div><dt>{{.Page.ColExpires}}</dt><dd><time datetime="{{.Row.ExpiresISO}}" data-testid="psc-session-expires">{{.Row.Expires}}</time></dd></div>
</dl>
<form method="post"><input type="hidden" name="sid" value="{{.Row.SID}}"><button class="secondary" type="submit" data-testid="psc-session-logout">{{.Page.SessionLogout}}</button></form>{{end}}`))
})

// sessionArgs hands the session sub-template its row and the page.
func sessionArgs(row sessionRow, page pageData) struct {
	Row  sessionRow
	Page pageData
} {
	return struct {
		Row  sessionRow
		Page pageData
	}{row, page}
}

var ecpsAppPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.Must(template.New("ecps").Parse(layout)).Parse(`{{define "body"}}
<h2>{{.Title}}</h2>
<p>{{.ECPS.Intro}}</p>
{{if .Error}}<div class="err" role="alert" data-testid="ecps-error">{{.Error}}</div>{{end}}
{{if .Message}}<p class="msg" role="status" data-testid="ecps-message">{{.Message}}</p>{{end}}
<form method="get" data-testid="ecps-choose"><input type="hidden" name="ui_locales" value="{{.Lang}}">
<label for="idnat"><strong>{{.ECPS.Identity}}</strong></label>
<select id="idnat" name="idnat" data-testid="ecps-identity">{{range .ECPS.Identities}}<option value="{{.IDNat}}"{{if .Checked}} selected{{end}}>{{.Name}} — idNat {{.IDNat}}</option>{{end}}</select>
<div class="row"><button class="secondary" type="submit" data-testid="ecps-show">{{.ECPS.Show}}</button></div>
</form>
{{if .ECPS.IDNat}}{{if .ECPS.Requests}}<ul class="sessions" data-testid="ecps-requests">
{{range .ECPS.Requests}}<li class="session" data-testid="ecps-request">
<p class="who">{{$.ECPS.Binding}} <strong class="binding" data-testid="ecps-binding">{{.Binding}}</strong></p>
<dl>
<div><dt>{{$.ECPS.Client}}</dt><dd data-testid="ecps-client">{{.Client}}</dd></div>
<div><dt>{{$.ECPS.Channel}}</dt><dd data-testid="ecps-channel">{{.Channel}}</dd></div>
<div><dt>{{$.ECPS.Expires}}</dt><dd data-testid="ecps-expires">{{.Expires}}</dd></div>
</dl>
<form method="post" class="row"><input type="hidden" name="idnat" value="{{$.ECPS.IDNat}}"><input type="hidden" name="req" value="{{.ID}}">
<button class="primary" type="submit" name="action" value="approve" data-testid="ecps-approve">{{$.ECPS.Approve}}</button>
<button class="secondary" type="submit" name="action" value="refuse" data-testid="ecps-refuse">{{$.ECPS.Refuse}}</button></form>
</li>
{{end}}</ul>{{else}}<p data-testid="ecps-none">{{.ECPS.None}}</p>{{end}}
<p><a href="?idnat={{.ECPS.IDNat}}&amp;ui_locales={{.Lang}}" data-testid="ecps-refresh">{{.ECPS.Refresh}}</a></p>{{end}}
{{end}}`))
})
