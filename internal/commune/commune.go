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
	"unicode"
	"unicode/utf8"

	"github.com/infopatient/infopatient/data"

	"golang.org/x/text/unicode/norm"
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

// Search returns at most limit communes whose name matches q, best first:
// the whole name, then names starting with q, then names with a word
// starting with q; current communes before the others, then by name and
// code. A query of two digits or more (or 2A/2B…) matches codes that
// start with it instead. Accents, case, hyphens and apostrophes do not
// count ("st etienne" is not "saint etienne": names are matched as
// written). Fewer than two characters find nothing.
func (l *List) Search(q string, limit int) []Commune {
	q = strings.TrimSpace(q)
	if limit <= 0 || len([]rune(q)) < 2 {
		return nil
	}
	if isCodePrefix(q) {
		q = strings.ToUpper(q)
		var out []Commune
		for i := l.firstCode(q); i < l.Len() && strings.HasPrefix(l.code(i), q) && len(out) < limit; i++ {
			out = append(out, l.at(i))
		}
		return out
	}
	key := Fold(q)
	if key == "" {
		return nil
	}
	type hit struct {
		rank, i int
	}
	var hits []hit
	word := " " + key
	for i := range l.Len() {
		r := rank(l.key(i), key, word)
		if r < 0 {
			continue
		}
		if k := l.kind(i); k != Current && k != Arrondissement {
			r += 3 // after every current commune of the same match
		}
		hits = append(hits, hit{r, i})
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if c := strings.Compare(l.key(a.i), l.key(b.i)); c != 0 {
			return c
		}
		return strings.Compare(l.code(a.i), l.code(b.i))
	})
	out := make([]Commune, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, l.at(h.i))
	}
	return out
}

// rank: 0 the whole name, 1 its start, 2 the start of a word; -1 none.
func rank(name, q, word string) int {
	switch {
	case name == q:
		return 0
	case strings.HasPrefix(name, q):
		return 1
	case strings.Contains(name, word):
		return 2
	}
	return -1
}

// isCodePrefix: digits, or a Corsican department (2A, 2B) and digits.
func isCodePrefix(q string) bool {
	if len(q) > 5 || q[0] < '0' || q[0] > '9' {
		return false
	}
	for i := 1; i < len(q); i++ {
		c := q[i]
		if !(c >= '0' && c <= '9') && !(i == 1 && q[0] == '2' && strings.ContainsRune("aAbB", rune(c))) {
			return false
		}
	}
	return true
}

// Fold is the form names are compared in: lower case, accents and
// ligatures spelt out (œ → oe), hyphens, apostrophes and spaces as single
// spaces, anything else dropped.
func Fold(s string) string {
	b, _ := appendFold(nil, nil, s)
	return string(b)
}

// appendFold appends Fold(s) to dst; scratch, which it returns, holds the
// decomposition (NFD) of s when s is not ASCII, so that folding the list's
// names one after the other allocates next to nothing.
func appendFold(dst, scratch []byte, s string) ([]byte, []byte) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			scratch = norm.NFD.AppendString(scratch[:0], s)
			return foldDecomposed(dst, scratch), scratch
		}
	}
	return foldDecomposed(dst, []byte(s)), scratch // no copy: the conversion does not escape
}

// foldDecomposed folds a decomposed (NFD) name.
func foldDecomposed(dst, nfd []byte) []byte {
	start := len(dst)
	space := false
	for _, r := range string(nfd) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			switch r = unicode.ToLower(r); r {
			case 'œ':
				dst = append(dst, "oe"...)
			case 'æ':
				dst = append(dst, "ae"...)
			case 'ß':
				dst = append(dst, "ss"...)
			default:
				dst = utf8.AppendRune(dst, r)
			}
		case unicode.IsSpace(r), r == '-', r == '\'', r == '’', r == '‐', r == '–':
			space = true
		}
	}
	return dst
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
