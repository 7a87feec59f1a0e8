package views

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/i18n"
)

func langURLAt(path, to string) string {
	return langURL(WithPage(context.Background(), Page{Path: path}), to)
}

// The language links of a page: the same path, the kept parameters, the
// language; plain paths take the short way, others are parsed.
func TestLangURL(t *testing.T) {
	for _, c := range []struct{ path, to, want string }{
		{"/identification", "de", "/identification?lang=de"},
		{"/", "en", "/?lang=en"},
		{"/mes-informations", "fr", "/mes-informations?lang=fr"},
		{"/identification?lang=fr", "de", "/identification?lang=de"},
		{"/?return=%2Fhistorique&x=1", "de", "/?lang=de&return=%2Fhistorique"},
		{"/?expired=1&ended=1&bye=1&return=/a", "en", "/?bye=1&ended=1&expired=1&lang=en&return=%2Fa"},
		{"/caf%C3%A9", "de", "/caf%C3%A9?lang=de"},
		{"//evil.example/x", "de", "/x?lang=de"},
		{"", "de", "/?lang=de"},
		{"/a b", "de", "/a%20b?lang=de"},
		{"/x", "a&b", "/x?lang=a%26b"},
	} {
		if got := langURLAt(c.path, c.to); got != c.want {
			t.Errorf("langURL(%q, %q) = %q, want %q", c.path, c.to, got, c.want)
		}
		if got := langURLParsed(c.path, c.to); got != c.want {
			t.Errorf("langURLParsed(%q, %q) = %q, want %q", c.path, c.to, got, c.want)
		}
	}
}

// A plain path's link costs one allocation (the string itself): this
// fails if the short way is lost.
func TestLangURLPlainPathAllocations(t *testing.T) {
	ctx := WithPage(context.Background(), Page{Path: "/identification"})
	if n := testing.AllocsPerRun(100, func() { _ = langURL(ctx, "de") }); n > 1 {
		t.Errorf("a plain path's language link costs %v allocations", n)
	}
}

// FuzzLangURL: the short way for plain paths gives exactly what parsing
// gives, whatever the path (the request's, outside input).
func FuzzLangURL(f *testing.F) {
	for _, p := range []string{"/identification", "/", "//x", "/a?return=%2Fb", "/a/../b", "/~x_y.z-1", "", "/%zz", "/a#b"} {
		f.Add(p, "de")
	}
	f.Fuzz(func(t *testing.T, path, to string) {
		if got, want := langURLAt(path, to), langURLParsed(path, to); got != want {
			t.Fatalf("langURL(%q, %q) = %q, parsed %q", path, to, got, want)
		}
	})
}

// The language switch as written by langLink: every value escaped (a
// kept parameter's '&' too), the current language marked.
func TestLanguageSwitchHTML(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithPage(i18n.WithLocalizer(context.Background(), cat.For("de")), Page{Path: "/?return=%2Fa&bye=1"})
	var buf strings.Builder
	if err := languageSwitch().Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<a href="/?bye=1&amp;lang=fr&amp;return=%2Fa" hreflang="fr" lang="fr" aria-current="false">Français</a>`,
		`<a href="/?bye=1&amp;lang=de&amp;return=%2Fa" hreflang="de" lang="de" aria-current="true">Deutsch</a>`,
		`<a href="/?bye=1&amp;lang=en&amp;return=%2Fa" hreflang="en" lang="en" aria-current="false">English</a>`,
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("no %s in\n%s", want, buf.String())
		}
	}
}

// The three links of a plain path cost a few allocations, not the
// thirty of templ's expressions: this fails if the direct writing is lost.
func TestLanguageSwitchAllocations(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithPage(i18n.WithLocalizer(context.Background(), cat.For("fr")), Page{Path: "/identification"})
	var buf bytes.Buffer
	if n := testing.AllocsPerRun(50, func() { buf.Reset(); _ = languageSwitch().Render(ctx, &buf) }); n > 8 {
		t.Errorf("the language switch costs %v allocations", n)
	}
}
