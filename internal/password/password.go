// Package password hashes local account passwords with bcrypt.
package password

import (
	"errors"
	"sync"

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

// Hash returns the bcrypt hash of a new password.
func (h Hasher) Hash(pw string) (string, error) {
	if len([]rune(pw)) < MinLength {
		return "", ErrTooShort
	}
	b, err := bcrypt.GenerateFromPassword([]byte(pw), h.cost())
	return string(b), err
}

// Check reports whether pw matches hash. An empty hash (an unknown account,
// or one without a local password) never matches, and still costs one
// comparison at the Hasher's cost, so that the answer time does not tell
// which.
func (h Hasher) Check(hash, pw string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(h.dummy(), []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// cost is the work factor bcrypt really uses: it takes the default for
// one below its minimum.
func (h Hasher) cost() int {
	if h.Cost < bcrypt.MinCost {
		return bcrypt.DefaultCost
	}
	return h.Cost
}

// dummies holds, per cost, the hash compared against for an unknown
// account. It must be made at the cost of the real hashes: a cheaper one
// would answer "no such account" measurably faster. Each is made once, at
// the first unknown account, since a cost-12 hash takes a quarter second.
var dummies sync.Map // cost → *dummy

type dummy struct {
	once sync.Once
	hash []byte
}

func (h Hasher) dummy() []byte {
	v, _ := dummies.LoadOrStore(h.cost(), &dummy{})
	d := v.(*dummy)
	d.once.Do(func() {
		d.hash, _ = bcrypt.GenerateFromPassword([]byte("no such account"), h.cost())
	})
	return d.hash
}
