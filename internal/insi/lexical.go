package insi

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrLexical marks traits that INSi would refuse: test it with errors.Is;
// the *LexicalError says which field and which character.
var ErrLexical = errors.New("insi: traits break INSi's lexical rules")

// Field names a trait in a LexicalError.
type Field string

// Fields checked before a call.
const (
	FieldBirthName  Field = "birth_name"
	FieldFirstNames Field = "first_names"
	FieldSex        Field = "sex"
	FieldBirthDate  Field = "birth_date"
	FieldBirthPlace Field = "birth_place"
	FieldMatricule  Field = "matricule"
	FieldRank       Field = "rank"
)

// Reason says why a trait is refused.
type Reason string

// Reasons of a LexicalError.
const (
	// ReasonCharacter: a character outside A–Z, space, apostrophe and
	// hyphen (lower case, accent, ligature, digit…); Char names it.
	ReasonCharacter Reason = "character"
	// ReasonShape: the characters are allowed but not where they stand
	// (leading or trailing separator, two separators in a row, a double
	// hyphen in a first name).
	ReasonShape Reason = "shape"
	// ReasonEmpty: a required trait is missing.
	ReasonEmpty Reason = "empty"
	// ReasonFormat: a code or date does not have its format.
	ReasonFormat Reason = "format"
)

// LexicalError is a trait refused before any call. It never holds the
// whole trait, which identifies a patient: only the offending character.
type LexicalError struct {
	Field  Field
	Reason Reason
	// Char is the refused character (ReasonCharacter), 0 otherwise.
	Char rune
	// Pos is Char's position in runes, counted from 0.
	Pos int
}

func (e *LexicalError) Error() string {
	switch e.Reason {
	case ReasonCharacter:
		return fmt.Sprintf("insi: %s: character %q (U+%04X) at position %d is not allowed (A–Z, space, apostrophe, hyphen)", e.Field, e.Char, e.Char, e.Pos)
	case ReasonShape:
		return fmt.Sprintf("insi: %s: separators must stand between letters, one at a time", e.Field)
	case ReasonEmpty:
		return fmt.Sprintf("insi: %s is required", e.Field)
	}
	return fmt.Sprintf("insi: %s has not the expected format", e.Field)
}

func (e *LexicalError) Unwrap() error { return ErrLexical }

// CheckBirthName applies INSi's rules to a birth name: upper-case A–Z
// words joined by one space, one apostrophe, or one or two hyphens.
func CheckBirthName(s string) error { return checkName(FieldBirthName, s, 2) }

// CheckFirstNames applies INSi's rules to a list of first names, as typed
// (separated by spaces): words of A–Z joined by one space, apostrophe or
// hyphen.
func CheckFirstNames(s string) error { return checkName(FieldFirstNames, s, 1) }

// checkName walks s once: the first refused character wins, so that the
// message names it; then separators must stand between letters.
func checkName(f Field, s string, maxHyphens int) error {
	if s == "" {
		return &LexicalError{Field: f, Reason: ReasonEmpty}
	}
	if !utf8.ValidString(s) {
		return &LexicalError{Field: f, Reason: ReasonCharacter, Char: utf8.RuneError}
	}
	pos := 0
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z') && r != ' ' && r != '\'' && r != '-' {
			return &LexicalError{Field: f, Reason: ReasonCharacter, Char: r, Pos: pos}
		}
		pos++
	}
	// Letters only at both ends; between two letters one space, one
	// apostrophe, or up to maxHyphens hyphens.
	run, hyphens := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			run, hyphens = 0, 0
			continue
		}
		if i == 0 || i == len(s)-1 {
			return &LexicalError{Field: f, Reason: ReasonShape}
		}
		run++
		if c == '-' {
			hyphens++
		}
		if run > 1 && !(hyphens == run && run <= maxHyphens) {
			return &LexicalError{Field: f, Reason: ReasonShape}
		}
	}
	return nil
}

// Normalise proposes the form INSi accepts for a typed name: upper case,
// spaces trimmed and single, typographic apostrophes made straight,
// accented letters without their accent and ligatures spelt out (É → E,
// Œ → OE). It is a proposal to show the user for confirmation, never to
// send unseen: a character with no such equivalent is not dropped but
// refused, with a LexicalError naming it.
func Normalise(f Field, s string) (string, error) {
	var b strings.Builder
	pos := 0
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsSpace(r):
			space = true
			pos++
			continue
		case r == '’' || r == 'ʼ' || r == '‘' || r == '`' || r == '´':
			r = '\''
		case r == '‐' || r == '‑' || r == '–':
			r = '-'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		up := unicode.ToUpper(r)
		switch {
		case up >= 'A' && up <= 'Z', up == '\'', up == '-':
			b.WriteRune(up)
		case folded[up] != "":
			b.WriteString(folded[up])
		default:
			return "", &LexicalError{Field: f, Reason: ReasonCharacter, Char: r, Pos: pos}
		}
		pos++
	}
	return b.String(), nil
}

// folded spells the accented capitals and ligatures of French and its
// neighbours with A–Z, as French civil status writes them in upper case.
var folded = map[rune]string{
	'À': "A", 'Á': "A", 'Â': "A", 'Ã': "A", 'Ä': "A", 'Å': "A",
	'Ç': "C", 'È': "E", 'É': "E", 'Ê': "E", 'Ë': "E",
	'Ì': "I", 'Í': "I", 'Î': "I", 'Ï': "I", 'Ñ': "N",
	'Ò': "O", 'Ó': "O", 'Ô': "O", 'Õ': "O", 'Ö': "O", 'Ø': "O",
	'Ù': "U", 'Ú': "U", 'Û': "U", 'Ü': "U", 'Ý': "Y", 'Ÿ': "Y",
	'Æ': "AE", 'Œ': "OE",
}
