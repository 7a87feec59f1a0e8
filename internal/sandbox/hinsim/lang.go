package hinsim

import (
	"embed"
	"net/http"
	"net/url"
	"sync"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
)

// The pages' strings, one file per language in locales/; formats use
// explicit argument indexes because word order differs between languages.
//
//go:embed locales/*.json
var localeFiles embed.FS

// The messages and templates are parsed on first use, not at start-up:
// the portal links the simulators but, out of demo mode, never serves them.
var catalogue = sync.OnceValue(func() *pagelang.Catalogue { return pagelang.MustLoad(localeFiles, "locales") })

// text returns the string key in lang, formatted with args.
func text(lang, key string, args ...any) string { return catalogue().Text(lang, key, args...) }

// requestLanguage picks the page language: an explicit lang parameter
// (fr, de, en), or OpenID Connect's ui_locales, which portals send to
// every authority alike ("de-CH de" → de); else the browser's
// Accept-Language, else French.
func requestLanguage(r *http.Request) string {
	return pagelang.Pick(r.Header.Get("Accept-Language"), r.FormValue("lang"), r.FormValue("ui_locales"))
}

// switcher links a page to itself in each language. A page answering a
// GET keeps its whole query (the authorization request's parameters); a
// page answering a form links to its sign-in in progress, which
// remembers the language for the rest of the sign-in.
func (s *Server) switcher(r *http.Request, pending, lang string) []pagelang.Link {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return pagelang.Switcher(r.URL.Path, r.URL.Query(), "lang", lang)
	}
	q := url.Values{}
	if pending != "" {
		q.Set("pending", pending)
	}
	return pagelang.Switcher(s.basePath+pathSignIn, q, "lang", lang)
}
