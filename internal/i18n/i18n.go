// Package i18n holds InfoPatient's message catalogues (French, German,
// English) and formats text, dates and numbers for the user's language.
package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sync"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Languages offered, the default first.
var Languages = []string{"fr", "de", "en"}

// Default is the language used when the browser states no preference we speak.
const Default = "fr"

// Each language's messages are the union of the files in locales/<lang>/,
// one file per area of the portal, so that features add a file rather than
// edit a shared one; a key defined twice refuses to load.
//
//go:embed locales
var locales embed.FS

// Catalog is every message of every language, loaded once at start-up.
type Catalog struct {
	// localizers, one per language, are built once: every request in
	// that language shares its own.
	localizers map[string]*Localizer
	matcher    language.Matcher
}

// Load reads the embedded catalogues, once: every caller shares the
// catalogue, which nothing changes after loading.
func Load() (*Catalog, error) { return embedded() }

var embedded = sync.OnceValues(load)

func load() (*Catalog, error) {
	c := &Catalog{localizers: map[string]*Localizer{}}
	var tags []language.Tag
	for _, lang := range Languages {
		m, err := loadLanguage(locales, lang)
		if err != nil {
			return nil, err
		}
		tag := language.MustParse(lang)
		c.localizers[lang] = &Localizer{Lang: lang, messages: m, printer: message.NewPrinter(tag)}
		tags = append(tags, tag)
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// loadLanguage merges the files of locales/<lang>/.
func loadLanguage(fsys fs.FS, lang string) (map[string]string, error) {
	dir := path.Join("locales", lang)
	files, err := fs.Glob(fsys, dir+"/*.json")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no catalogue", dir)
	}
	m := map[string]string{}
	for _, name := range files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		part := map[string]string{}
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for k, v := range part {
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("%s: key %q is already defined in another file of %s", name, k, dir)
			}
			m[k] = v
		}
	}
	return m, nil
}

// Supported reports whether lang is one of Languages.
func (c *Catalog) Supported(lang string) bool {
	_, ok := c.localizers[lang]
	return ok
}

// Match picks the language for a request: an explicit choice wins, then the
// Accept-Language header, then French.
func (c *Catalog) Match(chosen, acceptLanguage string) string {
	if c.Supported(chosen) {
		return chosen
	}
	if acceptLanguage == "" {
		return Default
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, index, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Languages[index]
}

// Localizer speaks one language. Every request in that language shares
// it: it is safe for concurrent use, and not to be changed.
type Localizer struct {
	Lang     string
	messages map[string]string
	printer  *message.Printer
}

// For returns the localizer of lang (French if lang is not offered).
func (c *Catalog) For(lang string) *Localizer {
	if l, ok := c.localizers[lang]; ok {
		return l
	}
	return c.localizers[Default]
}

// T returns the message for key, formatted with args (fmt verbs, numbers
// grouped the language's way). A missing key shows itself, so it is seen.
func (l *Localizer) T(key string, args ...any) string {
	msg, ok := l.messages[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return l.printer.Sprintf(msg, args...)
}

// Has reports whether the language has a message for key.
func (l *Localizer) Has(key string) bool {
	_, ok := l.messages[key]
	return ok
}

// Date formats a calendar date the language's way.
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	switch l.Lang {
	case "de":
		return t.Format("02.01.2006")
	case "en":
		return t.Format("2 Jan 2006")
	default:
		return t.Format("02/01/2006")
	}
}

// DateTime formats a moment in the given location.
func (l *Localizer) DateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(loc)
	switch l.Lang {
	case "de":
		return t.Format("02.01.2006, 15:04")
	case "en":
		return t.Format("2 Jan 2006, 15:04")
	default:
		return t.Format("02/01/2006 à 15:04")
	}
}

// Number formats an integer with the language's digit grouping.
func (l *Localizer) Number(n int64) string { return l.printer.Sprintf("%d", n) }

type ctxKey struct{}

// WithLocalizer attaches the request's localizer to ctx.
func WithLocalizer(ctx context.Context, l *Localizer) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the request's localizer; French when none was attached.
func From(ctx context.Context) *Localizer {
	if l, ok := ctx.Value(ctxKey{}).(*Localizer); ok {
		return l
	}
	return fallback()
}

// fallback serves code paths outside a request (and tests of components):
// the French of the shared catalogue, loaded when first needed rather
// than at start-up, and not a second copy of it.
var fallback = sync.OnceValue(func() *Localizer {
	c, err := Load()
	if err != nil {
		panic(err) // the catalogues are embedded: this is a build defect
	}
	return c.For(Default)
})

// T translates key in the request's language.
func T(ctx context.Context, key string, args ...any) string { return From(ctx).T(key, args...) }
