// Package commune finds French communes in INSEE's Code Officiel
// Géographique (COG), for the birthplace of a search by INS traits: the
// professional types a name, picks the commune, and the form sends its
// five-character code. It works on the list embedded in data/ and does
// no I/O.
package commune

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/infopatient/infopatient/data"
)

// Kind says what a code names.
type Kind byte

// Kinds of the list (data/cog/README.md).
const (
	Current        Kind = 'C' // a commune today
	Arrondissement Kind = 'M' // arrondissement municipal (Paris, Lyon, Marseille)
	Delegated      Kind = 'D' // commune déléguée of a commune nouvelle
	Associated     Kind = 'A' // commune associée
	Former         Kind = 'F' // a former code of the commune (Corsica's 20xxx, mergers)
)

// Commune is one line of the list.
type Commune struct {
	Code       string // COG, five characters
	Name       string // as INSEE writes it, with accents
	Department string // "63", "2A", "971"
	Kind       Kind
}

// List is the parsed list, in code order. It keeps the text it was parsed
// from and indexes into it: an entry is sliced from its line when asked
// for, so that the 42 000 communes cost two offsets and a folded name
// each (under 1 MB) rather than four strings and a struct (about 7 MB of
// live heap, most of the portal's).
type List struct {
	text string
	// lines[i] is where entry i's line starts in text; lines[i+1]-1 is
	// where it ends (its '\n', or the end of the text for the last one).
	lines []uint32
	// keys holds the folded names (lower case, no accent, separators as
	// single spaces) one after the other; entry i's ends at keyEnds[i].
	keys    string
	keyEnds []uint32
}

// Parse reads the tab-separated list (code, name, département, kind).
func Parse(b []byte) (*List, error) { return parse(string(b)) }

func parse(text string) (*List, error) {
	if len(text) >= math.MaxUint32 {
		return nil, fmt.Errorf("commune: list too long")
	}
	l := &List{text: text}
	n := strings.Count(text, "\n") + 1
	l.lines = make([]uint32, 0, n+1)
	l.keyEnds = make([]uint32, 0, n)
	// The folded names take about half the text (49.7 % of data/cog's).
	var keys strings.Builder
	keys.Grow(len(text)/2 + len(text)/32)
	var buf, scratch []byte
	lastEnd := 0
	for start, line := 0, 1; start < len(text); line++ {
		end := start + strings.IndexByte(text[start:], '\n')
		next := end + 1
		if end < start {
			end, next = len(text), len(text)
		}
		c, ok := entry(strings.TrimSuffix(text[start:end], "\r"))
		if !ok {
			return nil, fmt.Errorf("commune: line %d is not code, name, département, kind", line)
		}
		l.lines = append(l.lines, uint32(start))
		buf, scratch = appendFold(buf[:0], scratch, c.Name)
		keys.Write(buf)
		l.keyEnds = append(l.keyEnds, uint32(keys.Len()))
		start, lastEnd = next, end
	}
	if len(l.keyEnds) == 0 {
		return nil, fmt.Errorf("commune: empty list")
	}
	l.lines = append(l.lines, uint32(lastEnd+1))
	l.keys = keys.String()
	return l, nil
}

// entry splits a line into its four fields, checking them.
func entry(line string) (Commune, bool) {
	code, rest, ok1 := strings.Cut(line, "\t")
	name, rest, ok2 := strings.Cut(rest, "\t")
	dept, kind, ok3 := strings.Cut(rest, "\t")
	if !ok1 || !ok2 || !ok3 || !ValidCode(code) || name == "" || len(kind) != 1 || !strings.Contains("CMDAF", kind) {
		return Commune{}, false
	}
	return Commune{Code: code, Name: name, Department: dept, Kind: Kind(kind[0])}, true
}

// at is entry i, sliced from the text (no allocation).
func (l *List) at(i int) Commune {
	c, _ := entry(l.line(i)) // checked by parse
	return c
}

// line is entry i's line, without its line end.
func (l *List) line(i int) string {
	return strings.TrimSuffix(l.text[l.lines[i]:l.lines[i+1]-1], "\r")
}

// kind is entry i's kind, the last byte of its line.
func (l *List) kind(i int) Kind {
	line := l.line(i)
	return Kind(line[len(line)-1])
}

// code is entry i's code, the first five bytes of its line.
func (l *List) code(i int) string { return l.text[l.lines[i] : l.lines[i]+5] }

// key is entry i's folded name.
func (l *List) key(i int) string {
	start := uint32(0)
	if i > 0 {
		start = l.keyEnds[i-1]
	}
	return l.keys[start:l.keyEnds[i]]
}

// Len is the number of entries.
func (l *List) Len() int { return len(l.keyEnds) }

// ValidCode reports whether s has the shape of a COG: five characters,
// digits or upper-case letters (2A004, 99134 for a country).
func ValidCode(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i := 0; i < 5; i++ {
		c := s[i]
		if !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// ByCode returns the entries of a code, the current commune first.
func (l *List) ByCode(code string) []Commune {
	i := l.firstCode(code)
	var out []Commune
	for ; i < l.Len() && l.code(i) == code; i++ {
		out = append(out, l.at(i))
	}
	return out
}

// firstCode is the index of the first entry whose code is not before code.
func (l *List) firstCode(code string) int {
	i, _ := slices.BinarySearchFunc(l.lines[:l.Len()], code, func(start uint32, code string) int {
		return strings.Compare(l.text[start:start+5], code)
	})
	return i
}

// Name is the name to show beside a code: the current commune's, or the
// first name the code has; "" for a code not in the list (a country).
func (l *List) Name(code string) string {
	if cs := l.ByCode(code); len(cs) > 0 {
		return cs[0].Name
	}
	return ""
}

// Embedded is the list shipped in data/cog, parsed once.
// Nothing parses it before the first birthplace is looked up: the portal
// starts without it, and most processes never need it.
var Embedded = sync.OnceValues(func() (*List, error) { return parse(data.Communes) })

// LooksLikeCode reports whether a typed birthplace is a COG rather than a
// name: five digits, or a Corsican code (2A004, 2B020). ValidCode is the
// wider shape INSi's schema allows.
func LooksLikeCode(s string) bool {
	if len(s) != 5 || s[0] < '0' || s[0] > '9' {
		return false
	}
	if c := s[1]; !(c >= '0' && c <= '9') && !(s[0] == '2' && (c == 'A' || c == 'B')) {
		return false
	}
	for i := 2; i < 5; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
