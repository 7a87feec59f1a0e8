package views

import (
	"context"
	"testing"
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
