// Package password hashes local account passwords with bcrypt.
package password

import (
	"errors"

	"golang.org/x/crypto/bcrypt"
)

// MinLength is the shortest password an account may be given.
const MinLength = 8

// ErrTooShort is returned for passwords under MinLength characters.
var ErrTooShort = errors.New("password too short")

// Hasher hashes and checks passwords; Cost is the bcrypt work factor.
type Hasher struct{ Cost int }

// Default uses a cost of 12 (about a quarter of a second per check).
var Default = Hasher{Cost: 12}

// dummy is compared against when the account does not exist, so that an
// unknown account takes as long to refuse as a wrong password.
var dummy, _ = bcrypt.GenerateFromPassword([]byte("no such account"), bcrypt.MinCost)

// Hash returns the bcrypt hash of a new password.
func (h Hasher) Hash(pw string) (string, error) {
	if len([]rune(pw)) < MinLength {
		return "", ErrTooShort
	}
	b, err := bcrypt.GenerateFromPassword([]byte(pw), h.Cost)
	return string(b), err
}

// Check reports whether pw matches hash. An empty hash (an unknown account,
// or one without a local password) never matches, and still costs one
// comparison so that the answer time does not tell which.
func Check(hash, pw string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummy, []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}
