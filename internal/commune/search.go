package commune

import (
	"slices"
	"strings"
)

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
