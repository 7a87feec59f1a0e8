package pscsim

import (
	"embed"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/a-h/templ"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
	"github.com/infopatient/infopatient/internal/sandbox/internal/simstyle"
)

// The simulator's pages speak French, German and English, like the
// portal; the messages are in locales/, one file per language.
//
//go:embed locales/*.json
var localeFiles embed.FS

// The messages are parsed on first use, not at start-up:
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
	pagelang.Chrome
	Intro, Choose, Code, Submit, Cancel, Error, Message string
	// CodeError is the wrong-code message, shown with the code field;
	// ChooseError the no-card message, shown with the cards.
	CodeError, ChooseError string
	Pending                string
	Options                []cardOption
	// The way in: carte CPS or e-CPS app, above the identities.
	MethodLegend, MethodError string
	Methods                   []methodOption
	// App draws the page as a phone's screen (the e-CPS app).
	App bool
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
	return pageData{
		Chrome: pagelang.Chrome{Lang: lang, Title: text(lang, "title"), Banner: text(lang, "env"), Stylesheet: simstyle.Href(p.basePath),
			Brand: text(lang, "brand.tag"), LanguagesLabel: text(lang, "languages"), Languages: links},
		Choose: text(lang, "choose"), Code: text(lang, "code"), Submit: text(lang, "submit"), Cancel: text(lang, "cancel"),
	}
}

// look is Pro Santé Connect's masthead, whose brand is the page's h1.
var look = pagelang.Look{Class: "psc", Mark: "PSC", Name: "Pro Santé Connect", BrandIsHeading: true,
	BannerTestID: "psc-sandbox-env"}

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
	render(w, status, cardPage(d), origin(pa.redirectURI))
}

func (p *Provider) renderError(w http.ResponseWriter, r *http.Request, status int, lang, key string) {
	d := p.newPage(lang, switcher(r, lang))
	d.Title = text(lang, "error.title")
	d.Error = text(lang, key)
	render(w, status, messagePage(d), "")
}

func (p *Provider) renderMessage(w http.ResponseWriter, r *http.Request, lang, key string) {
	d := p.newPage(lang, switcher(r, lang))
	d.Message = text(lang, key)
	render(w, http.StatusOK, messagePage(d), "")
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
	render(w, http.StatusOK, sessionsPage(d), "'self'")
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
	render(w, http.StatusOK, ecpsAppPage(d), "'self'")
}

// render writes a page. Its CSP allows the simulator's own stylesheet and
// lets its form be posted to the simulator, then redirected to the client
// (browsers check form-action on that redirect too).
func render(w http.ResponseWriter, status int, page templ.Component, formTarget string) {
	formAction := "'none'"
	switch formTarget {
	case "":
	case "'self'":
		formAction = "'self'"
	default:
		formAction = "'self' " + formTarget
	}
	pagelang.Render(w, status, "default-src 'none'; style-src 'self'; form-action "+formAction+"; base-uri 'none'; frame-ancestors 'none'", page)
}

// origin is scheme://host of an absolute URL, for the CSP.
func origin(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
