package covercard

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Card number errors. Messages never repeat the number.
var (
	// ErrCardFormat: fewer or more than 20 digits, or a number that does
	// not begin with one.
	ErrCardFormat = errors.New("covercard: card number must have 20 digits")
	// ErrNotSwissCard: a 20-digit health insurance card number (starting
	// 80) issued by another country than Switzerland (756).
	ErrNotSwissCard = errors.New("covercard: not a Swiss insurance card")
)

const (
	cardDigits      = 20
	healthCardIssue = "80"    // ISO/IEC 7812 major industry identifier: health
	swissCardPrefix = "80756" // health + Switzerland (ISO 3166 numeric 756)
)

// ParseCardNumber returns the 20 digits of a Swiss insurance card number
// (VeKa) as typed or scanned. Spaces, dots and dashes between digits are
// ignored, and so is a reader's start sentinel (";" track 2, "%" track 1).
// What a scanner appends after the 20th digit (an end sentinel, CR/LF, a
// field separator and track data, a check character) is trimmed, as the
// reference asks — but never a 21st digit: a typo must not read another
// person's card. No check digit is verified: none holds on known card
// numbers.
func ParseCardNumber(input string) (string, error) {
	body := stripStart(input)
	if body == "" || !isDigit(body[0]) {
		return "", fmt.Errorf("%w: the number must begin with a digit", ErrCardFormat)
	}
	digits, rest := leadingDigits(body, cardDigits)
	if len(digits) < cardDigits {
		return "", fmt.Errorf("%w: found %d", ErrCardFormat, len(digits))
	}
	if next := strings.TrimLeftFunc(rest, isSeparator); next != "" && startsWithDigit(next) {
		return "", fmt.Errorf("%w: more than %d digits", ErrCardFormat, cardDigits)
	}
	number := string(digits)
	switch {
	case number[:len(swissCardPrefix)] == swissCardPrefix:
		return number, nil
	case number[:len(healthCardIssue)] == healthCardIssue:
		return "", ErrNotSwissCard
	default:
		return "", fmt.Errorf("%w: a health insurance card number starts with %s", ErrCardFormat, healthCardIssue)
	}
}

// stripStart removes what readers put before a number: blanks, at most
// one start sentinel (";" track 2, "%" track 1), blanks again.
func stripStart(input string) string {
	s := strings.TrimLeftFunc(input, unicode.IsSpace)
	if s != "" && (s[0] == ';' || s[0] == '%') {
		s = s[1:]
	}
	return strings.TrimLeftFunc(s, unicode.IsSpace)
}

// LooksLikeCardNumber tells an insurance card number from a French NIR on
// the identification form, before either is validated. Length decides:
// a NIR has at most 15 characters and may itself begin with 80 (provisional
// number of a woman born 2000–2009), while a card number has 20 digits
// beginning with 80. Sixteen digits or more beginning with 80 are taken
// for a card, so that a mistyped card gets the card's error message.
func LooksLikeCardNumber(input string) bool {
	digits, _ := leadingDigits(stripStart(input), cardDigits)
	return len(digits) >= 16 && string(digits[:2]) == healthCardIssue
}

// leadingDigits collects up to max digits from the start of input,
// skipping separators between them, and returns them with the rest of
// input after the last digit taken (or from the first character that is
// neither digit nor separator).
func leadingDigits(input string, max int) ([]byte, string) {
	digits := make([]byte, 0, max)
	for i, r := range input {
		switch {
		case len(digits) == max:
			return digits, input[i:]
		case r >= '0' && r <= '9':
			digits = append(digits, byte(r))
		case isSeparator(r):
		default:
			return digits, input[i:]
		}
	}
	return digits, ""
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// startsWithDigit counts any script's digit: "١" after the number is a
// 21st digit too, not a scanner's suffix.
func startsWithDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r)
}

// isSeparator accepts what people and scanners put around or between
// groups of digits: Unicode spaces (NBSP, CR/LF, tab), dashes and dots.
func isSeparator(r rune) bool {
	return r == '.' || unicode.IsSpace(r) || unicode.Is(unicode.Pd, r)
}
