// Package pagelang gives the simulators' pages their languages: French by
// default, German and English complete, like the portal. Each simulator
// embeds its message catalogue as one JSON file per language; Load refuses
// a catalogue in which a language lacks a key another has, so a missing
// translation fails at start-up and in every test, never silently on a
// page. Texts of the test data (a card's label, an identity's profession)
// are per-language too (Text).
package pagelang

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/a-h/templ"
	"golang.org/x/text/language"
)

// Default is the language of a page nobody asked a language for.
const Default = "fr"

// Languages are the page languages, the default first.
var Languages = []string{"fr", "de", "en"}

// names are the languages as the switcher offers them, each in itself.
var names = map[string]string{"fr": "Français", "de": "Deutsch", "en": "English"}

var matcher = language.NewMatcher([]language.Tag{language.French, language.German, language.English})

// Supported reports whether lang is a page language.
func Supported(lang string) bool { return slices.Contains(Languages, lang) }

// Pick chooses the page language: the first supported entry of the
// explicit lists (ui_locales "de-CH de", lang "en"), else the browser's
// Accept-Language, else French.
func Pick(acceptLanguage string, explicit ...string) string {
	if l, ok := Explicit(explicit...); ok {
		return l
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Languages[i]
}

// Explicit is the first supported language of the lists, if any.
func Explicit(lists ...string) (string, bool) {
	for _, list := range lists {
		for _, l := range strings.Fields(list) {
			if l = strings.ToLower(l[:min(2, len(l))]); Supported(l) {
				return l, true
			}
		}
	}
	return "", false
}

// Catalogue is a simulator's messages, by language then key.
type Catalogue struct {
	msgs map[string]map[string]string
}

// Load reads dir/fr.json, dir/de.json and dir/en.json (flat objects of
// key → text) and checks that every language has every key, none empty.
func Load(fsys fs.FS, dir string) (*Catalogue, error) {
	c := &Catalogue{msgs: map[string]map[string]string{}}
	for _, lang := range Languages {
		raw, err := fs.ReadFile(fsys, path.Join(dir, lang+".json"))
		if err != nil {
			return nil, fmt.Errorf("pagelang: %w", err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("pagelang: %s/%s.json: %w", dir, lang, err)
		}
		c.msgs[lang] = m
	}
	var errs []error
	for _, key := range c.Keys() {
		for _, lang := range Languages {
			if strings.TrimSpace(c.msgs[lang][key]) == "" {
				errs = append(errs, fmt.Errorf("pagelang: %s/%s.json lacks %q", dir, lang, key))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// MustLoad is Load for embedded catalogues, which cannot fail but by a
// programming slip.
func MustLoad(fsys fs.FS, dir string) *Catalogue {
	c, err := Load(fsys, dir)
	if err != nil {
		panic(err)
	}
	return c
}

// Keys lists every key of any language, sorted.
func (c *Catalogue) Keys() []string {
	var keys []string
	for _, m := range c.msgs {
		for k := range m {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// Has reports whether key is in the catalogue.
func (c *Catalogue) Has(key string) bool {
	_, ok := c.msgs[Default][key]
	return ok
}

// Text returns key in lang (French for an unsupported lang), formatted
// with args. A key absent from the catalogue shows as itself, in
// brackets, so that the slip is visible; the catalogue tests catch it
// first.
func (c *Catalogue) Text(lang, key string, args ...any) string {
	m, ok := c.msgs[lang]
	if !ok {
		m = c.msgs[Default]
	}
	s, ok := m[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Text is a text of the test data in each page language: written in the
// JSON files as {"fr": …, "de": …, "en": …}, or as a plain string, taken
// as French.
type Text map[string]string

// UnmarshalJSON accepts an object of languages or a string.
func (t *Text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = Text{Default: s}
		return nil
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		return errors.New(`a text is a string or an object {"fr": …, "de": …, "en": …}`)
	}
	for lang := range m {
		if !Supported(lang) {
			return fmt.Errorf("a text is in %q, not a page language", lang)
		}
	}
	*t = m
	return nil
}

// In returns the text in lang, else in French, else in any language.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	if s := t[Default]; s != "" {
		return s
	}
	for _, l := range Languages {
		if s := t[l]; s != "" {
			return s
		}
	}
	return ""
}

// Missing lists the page languages t lacks; an empty text lacks none.
func (t Text) Missing() []string {
	if len(t) == 0 {
		return nil
	}
	var out []string
	for _, l := range Languages {
		if strings.TrimSpace(t[l]) == "" {
			out = append(out, l)
		}
	}
	return out
}

// Link is one entry of a page's language switcher.
type Link struct {
	Lang, Name, Href string
	Current          bool
}

// Switcher links the page to itself in every language: pagePath with
// query, param set to each language. Keeping the whole query keeps the
// request the page answers (an authorization request's parameters) intact.
// Other language parameters (lang, ui_locales) are dropped, so that the
// choice is not overridden.
func Switcher(pagePath string, query url.Values, param, current string) []Link {
	out := make([]Link, 0, len(Languages))
	for _, lang := range Languages {
		q := url.Values{}
		for k, v := range query {
			if k != "lang" && k != "ui_locales" {
				q[k] = v
			}
		}
		q.Set(param, lang)
		out = append(out, Link{Lang: lang, Name: names[lang], Href: pagePath + "?" + q.Encode(), Current: lang == current})
	}
	return out
}

// Render writes a page with the headers every simulator page carries:
// csp, not cached, not sniffed, not framed, no referrer. The page is
// rendered before anything is sent, so that a rendering error answers 500
// rather than half a page.
func Render(w http.ResponseWriter, status int, csp string, page templ.Component) {
	var buf bytes.Buffer
	if err := page.Render(context.Background(), &buf); err != nil {
		http.Error(w, "page rendering failed", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
