package nir

import "unicode"

// Parse reads a NIR as a person types or pastes it: 13 characters, or 15
// with the key, which is then checked. Spaces (including no-break spaces),
// dots and dashes between characters are ignored, and "2a"/"2b" may be
// lower case.
//
// Rules, with the error returned when broken:
//   - length 13 or 15 once separators are removed (ErrLength);
//   - digits only, except "2A"/"2B" as department (positions 6–7)
//     (ErrCharacters);
//   - first digit 1 or 2, or 3, 4, 7, 8 for provisional numbers (ErrSex);
//   - month 01–12, or INSEE's fictitious months 20–42 and 50–99; 00, 13–19
//     and 43–49 are never issued (ErrMonth);
//   - department not 00 (ErrDepartment);
//   - the key, when given, equals 97 − (number mod 97) (ErrKey).
//
// Year, commune and order number are not checked beyond being digits:
// every value occurs.
func Parse(input string) (NIR, error) { return parse(input, true) }

func parse(input string, keyAllowed bool) (NIR, error) {
	chars, count, err := clean(input)
	if err != nil {
		return NIR{}, err
	}
	if count != bodyLen && (count != bodyLen+keyLen || !keyAllowed) {
		return NIR{}, &Error{Err: ErrLength, Length: count}
	}
	var n NIR
	copy(n.body[:], chars[:bodyLen])
	if err := checkBody(n.body); err != nil {
		err.Length = count
		return NIR{}, err
	}
	if count == bodyLen {
		return n, nil
	}
	key := chars[bodyLen:]
	for i, c := range key {
		if !isDigit(c) {
			return NIR{}, &Error{Err: ErrCharacters, Position: bodyLen + i + 1, Length: count}
		}
	}
	if string(key) != n.Key() {
		return NIR{}, &Error{Err: ErrKey, Length: count}
	}
	return n, nil
}

// clean drops separators and upper-cases letters. It returns the first
// bodyLen+keyLen characters kept, their total count, and an error at the
// first character that can never be part of a NIR.
func clean(input string) ([]byte, int, *Error) {
	chars := make([]byte, 0, bodyLen+keyLen)
	count := 0
	for _, r := range input {
		if isSeparator(r) {
			continue
		}
		count++
		var c byte
		switch {
		case r >= '0' && r <= '9', r == 'A', r == 'B':
			c = byte(r)
		case r == 'a', r == 'b':
			c = byte(r) - 'a' + 'A'
		default:
			return nil, count, &Error{Err: ErrCharacters, Position: count}
		}
		if len(chars) < cap(chars) {
			chars = append(chars, c)
		}
	}
	return chars, count, nil
}

// isSeparator accepts what people put between groups of digits, including
// what word processors and web pages substitute for them: any Unicode
// space (NBSP, narrow NBSP), dash punctuation and the dot.
func isSeparator(r rune) bool {
	return r == '.' || unicode.IsSpace(r) || unicode.Is(unicode.Pd, r)
}

func checkBody(b [bodyLen]byte) *Error {
	for i, c := range b {
		if isDigit(c) || (i == 6 && isCorsicanLetter(c) && b[5] == '2') {
			continue
		}
		return &Error{Err: ErrCharacters, Position: i + 1}
	}
	switch b[0] {
	case '1', '2', '3', '4', '7', '8':
	default:
		return &Error{Err: ErrSex, Position: 1}
	}
	if m := twoDigits(b[3], b[4]); !validMonth(m) {
		return &Error{Err: ErrMonth, Position: 4}
	}
	if b[5] == '0' && b[6] == '0' {
		return &Error{Err: ErrDepartment, Position: 6}
	}
	return nil
}

// validMonth accepts real months and INSEE's fictitious ones, given when
// the civil record has no month of birth.
func validMonth(m int) bool {
	return (m >= 1 && m <= 12) || (m >= 20 && m <= 42) || (m >= 50 && m <= 99)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
