package password

import (
	"errors"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestHashAndCheck(t *testing.T) {
	h := Hasher{Cost: bcrypt.MinCost}
	hash, err := h.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !h.Check(hash, "correct horse") {
		t.Error("right password refused")
	}
	for _, wrong := range []string{"", "correct hors", "Correct horse", "correct horse "} {
		if h.Check(hash, wrong) {
			t.Errorf("%q accepted", wrong)
		}
	}
	if h.Check("", "anything") {
		t.Error("an account without password accepted one")
	}
	if _, err := h.Hash("short"); !errors.Is(err, ErrTooShort) {
		t.Errorf("short password: %v", err)
	}
}

// The hash an unknown account is compared against costs what a real one
// does: otherwise "no such account" answers faster than "wrong password".
func TestUnknownAccountCostsARealCheck(t *testing.T) {
	for _, tc := range []struct{ cost, want int }{
		{bcrypt.MinCost, bcrypt.MinCost},
		{bcrypt.MinCost + 2, bcrypt.MinCost + 2},
		{0, bcrypt.DefaultCost}, // bcrypt's own default, as Hash uses
	} {
		h := Hasher{Cost: tc.cost}
		real, err := h.Hash("correct horse")
		if err != nil {
			t.Fatal(err)
		}
		realCost, _ := bcrypt.Cost([]byte(real))
		dummyCost, err := bcrypt.Cost(h.dummy())
		if err != nil || dummyCost != realCost || dummyCost != tc.want {
			t.Errorf("cost %d: the dummy hash costs %d (%v), a real hash %d", tc.cost, dummyCost, err, realCost)
		}
		if h.Check("", "correct horse") {
			t.Errorf("cost %d: an unknown account accepted a password", tc.cost)
		}
	}
	if a, b := (Hasher{Cost: bcrypt.MinCost}).dummy(), (Hasher{Cost: bcrypt.MinCost}).dummy(); &a[0] != &b[0] {
		t.Error("the dummy hash is made again for every check")
	}
}
