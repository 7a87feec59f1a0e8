package commune

import (
	"bufio"
	"strings"
	"sync"
	"testing"

	"github.com/infopatient/infopatient/data"
)

// TestIndexMatchesTheText: every entry the list slices out of the text is
// the line's four fields, and its key the folded name, as a plain split of
// each line gives them.
func TestIndexMatchesTheText(t *testing.T) {
	l, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(data.Communes))
	i := 0
	for ; sc.Scan(); i++ {
		f := strings.Split(sc.Text(), "\t")
		want := Commune{Code: f[0], Name: f[1], Department: f[2], Kind: Kind(f[3][0])}
		if got := l.at(i); got != want {
			t.Fatalf("entry %d: %+v, want %+v", i, got, want)
		}
		if l.code(i) != f[0] || l.kind(i) != want.Kind || l.key(i) != Fold(f[1]) {
			t.Fatalf("entry %d: code %q kind %c key %q", i, l.code(i), l.kind(i), l.key(i))
		}
	}
	if i != l.Len() {
		t.Fatalf("%d lines, %d entries", i, l.Len())
	}
}

// TestParseLineEnds: the last line with or without its newline, and
// CRLF line ends, give the same entries.
func TestParseLineEnds(t *testing.T) {
	for _, text := range []string{
		"01001\tL'Abergement\t01\tC\n63220\tMazoires\t63\tC",
		"01001\tL'Abergement\t01\tC\n63220\tMazoires\t63\tC\n",
		"01001\tL'Abergement\t01\tC\r\n63220\tMazoires\t63\tC\r\n",
	} {
		l, err := Parse([]byte(text))
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if l.Len() != 2 || l.at(1) != (Commune{"63220", "Mazoires", "63", Current}) || l.key(0) != "l abergement" || l.key(1) != "mazoires" {
			t.Errorf("%q: %d entries, %+v %q %q", text, l.Len(), l.at(1), l.key(0), l.key(1))
		}
		if got := l.Search("maz", 5); len(got) != 1 || got[0].Name != "Mazoires" {
			t.Errorf("%q: search %+v", text, got)
		}
	}
	for _, bad := range []string{"01001\tX\t01\tC\n\n63220\tMazoires\t63\tC", "01001\tX\t01\tC\t\n"} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestEmbeddedOnceUnderConcurrency: the first lookups, at the same time,
// share one list (run with -race).
func TestEmbeddedOnceUnderConcurrency(t *testing.T) {
	var wg sync.WaitGroup
	lists := make([]*List, 8)
	for i := range lists {
		wg.Go(func() {
			l, err := Embedded()
			if err != nil {
				t.Error(err)
				return
			}
			lists[i] = l
			_ = l.Search("paris", 3)
		})
	}
	wg.Wait()
	for _, l := range lists[1:] {
		if l != lists[0] {
			t.Fatal("two lists parsed")
		}
	}
}

// BenchmarkParse reports what the list costs once parsed (B/op is about
// its live size: the index and the folded names).
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(data.Communes); err != nil {
			b.Fatal(err)
		}
	}
}
