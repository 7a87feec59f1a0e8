package commune_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/infopatient/infopatient/internal/commune"
)

func embedded(t testing.TB) *commune.List {
	t.Helper()
	l, err := commune.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestEmbeddedListHasTheCodesOfTheTestPersonas(t *testing.T) {
	l := embedded(t)
	if l.Len() < 35000 {
		t.Fatalf("%d entries: the list is truncated", l.Len())
	}
	for code, name := range map[string]string{
		"63220": "Mazoires",                 // ADRUN ZOE, PAT-TROIS
		"2B020": "",                         // may not exist today; former codes below
		"2A004": "Ajaccio",                  // Corsica after 1976
		"20004": "Ajaccio",                  // Corsica before 1976 (former code)
		"75112": "Paris 12e Arrondissement", // births are registered by arrondissement
		"97411": "Saint-Denis",              // La Réunion
	} {
		if name == "" {
			continue
		}
		if got := l.Name(code); got != name {
			t.Errorf("Name(%s) = %q, want %q", code, got, name)
		}
	}
	if got := l.Name("99134"); got != "" {
		t.Errorf("a country code has a commune name: %q", got)
	}
	cs := l.ByCode("20004")
	if len(cs) == 0 || cs[0].Kind != commune.Former || cs[0].Department != "2A" {
		t.Errorf("20004: %+v", cs)
	}
}

func TestSearchByName(t *testing.T) {
	l := embedded(t)
	got := l.Search("mazoires", 5)
	if len(got) == 0 || got[0].Code != "63220" {
		t.Fatalf("mazoires: %+v", got)
	}
	// Accents, case and separators do not count.
	for _, q := range []string{"ABERGEMENT CLEMENCIAT", "l'abergement-clémenciat", "  L’Abergement   Clémenciat "} {
		got := l.Search(q, 3)
		if len(got) == 0 || got[0].Code != "01001" {
			t.Errorf("%q: %+v", q, got)
		}
	}
	// The whole name first, then names that start with it.
	got = l.Search("paris", 30)
	if len(got) < 2 || got[0].Code != "75056" || !strings.HasPrefix(got[1].Name, "Paris ") {
		t.Errorf("paris: %+v", got[:min(3, len(got))])
	}
	// Current communes before former codes of the same name.
	got = l.Search("ajaccio", 5)
	if len(got) < 2 || got[0].Code != "2A004" || got[1].Code != "20004" {
		t.Errorf("ajaccio: %+v", got)
	}
	// A word inside the name matches too.
	got = l.Search("clemenciat", 5)
	if len(got) == 0 || got[0].Code != "01001" {
		t.Errorf("word start: %+v", got)
	}
	if got := l.Search("paris", 3); len(got) != 3 {
		t.Errorf("limit 3: %d", len(got))
	}
}

func TestSearchByCode(t *testing.T) {
	l := embedded(t)
	got := l.Search("6322", 20)
	if len(got) == 0 {
		t.Fatal("no code starting with 6322")
	}
	for _, c := range got {
		if !strings.HasPrefix(c.Code, "6322") {
			t.Errorf("%+v does not start with 6322", c)
		}
	}
	if got := l.Search("2a004", 5); len(got) == 0 || got[0].Name != "Ajaccio" {
		t.Errorf("2a004: %+v", got)
	}
}

func TestSearchFindsNothingForShortOrEmptyQueries(t *testing.T) {
	l := embedded(t)
	for _, q := range []string{"", " ", "a", "é", "--", "''", "zzzzqqq", "123456"} {
		if got := l.Search(q, 10); len(got) != 0 {
			t.Errorf("%q: %d results", q, len(got))
		}
	}
	if got := l.Search("paris", 0); got != nil {
		t.Errorf("limit 0: %d", len(got))
	}
}

func TestParseRefusesMalformedLists(t *testing.T) {
	for _, bad := range []string{"", "63220\tMazoires\t63", "6322\tX\t63\tC", "63220\t\t63\tC", "63220\tX\t63\tZ", "63220\tX\t63\tCC"} {
		if _, err := commune.Parse([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	l, err := commune.Parse([]byte("01001\tL'Abergement\t01\tC\n"))
	if err != nil || l.Len() != 1 || l.Name("01001") != "L'Abergement" {
		t.Errorf("%v %v", l, err)
	}
}

func TestValidCode(t *testing.T) {
	for _, ok := range []string{"63220", "2A004", "99134"} {
		if !commune.ValidCode(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "6322", "632200", "2a004", "63 20", "6322é"} {
		if commune.ValidCode(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"L'Haÿ-les-Roses":   "l hay les roses",
		"Œuilly":            "oeuilly",
		"  Saint--Étienne ": "saint etienne",
		"<b>x</b>":          "bxb",
	} {
		if got := commune.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzSearch: a typed query never panics, and every result matches it.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"paris", "2A0", "6322", "l'hay", "é", "\xff\xfe", "2b", "   "} {
		f.Add(s)
	}
	l := embedded(f)
	f.Fuzz(func(t *testing.T, q string) {
		got := l.Search(q, 5)
		if len(got) > 5 {
			t.Fatalf("%d results", len(got))
		}
		for _, c := range got {
			if !utf8.ValidString(c.Name) || !commune.ValidCode(c.Code) {
				t.Fatalf("bad entry %+v", c)
			}
		}
	})
}

func BenchmarkSearchCommonPrefix(b *testing.B) {
	l := embedded(b)
	for b.Loop() {
		l.Search("sa", 20)
	}
}

func TestLooksLikeCode(t *testing.T) {
	for _, ok := range []string{"63220", "2A004", "2B020", "99134", "97411"} {
		if !commune.LooksLikeCode(ok) {
			t.Errorf("%q not a code", ok)
		}
	}
	for _, name := range []string{"PARIS", "LYONS", "3A004", "2C004", "2A0O4", "6322", "632200", ""} {
		if commune.LooksLikeCode(name) {
			t.Errorf("%q taken for a code", name)
		}
	}
}
