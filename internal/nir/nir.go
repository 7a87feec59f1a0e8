// Package nir parses and checks the French social security number (NIR,
// "numéro d'inscription au répertoire", the number on the Carte Vitale).
//
// A NIR has 13 characters, usually followed by a 2-digit key:
//
//	S AA MM DD CCC OOO KK
//	│ │  │  │  │   │   └ key: 97 − (number mod 97)
//	│ │  │  │  │   └ order number of the birth record
//	│ │  │  │  └ commune (INSEE code), or country when DD is 99
//	│ │  │  └ department of birth: 01–95, 2A/2B (Corsica), 97x/98x
//	│ │  │    (overseas, 3 digits, the commune then has 2), 99 abroad
//	│ │  └ month of birth
//	│ └ last two digits of the year of birth
//	└ 1 man, 2 woman; 3/4 and 7/8 for provisional numbers
//
// The rules checked are the ones INSEE never breaks; where real numbers
// vary (departments 91–96 also used for Algeria, Morocco and Tunisia before
// independence, Corsica coded 20 before 1976, commune and order numbers),
// the parser accepts what it cannot prove wrong and relies on the key.
package nir

import "time"

// NIR is a checked social security number. The zero value is not a valid
// number; obtain one from Parse. NIR values are comparable with ==.
type NIR struct {
	// body holds the 13 characters, digits except positions 6–7 which may
	// be the Corsican "2A" or "2B" (stored upper case).
	body [bodyLen]byte
}

const (
	bodyLen = 13
	keyLen  = 2
)

// Sex is the sex encoded in the first digit.
type Sex uint8

// Sexes, as encoded by INSEE (odd first digit: man, even: woman).
const (
	Male   Sex = 1
	Female Sex = 2
)

// String returns a stable machine name: "male" or "female".
func (s Sex) String() string {
	switch s {
	case Male:
		return "male"
	case Female:
		return "female"
	}
	return "unknown"
}

// IsZero reports whether n is the zero value (not obtained from Parse).
func (n NIR) IsZero() bool { return n.body[0] == 0 }

// String returns the 13-character number without key, the canonical form
// to store and to look up ("185022A123456"). It is empty for the zero value.
func (n NIR) String() string {
	if n.IsZero() {
		return ""
	}
	return string(n.body[:])
}

// Key returns the 2-digit control key ("01" to "97").
func (n NIR) Key() string {
	if n.IsZero() {
		return ""
	}
	return formatKey(keyOf(n.body))
}

// Formatted returns number and key grouped as printed on the Carte Vitale:
// "1 84 02 75 123 456 78". The grouping is by position, whatever the place
// of birth, so it can be compared with the card at a glance.
func (n NIR) Formatted() string {
	if n.IsZero() {
		return ""
	}
	return Group(string(n.body[:])) + " " + n.Key()
}

// Group spaces the 13 characters of a NIR without its key as printed on
// the carte Vitale: "2 84 02 75 115 023". Anything else is returned as is.
func Group(body string) string {
	if len(body) != 13 {
		return body
	}
	return body[0:1] + " " + body[1:3] + " " + body[3:5] + " " + body[5:7] + " " + body[7:10] + " " + body[10:13]
}

// Sex returns the sex encoded in the first digit.
func (n NIR) Sex() Sex {
	switch n.body[0] {
	case '1', '3', '7':
		return Male
	case '2', '4', '8':
		return Female
	}
	return 0
}

// Provisional reports whether the number is a provisional one (first digit
// 3 or 4: a person born abroad being registered; 7 or 8: a temporary
// number given while waiting for registration).
func (n NIR) Provisional() bool {
	switch n.body[0] {
	case '3', '4', '7', '8':
		return true
	}
	return false
}

// BirthYear returns the last two digits of the year of birth (0–99; -1 for
// the zero value). The century is not encoded: compare with the birth date
// when one is known.
func (n NIR) BirthYear() int { return twoDigits(n.body[1], n.body[2]) }

// BirthMonth returns the month of birth, and false when the number carries
// one of INSEE's fictitious months (20–42, 50–99) given to people whose
// civil record has no month of birth.
func (n NIR) BirthMonth() (time.Month, bool) {
	m := twoDigits(n.body[3], n.body[4])
	if m < 1 || m > 12 {
		return 0, false
	}
	return time.Month(m), true
}

// Department returns the department of birth as written in the number:
// two characters ("75", "2A", "2B", "99" for abroad) or three for the
// overseas departments and territories ("971", "988").
func (n NIR) Department() string {
	if n.overseas() {
		return n.part(5, 8)
	}
	return n.part(5, 7)
}

// Commune returns the commune code within the department: three digits,
// two for overseas, and for people born abroad the INSEE country code.
func (n NIR) Commune() string {
	if n.overseas() {
		return n.part(8, 10)
	}
	return n.part(7, 10)
}

// PlaceCode returns the 5-character INSEE code of the place of birth:
// the commune ("75115", "2A004", "97105") or, for people born abroad, the
// country ("99100"...).
func (n NIR) PlaceCode() string { return n.part(5, 10) }

// BornAbroad reports whether the number records a birth abroad
// (department 99). Births in Algeria, Morocco or Tunisia before their
// independence may instead carry 91–96, which cannot be told apart from
// the metropolitan departments of the same numbers.
func (n NIR) BornAbroad() bool { return n.body[5] == '9' && n.body[6] == '9' }

// Order returns the 3-digit order number of the birth record.
func (n NIR) Order() string { return n.part(10, 13) }

func (n NIR) overseas() bool {
	return n.body[5] == '9' && (n.body[6] == '7' || n.body[6] == '8')
}

// part returns characters [i, j) of the number, empty for the zero value.
func (n NIR) part(i, j int) string {
	if n.IsZero() {
		return ""
	}
	return string(n.body[i:j])
}

// twoDigits reads a 2-digit field; -1 for the zero value.
func twoDigits(a, b byte) int {
	if a == 0 {
		return -1
	}
	return int(a-'0')*10 + int(b-'0')
}
