package commune

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

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
