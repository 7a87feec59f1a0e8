package hinsim

import (
	_ "embed"
	"html/template"
	"net/http"
	"sync"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
	"github.com/infopatient/infopatient/internal/sandbox/internal/simstyle"
)

// The pages use no script and the simulators' shared stylesheet only, and
// forbid framing. No form-action: browsers apply it to the redirect that
// follows the consent form, which leaves for the application's origin.
const pageCSP = "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'"

var pages = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("layout").Parse(pagelang.SwitcherTemplate + `<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HIN — {{.Title}}</title>
<link rel="stylesheet" href="{{.Stylesheet}}">
</head>
<body class="sim sim-hin">
<div class="env" data-testid="hin-test-banner">{{.Banner}}</div>
<header class="masthead" data-testid="hin-header"><div class="bar">
<p class="brand"><span class="mark" aria-hidden="true">HIN</span><span class="brand-name">HIN e-ID</span> <span class="brand-tag" data-testid="sandbox-brand">{{.Brand}}</span></p>
{{template "languages" .}}
</div></header>
<main><div class="card">
<h1>{{.Title}}</h1>
{{if .Error}}<p class="err" role="alert" data-testid="hin-error">{{.Error}}</p>{{end}}
{{template "body" .}}
</div></main>
</body>
</html>`))
})

var (
	signInPage = sync.OnceValue(func() *template.Template {
		return template.Must(template.Must(pages().Clone()).Parse(`{{define "body"}}
<p class="hint" data-testid="hin-signin-context">{{.Context}}</p>
<p>{{.Intro}}</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="pending" value="{{.Pending}}">
{{range .Identities}}<button type="submit" name="hin_id" value="{{.HINID}}" class="tile" data-testid="hin-identity-{{.HINID}}">
<strong>{{.DisplayName}}</strong> — {{.Profession}}<small>{{.HINID}}{{if .Note}} · {{.Note}}{{end}}</small>
</button>
{{end}}</form>{{end}}`))
	})

	// Yes is the main answer, No the other: they must not look alike.
	consentPage = sync.OnceValue(func() *template.Template {
		return template.Must(template.Must(pages().Clone()).Parse(`{{define "body"}}
<p data-testid="hin-consent-question">{{.Question}}</p>
<form method="post" action="{{.Action}}" class="row">
<input type="hidden" name="pending" value="{{.Pending}}">
<button type="submit" name="decision" value="yes" class="primary" data-testid="hin-consent-yes">{{.Yes}}</button>
<button type="submit" name="decision" value="no" class="secondary" data-testid="hin-consent-no">{{.No}}</button>
</form>{{end}}`))
	})

	codePage = sync.OnceValue(func() *template.Template {
		return template.Must(template.Must(pages().Clone()).Parse(`{{define "body"}}
<p>{{.Intro}}</p>
<code id="hin-code" class="copy" data-testid="hin-manual-code">{{.Code}}</code>
<button type="button" class="primary" data-copy="hin-code" data-copied="{{.Copied}}" data-selected="{{.Selected}}" aria-describedby="hin-copy-status" data-testid="hin-copy" hidden>{{.Copy}}</button>
<p id="hin-copy-status" class="hint" role="status" data-testid="hin-copy-status"></p>
<p class="hint">{{.Context}}</p>
<script src="{{.Script}}" defer></script>{{end}}`))
	})

	errorPage = sync.OnceValue(func() *template.Template {
		return template.Must(template.Must(pages().Clone()).Parse(`{{define "body"}}{{end}}`))
	})
)

// pageData is what every page shows; Body-specific fields are optional.
type pageData struct {
	Lang, Banner, Title, Error string
	// Stylesheet is the shared stylesheet's link; Brand the masthead's tag.
	Stylesheet, Brand      string
	LanguagesLabel         string
	Languages              []pagelang.Link
	Action, Pending        string
	Context, Intro         string
	Identities             []identityView
	Question, Yes, No      string
	Code                   string
	Copy, Copied, Selected string // the code page's copy button
	Script                 string
}

// identityView is an identity as the sign-in page shows it, in its language.
type identityView struct {
	HINID, DisplayName, Profession, Note string
}

func (s *Server) newPage(lang, titleKey string, links []pagelang.Link) pageData {
	return pageData{Lang: lang, Banner: text(lang, "banner"), Title: text(lang, titleKey),
		Stylesheet: simstyle.Href(s.basePath), Brand: text(lang, "brand.tag"),
		LanguagesLabel: text(lang, "languages"), Languages: links}
}

// render writes a page with the headers every simulator page carries.
func render(w http.ResponseWriter, status int, t *template.Template, data pageData) {
	csp := pageCSP
	if data.Script != "" {
		// The code page's copy button: its one script, from this server.
		csp += "; script-src 'self'"
	}
	pagelang.RenderTemplate(w, status, csp, t, data)
}

// copyScript is the code page's copy button (pathCopyScript).
//
//go:embed copy.js
var copyScript []byte

// serveCopyScript serves the copy button's script.
func serveCopyScript(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(copyScript)
}

// renderError shows an error page: the sign-in cannot go on, and nothing
// is sent back to the application (its redirect URI is not trusted yet).
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, lang, key string) {
	pending := ""
	if r.Method == http.MethodPost {
		pending = r.PostFormValue("pending")
	}
	p := s.newPage(lang, "error.title", s.switcher(r, pending, lang))
	p.Error = text(lang, key)
	render(w, status, errorPage(), p)
}
