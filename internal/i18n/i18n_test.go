package i18n

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestEveryLanguageHasEveryKey(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for lang, keys := range c.Missing() {
		if len(keys) > 0 {
			t.Errorf("%s lacks %d keys: %v", lang, len(keys), keys)
		}
	}
}

func TestMatch(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ chosen, accept, want string }{
		{"", "", "fr"},
		{"", "de-CH,de;q=0.9,en;q=0.8", "de"},
		{"", "en-GB,en;q=0.9", "en"},
		{"", "it-CH,it;q=0.9", "fr"},
		{"", "it-CH, en;q=0.5", "en"},
		{"en", "de-CH", "en"},
		{"xx", "de", "de"},
		{"", ";;;garbage", "fr"},
	} {
		if got := c.Match(tc.chosen, tc.accept); got != tc.want {
			t.Errorf("Match(%q, %q) = %q, want %q", tc.chosen, tc.accept, got, tc.want)
		}
	}
}

func TestFormatting(t *testing.T) {
	c, _ := Load()
	d := time.Date(1984, 2, 7, 0, 0, 0, 0, time.UTC)
	for lang, want := range map[string]string{"fr": "07/02/1984", "de": "07.02.1984", "en": "7 Feb 1984"} {
		if got := c.For(lang).Date(d); got != want {
			t.Errorf("%s date %q, want %q", lang, got, want)
		}
	}
	for lang, want := range map[string]string{"fr": "12\u00a0345", "de": "12.345", "en": "12,345"} {
		if got := c.For(lang).Number(12345); got != want {
			t.Errorf("%s number %q, want %q", lang, got, want)
		}
	}
	if got := c.For("de").T("error.status", 404); got != "Fehlercode: 404" {
		t.Errorf("formatted message %q", got)
	}
	if got := c.For("en").T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key shows %q", got)
	}
}

func TestContext(t *testing.T) {
	c, _ := Load()
	ctx := WithLocalizer(context.Background(), c.For("de"))
	if T(ctx, "nav.logout") != "Abmelden" || T(context.Background(), "nav.logout") != "Se déconnecter" {
		t.Error("context localizer not used")
	}
}

// A request's localizer is the language's own, built at Load: For
// allocates nothing, and a language not offered gets French's.
func TestForSharesOneLocalizerPerLanguage(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	de := c.For("de")
	if c.For("de") != de || c.For("xx") != c.For(Default) || c.For("en").Lang != "en" {
		t.Error("For builds a localizer per call")
	}
	if n := testing.AllocsPerRun(100, func() { _ = c.For("de").T("login.title") }); n != 0 {
		t.Errorf("For and T allocate %v times", n)
	}
}

// TestLoadOnce: callers share one catalogue, loaded once even when the
// first requests ask at the same time (run with -race); the fallback is
// its French localizer, not a copy.
func TestLoadOnce(t *testing.T) {
	var wg sync.WaitGroup
	got := make([]*Catalog, 8)
	for i := range got {
		wg.Go(func() {
			c, err := Load()
			if err != nil {
				t.Error(err)
			}
			got[i] = c
			_ = From(context.Background()).T("nav.home")
		})
	}
	wg.Wait()
	for _, c := range got[1:] {
		if c != got[0] {
			t.Fatal("two catalogues loaded")
		}
	}
	if From(context.Background()) != got[0].For(Default) {
		t.Error("the fallback is not the catalogue's French")
	}
}
