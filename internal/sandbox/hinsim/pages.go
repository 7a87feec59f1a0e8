package hinsim

import (
	_ "embed"
	"html/template"
	"net/http"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
)

// The pages use an inline style only and forbid framing; the code page
// alone adds its copy button's script (script-src 'self').
// No form-action: browsers apply it to the redirect that follows the
// consent form, which leaves for the application's origin.
const pageCSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"

var pages = template.Must(template.New("layout").Parse(pagelang.SwitcherTemplate + `<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HIN — {{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1d2b36}
.banner{background:#b3261e;color:#fff;padding:.5rem 1rem;font-weight:600;text-align:center}
main{max-width:34rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:.5rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;color:#00508c}
button{font:inherit;padding:.6rem 1rem;margin:.25rem 0;border-radius:.3rem;border:1px solid #00508c;background:#fff;cursor:pointer;width:100%;text-align:left}
button.primary{background:#00508c;color:#fff;text-align:center}
.row{display:flex;gap:.5rem}
.muted{color:#5a6b78;font-size:.9rem}
.error{color:#b3261e;font-weight:600}
code{display:block;font-size:1.1rem;padding:.8rem;background:#eef3f7;word-break:break-all;user-select:all}
.langs{max-width:34rem;margin:1rem auto 0;padding:0 1rem;display:flex;flex-wrap:wrap;justify-content:flex-end;gap:.25rem .75rem}
.langs a{color:#00508c}
.langs a[aria-current]{font-weight:700;text-decoration:none}
:focus-visible{outline:3px solid #0b0c0c;outline-offset:0;box-shadow:0 0 0 6px #ffbf47}
</style>
</head>
<body>
<div class="banner" data-testid="hin-test-banner">{{.Banner}}</div>
{{template "languages" .}}
<main>
<h1>{{.Title}}</h1>
{{if .Error}}<p class="error" role="alert" data-testid="hin-error">{{.Error}}</p>{{end}}
{{template "body" .}}
</main>
</body>
</html>`))

var (
	signInPage = template.Must(template.Must(pages.Clone()).Parse(`{{define "body"}}
<p class="muted" data-testid="hin-signin-context">{{.Context}}</p>
<p>{{.Intro}}</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="pending" value="{{.Pending}}">
{{range .Identities}}<button type="submit" name="hin_id" value="{{.HINID}}" data-testid="hin-identity-{{.HINID}}">
<strong>{{.DisplayName}}</strong> — {{.Profession}}<br><span class="muted">{{.HINID}}{{if .Note}} · {{.Note}}{{end}}</span>
</button>
{{end}}</form>{{end}}`))

	consentPage = template.Must(template.Must(pages.Clone()).Parse(`{{define "body"}}
<p data-testid="hin-consent-question">{{.Question}}</p>
<form method="post" action="{{.Action}}" class="row">
<input type="hidden" name="pending" value="{{.Pending}}">
<button type="submit" name="decision" value="yes" class="primary" data-testid="hin-consent-yes">{{.Yes}}</button>
<button type="submit" name="decision" value="no" class="primary" data-testid="hin-consent-no">{{.No}}</button>
</form>{{end}}`))

	codePage = template.Must(template.Must(pages.Clone()).Parse(`{{define "body"}}
<p>{{.Intro}}</p>
<code id="hin-code" data-testid="hin-manual-code">{{.Code}}</code>
<button type="button" class="primary" data-copy="hin-code" data-copied="{{.Copied}}" data-selected="{{.Selected}}" aria-describedby="hin-copy-status" data-testid="hin-copy" hidden>{{.Copy}}</button>
<p id="hin-copy-status" class="muted" role="status" data-testid="hin-copy-status"></p>
<p class="muted">{{.Context}}</p>
<script src="{{.Script}}" defer></script>{{end}}`))

	errorPage = template.Must(template.Must(pages.Clone()).Parse(`{{define "body"}}{{end}}`))
)

// pageData is what every page shows; Body-specific fields are optional.
type pageData struct {
	Lang, Banner, Title, Error string
	LanguagesLabel             string
	Languages                  []pagelang.Link
	Action, Pending            string
	Context, Intro             string
	Identities                 []identityView
	Question, Yes, No          string
	Code                       string
	Copy, Copied, Selected     string // the code page's copy button
	Script                     string
}

// identityView is an identity as the sign-in page shows it, in its language.
type identityView struct {
	HINID, DisplayName, Profession, Note string
}

func newPage(lang, titleKey string, links []pagelang.Link) pageData {
	return pageData{Lang: lang, Banner: text(lang, "banner"), Title: text(lang, titleKey),
		LanguagesLabel: text(lang, "languages"), Languages: links}
}

// render writes a page with the headers every simulator page carries.
func render(w http.ResponseWriter, status int, t *template.Template, data pageData) {
	csp := pageCSP
	if data.Script != "" {
		// The code page's copy button: its one script, from this server.
		csp += "; script-src 'self'"
	}
	pagelang.Render(w, status, csp, t, data)
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
	p := newPage(lang, "error.title", s.switcher(r, pending, lang))
	p.Error = text(lang, key)
	render(w, status, errorPage, p)
}
