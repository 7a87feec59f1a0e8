package cli

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameRunes bounds a name or profession: the portal's header and
// history show them, and nobody's name needs more.
const maxNameRunes = 100

// checkName trims a name (or profession) and refuses what no person is
// called: control or other invisible characters, or too long a text.
func checkName(flagName, v string) (string, error) {
	v = strings.TrimSpace(v)
	if !utf8.ValidString(v) {
		return "", fmt.Errorf("-%s: not valid UTF-8", flagName)
	}
	if n := utf8.RuneCountInString(v); n > maxNameRunes {
		return "", fmt.Errorf("-%s: %d characters, at most %d", flagName, n, maxNameRunes)
	}
	for _, r := range v {
		if !unicode.IsPrint(r) {
			return "", fmt.Errorf("-%s %s: contains the character %U, which is not printable", flagName, strconv.QuoteToGraphic(v), r)
		}
	}
	return v, nil
}

// shown is a stored text as the terminal may print it: itself when every
// character is printable (no tab, which would break the columns), else
// quoted with its escapes, so that a name cannot move the cursor, rewrite
// lines or play terminal sequences.
func shown(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) || r == utf8.RuneError {
			return strconv.QuoteToGraphic(s)
		}
	}
	return s
}
