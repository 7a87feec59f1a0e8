package insi

import "strconv"

// validBody reports whether s has a matricule's shape: 13 characters,
// digits but for the 7th, which may be A or B (Corsica).
func validBody(s string) bool {
	if len(s) != 13 {
		return false
	}
	for i := 0; i < 13; i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			continue
		}
		if i == 6 && (c == 'A' || c == 'B') {
			continue
		}
		return false
	}
	return true
}

// KeyOf computes a matricule's key, 97 − (n mod 97), where Corsica's 2A
// and 2B count as 19 and 18; ok is false when body is not a matricule.
func KeyOf(body string) (key string, ok bool) {
	if !validBody(body) {
		return "", false
	}
	var n uint64
	switch body[6] {
	case 'A':
		n = 19
	case 'B':
		n = 18
	default:
		n = uint64(body[5]-'0')*10 + uint64(body[6]-'0')
	}
	hi, _ := strconv.ParseUint(body[:5], 10, 64)
	lo, _ := strconv.ParseUint(body[7:], 10, 64)
	// hi·10⁸ + n·10⁶ + lo, reduced as we go: every part fits uint64.
	v := (hi%97*(100000000%97) + n*(1000000%97) + lo) % 97
	k := 97 - v
	if k < 10 {
		return "0" + strconv.FormatUint(k, 10), true
	}
	return strconv.FormatUint(k, 10), true
}

// KeyValid reports whether key is body's key.
func KeyValid(body, key string) bool {
	k, ok := KeyOf(body)
	return ok && k == key
}
