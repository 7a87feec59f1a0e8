package hinsim

import (
	_ "embed"
	"net/http"

	"github.com/a-h/templ"
	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
	"github.com/infopatient/infopatient/internal/sandbox/internal/simstyle"
)

// The pages use no script and the simulators' shared stylesheet only, and
// forbid framing. No form-action: browsers apply it to the redirect that
// follows the consent form, which leaves for the application's origin.
const pageCSP = "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'"

// The pages themselves are templ components (pages.templ): layout, and
// signInPage, consentPage, codePage and errorPage in it.

// pageData is what every page shows; Body-specific fields are optional.
type pageData struct {
	pagelang.Chrome
	Error                  string
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

// smallPrint is the identity's small print on its tile: its HIN id, and
// its note if any.
func (i identityView) smallPrint() string {
	if i.Note == "" {
		return i.HINID
	}
	return i.HINID + " · " + i.Note
}

func (s *Server) newPage(lang, titleKey string, links []pagelang.Link) pageData {
	return pageData{Chrome: pagelang.Chrome{Lang: lang, Banner: text(lang, "banner"), Title: text(lang, titleKey),
		Stylesheet: simstyle.Href(s.basePath), Brand: text(lang, "brand.tag"),
		LanguagesLabel: text(lang, "languages"), Languages: links}}
}

// look is HIN's masthead, as the browser tests know it.
var look = pagelang.Look{Class: "hin", TitlePrefix: "HIN — ", Mark: "HIN", Name: "HIN e-ID",
	BannerTestID: "hin-test-banner", HeaderTestID: "hin-header"}

// render writes a page with the headers every simulator page carries.
func render(w http.ResponseWriter, status int, page func(pageData) templ.Component, data pageData) {
	csp := pageCSP
	if data.Script != "" {
		// The code page's copy button: its one script, from this server.
		csp += "; script-src 'self'"
	}
	pagelang.Render(w, status, csp, page(data))
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
	render(w, status, errorPage, p)
}
