// Package commune finds French communes in INSEE's Code Officiel
// Géographique (COG), for the birthplace of a search by INS traits: the
// professional types a name, picks the commune, and the form sends its
// five-character code. It works on the list embedded in data/ and does
// no I/O after Parse.
package commune

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

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

// List is the parsed list, in code order.
type List struct {
	all []Commune
	// keys are the folded names (lower case, no accent, separators as
	// single spaces), one per entry of all.
	keys []string
}

// Parse reads the tab-separated list (code, name, département, kind).
func Parse(b []byte) (*List, error) {
	l := &List{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 4 || !ValidCode(f[0]) || f[1] == "" || len(f[3]) != 1 || !strings.Contains("CMDAF", f[3]) {
			return nil, fmt.Errorf("commune: line %d is not code, name, département, kind", n)
		}
		l.all = append(l.all, Commune{Code: f[0], Name: f[1], Department: f[2], Kind: Kind(f[3][0])})
		l.keys = append(l.keys, Fold(f[1]))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("commune: %w", err)
	}
	if len(l.all) == 0 {
		return nil, fmt.Errorf("commune: empty list")
	}
	return l, nil
}

// Len is the number of entries.
func (l *List) Len() int { return len(l.all) }

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
	i, _ := slices.BinarySearchFunc(l.all, code, func(c Commune, code string) int { return strings.Compare(c.Code, code) })
	var out []Commune
	for ; i < len(l.all) && l.all[i].Code == code; i++ {
		out = append(out, l.all[i])
	}
	return out
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
		i, _ := slices.BinarySearchFunc(l.all, q, func(c Commune, q string) int { return strings.Compare(c.Code, q) })
		for ; i < len(l.all) && strings.HasPrefix(l.all[i].Code, q) && len(out) < limit; i++ {
			out = append(out, l.all[i])
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
	for i, k := range l.keys {
		r := rank(k, key, word)
		if r < 0 {
			continue
		}
		if c := l.all[i]; c.Kind != Current && c.Kind != Arrondissement {
			r += 3 // after every current commune of the same match
		}
		hits = append(hits, hit{r, i})
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if c := strings.Compare(l.keys[a.i], l.keys[b.i]); c != 0 {
			return c
		}
		return strings.Compare(l.all[a.i].Code, l.all[b.i].Code)
	})
	out := make([]Commune, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, l.all[h.i])
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
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			switch r = unicode.ToLower(r); r {
			case 'œ':
				b.WriteString("oe")
			case 'æ':
				b.WriteString("ae")
			case 'ß':
				b.WriteString("ss")
			default:
				b.WriteRune(r)
			}
		case unicode.IsSpace(r), r == '-', r == '\'', r == '’', r == '‐', r == '–':
			space = true
		}
	}
	return b.String()
}

// Embedded is the list shipped in data/cog, parsed once.
var Embedded = sync.OnceValues(func() (*List, error) { return Parse(data.Communes) })

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
