package pagelang

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/a-h/templ"
)

func TestLoadRefusesAMissingOrEmptyKey(t *testing.T) {
	complete := fstest.MapFS{
		"l/fr.json": {Data: []byte(`{"a":"A fr","b":"B fr"}`)},
		"l/de.json": {Data: []byte(`{"a":"A de","b":"B de"}`)},
		"l/en.json": {Data: []byte(`{"a":"A en","b":"B en"}`)},
	}
	c, err := Load(complete, "l")
	if err != nil {
		t.Fatal(err)
	}
	if c.Text("de", "b") != "B de" || c.Text("it", "a") != "A fr" || c.Text("en", "zz") != "[zz]" {
		t.Errorf("texts %q %q %q", c.Text("de", "b"), c.Text("it", "a"), c.Text("en", "zz"))
	}
	for name, fsys := range map[string]fstest.MapFS{
		"missing in de": {"l/fr.json": complete["l/fr.json"], "l/de.json": {Data: []byte(`{"a":"A de"}`)}, "l/en.json": complete["l/en.json"]},
		"only in en":    {"l/fr.json": complete["l/fr.json"], "l/de.json": complete["l/de.json"], "l/en.json": {Data: []byte(`{"a":"A","b":"B","c":"C"}`)}},
		"empty in fr":   {"l/fr.json": {Data: []byte(`{"a":"","b":"B"}`)}, "l/de.json": complete["l/de.json"], "l/en.json": complete["l/en.json"]},
		"no en file":    {"l/fr.json": complete["l/fr.json"], "l/de.json": complete["l/de.json"]},
	} {
		if _, err := Load(fsys, "l"); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func TestPick(t *testing.T) {
	for _, tc := range []struct {
		accept   string
		explicit []string
		want     string
	}{
		{"", nil, "fr"},
		{"de-CH,de;q=0.9", nil, "de"},
		{"it-CH", nil, "fr"},
		{"de", []string{"en-GB fr"}, "en"},
		{"de", []string{"x", ""}, "de"},
		{"", []string{"", "DE"}, "de"},
	} {
		if got := Pick(tc.accept, tc.explicit...); got != tc.want {
			t.Errorf("Pick(%q, %q) = %s, want %s", tc.accept, tc.explicit, got, tc.want)
		}
	}
}

func TestTextReadsLanguagesOrAString(t *testing.T) {
	var v struct{ A, B Text }
	if err := json.Unmarshal([]byte(`{"A":"Médecin","B":{"fr":"Infirmière","de":"Pflegefachfrau","en":"Nurse"}}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A.In("de") != "Médecin" || len(v.A.Missing()) != 2 || v.B.In("de") != "Pflegefachfrau" || v.B.In("it") != "Infirmière" || v.B.Missing() != nil {
		t.Errorf("%v %v", v.A, v.B)
	}
	if err := json.Unmarshal([]byte(`{"A":{"it":"Medico"}}`), &v); err == nil {
		t.Error("a text in Italian was accepted")
	}
	if (Text{"en": "Nurse"}).In("de") != "Nurse" {
		t.Error("no fallback to the only language")
	}
}

func TestSwitcherKeepsTheQuery(t *testing.T) {
	q := url.Values{"client_id": {"rp"}, "state": {"a b&c"}, "ui_locales": {"de-CH de"}, "lang": {"de"}}
	links := Switcher("/auth", q, "ui_locales", "de")
	if len(links) != 3 {
		t.Fatalf("%d links", len(links))
	}
	var names []string
	for _, l := range links {
		names = append(names, l.Name)
		u, err := url.Parse(l.Href)
		if err != nil || u.Path != "/auth" {
			t.Fatalf("href %q", l.Href)
		}
		got := u.Query()
		if got.Get("client_id") != "rp" || got.Get("state") != "a b&c" || got.Get("ui_locales") != l.Lang || got.Has("lang") {
			t.Errorf("%s: %v", l.Lang, got)
		}
		if l.Current != (l.Lang == "de") {
			t.Errorf("%s current %v", l.Lang, l.Current)
		}
	}
	if strings.Join(names, "|") != "Français|Deutsch|English" {
		t.Errorf("names %v", names)
	}
	if q.Get("ui_locales") != "de-CH de" {
		t.Error("the query was changed")
	}
}

// TestLanguageNav: one link per language, the current one marked, the
// query escaped in the attribute, a space between links (the old
// template's), and nothing at all without links.
func TestLanguageNav(t *testing.T) {
	var b strings.Builder
	links := Switcher("/p", url.Values{"q": {`"x"&y`}}, "lang", "de")
	if err := LanguageNav(links, "Sprache").Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		`<nav class="langs" aria-label="Sprache" data-testid="sandbox-languages">`,
		`<a href="/p?lang=fr&amp;q=%22x%22%26y" hreflang="fr" lang="fr">Français</a> `,
		`<a href="/p?lang=de&amp;q=%22x%22%26y" hreflang="de" lang="de" aria-current="true">Deutsch</a> `,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the nav lacks %s:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "aria-current"); n != 1 {
		t.Errorf("%d links marked current, want 1", n)
	}
	b.Reset()
	if err := LanguageNav(nil, "Sprache").Render(context.Background(), &b); err != nil || b.Len() != 0 {
		t.Errorf("without links: %q, %v", b.String(), err)
	}
}

// TestFrame: a simulator's look and a page's chrome around the page's
// content; the brand is the page's heading only when the look says so,
// and the masthead carries a test id only when given one.
func TestFrame(t *testing.T) {
	render := func(look Look) string {
		var b strings.Builder
		c := Chrome{Lang: "de", Title: "Anmelden", Stylesheet: "/s.css", Banner: "Testumgebung", Brand: "Simulator",
			LanguagesLabel: "Sprache", Languages: Switcher("/p", nil, "lang", "de")}
		main := templ.Raw("<main>inhalt</main>")
		if err := Frame(look, c).Render(templ.WithChildren(context.Background(), main), &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	got := render(Look{Class: "hin", TitlePrefix: "HIN — ", Mark: "HIN", Name: "HIN e-ID", BannerTestID: "b", HeaderTestID: "h"})
	for _, want := range []string{
		`<html lang="de">`, `<title>HIN — Anmelden</title>`, `<link rel="stylesheet" href="/s.css">`,
		`<body class="sim sim-hin"><div class="env" data-testid="b">Testumgebung</div>`,
		`<header class="masthead" data-testid="h">`,
		`<p class="brand"><span class="mark" aria-hidden="true">HIN</span><span class="brand-name">HIN e-ID</span> <span class="brand-tag" data-testid="sandbox-brand">Simulator</span></p>`,
		`data-testid="sandbox-languages"`, `</header><main>inhalt</main></body>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the frame lacks %s:\n%s", want, got)
		}
	}
	got = render(Look{Class: "psc", Mark: "PSC", Name: "Pro Santé Connect", BrandIsHeading: true, BannerTestID: "b"})
	if !strings.Contains(got, `<header class="masthead"><div class="bar"><h1 class="brand">`) || strings.Contains(got, `<p class="brand">`) {
		t.Errorf("a heading brand without a masthead test id:\n%s", got)
	}
}
