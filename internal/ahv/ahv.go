// Package ahv recognises the Swiss social security number (AHV/AVS, NAVS13:
// 756.1234.5678.97), which people type where a Swiss insurance card number
// is asked for. It is not a card number: Covercard needs the card's 20
// digits (80756…), so the portal only recognises it to say so.
package ahv

import (
	"errors"
	"strings"
)

// Errors of Parse. Messages never repeat the number.
var (
	ErrFormat = errors.New("ahv: not 13 digits beginning with 756")
	ErrCheck  = errors.New("ahv: check digit does not match")
)

const (
	digits  = 13
	country = "756" // ISO 3166 numeric code of Switzerland
)

// Parse returns the 13 digits of an AHV number typed with or without its
// dots (spaces and dashes are also accepted between digits). The last
// digit is an EAN-13 check digit, which must match.
func Parse(input string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(input) {
		switch {
		case r >= '0' && r <= '9':
			if b.Len() == digits {
				return "", ErrFormat
			}
			b.WriteRune(r)
		case r == '.' || r == ' ' || r == '-':
		default:
			return "", ErrFormat
		}
	}
	n := b.String()
	if len(n) != digits || !strings.HasPrefix(n, country) {
		return "", ErrFormat
	}
	if checkDigit(n[:digits-1]) != n[digits-1] {
		return "", ErrCheck
	}
	return n, nil
}

// Is says whether input is an AHV number with a right check digit.
func Is(input string) bool {
	_, err := Parse(input)
	return err == nil
}

// checkDigit is the EAN-13 check digit of 12 digits: weights 1 and 3 from
// the left, then what brings the sum to a multiple of ten.
func checkDigit(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		d := int(body[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// Format groups 13 digits as printed: 756.1234.5678.97.
func Format(n string) string {
	if len(n) != digits {
		return n
	}
	return n[:3] + "." + n[3:7] + "." + n[7:11] + "." + n[11:]
}
