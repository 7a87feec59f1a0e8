package nir

import (
	"errors"
	"fmt"
)

// Sentinel errors, one per thing a person can get wrong when typing a NIR.
// Parse returns an *Error wrapping one of them; test with errors.Is.
var (
	// ErrLength: not 13 characters (number) or 15 (number and key).
	ErrLength = errors.New("nir: wrong length")
	// ErrCharacters: a character that is not a digit or a separator, or a
	// letter other than the A/B of a Corsican department.
	ErrCharacters = errors.New("nir: invalid character")
	// ErrSex: the first digit is not 1, 2, 3, 4, 7 or 8.
	ErrSex = errors.New("nir: invalid first digit")
	// ErrMonth: the month is neither 01–12 nor one of INSEE's fictitious months.
	ErrMonth = errors.New("nir: invalid month")
	// ErrDepartment: the department of birth cannot exist (00).
	ErrDepartment = errors.New("nir: invalid department")
	// ErrKey: the 2-digit key does not match the number.
	ErrKey = errors.New("nir: key does not match")
)

// Error tells which rule a number broke and, where it is about one
// character, where. Its message never contains the number itself: a NIR
// is personal data and errors end up in logs.
type Error struct {
	// Err is one of the sentinel errors above.
	Err error
	// Position is the 1-based position, in the number once separators are
	// removed, of the offending character or of the first character of the
	// offending field (1 sex, 4 month, 6 department); 0 when the error is
	// about the whole number (length, key).
	Position int
	// Length is the number of characters found, once separators are removed.
	Length int
}

func (e *Error) Error() string {
	switch {
	case e.Err == ErrLength:
		return fmt.Sprintf("%v: %d characters", e.Err, e.Length)
	case e.Position > 0:
		return fmt.Sprintf("%v at position %d", e.Err, e.Position)
	default:
		return e.Err.Error()
	}
}

func (e *Error) Unwrap() error { return e.Err }
