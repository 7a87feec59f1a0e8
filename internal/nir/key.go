package nir

import "strconv"

// keyOf computes the control key, 97 − (number mod 97), reading the
// Corsican departments 2A as 19 and 2B as 18, as INSEE does.
func keyOf(body [bodyLen]byte) int {
	var n uint64 // 13 digits: below 10^13, far from overflow
	for i, c := range body {
		var d byte
		switch {
		case i == 5 && isCorsicanLetter(body[6]):
			d = 1
		case c == 'A':
			d = 9
		case c == 'B':
			d = 8
		default:
			d = c - '0'
		}
		n = n*10 + uint64(d)
	}
	return int(97 - n%97)
}

func formatKey(k int) string {
	if k < 10 {
		return "0" + strconv.Itoa(k)
	}
	return strconv.Itoa(k)
}

func isCorsicanLetter(c byte) bool { return c == 'A' || c == 'B' }

// ComputeKey returns the 2-digit key of a 13-character number, after the
// same checks and clean-up as Parse. It is meant for generating demo and
// test data; a 15-character input is refused with ErrLength.
func ComputeKey(body13 string) (string, error) {
	n, err := parse(body13, false)
	if err != nil {
		return "", err
	}
	return n.Key(), nil
}
