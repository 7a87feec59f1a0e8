// Package password hashes local account passwords with bcrypt.
package password

import (
	"errors"
	"fmt"

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

// dummies are the hashes compared against for an unknown account, one
// per cost: it must be the cost of the real hashes, or "no such account"
// would answer measurably faster. bcrypt's work depends on the cost
// alone, so one salt and digest (of "no such account") serve every cost,
// and no hash is computed: not at start-up, not at the first unknown
// account.
var dummies = func() [][]byte {
	const saltAndDigest = "pjTeDaHz1s/AG39kfKwZLeStcZtIBv5lEa4CA3LjEwJPduOb/Fx8q"
	d := make([][]byte, bcrypt.MaxCost+1)
	for cost := bcrypt.MinCost; cost <= bcrypt.MaxCost; cost++ {
		d[cost] = fmt.Appendf(nil, "$2a$%02d$%s", cost, saltAndDigest)
	}
	return d
}()

func (h Hasher) dummy() []byte {
	if c := h.cost(); c <= bcrypt.MaxCost {
		return dummies[c]
	}
	return nil // Hash refuses such a cost: no real hash has it
}
