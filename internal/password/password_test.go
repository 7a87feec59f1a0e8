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
	if !Check(hash, "correct horse") {
		t.Error("right password refused")
	}
	for _, wrong := range []string{"", "correct hors", "Correct horse", "correct horse "} {
		if Check(hash, wrong) {
			t.Errorf("%q accepted", wrong)
		}
	}
	if Check("", "anything") {
		t.Error("an account without password accepted one")
	}
	if _, err := h.Hash("short"); !errors.Is(err, ErrTooShort) {
		t.Errorf("short password: %v", err)
	}
}
