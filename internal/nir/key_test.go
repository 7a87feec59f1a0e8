package nir

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestComputeKey(t *testing.T) {
	tests := []struct{ body, want string }{
		{"2550814168025", "38"},
		{"1780599330108", "17"},
		{"185022A123456", "82"},
		{"185022a123456", "82"},
		{"291072B033112", "76"},
		{"2840297105123", "12"},
		{"2 84 02 75 123 456", "24"},
		{"1750499999999", "42"},
	}
	for _, tt := range tests {
		got, err := ComputeKey(tt.body)
		if err != nil {
			t.Fatalf("ComputeKey(%q): %v", tt.body, err)
		}
		if got != tt.want {
			t.Errorf("ComputeKey(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestComputeKeyRefusesBadInput(t *testing.T) {
	for input, want := range map[string]error{
		"255081416802538": ErrLength, // already has a key
		"25508141680":     ErrLength,
		"2550814168O25":   ErrCharacters,
		"6550814168025":   ErrSex,
	} {
		if _, err := ComputeKey(input); !errors.Is(err, want) {
			t.Errorf("ComputeKey(%q) error = %v, want %v", input, err, want)
		}
	}
}

// referenceKey computes the key the textbook way, on the number with
// 2A→19 and 2B→18 substituted, to check keyOf's digit-by-digit arithmetic.
func referenceKey(t testing.TB, body string) string {
	t.Helper()
	body = strings.Replace(strings.Replace(body, "2A", "19", 1), "2B", "18", 1)
	n, err := strconv.ParseUint(body, 10, 64)
	if err != nil {
		t.Fatalf("reference key of %q: %v", body, err)
	}
	k := 97 - n%97
	return strconv.FormatUint(k/10, 10) + strconv.FormatUint(k%10, 10)
}

// A sweep over order numbers covers every key value from 01 to 97.
func TestKeyMatchesReferenceOverAllKeyValues(t *testing.T) {
	seen := map[string]bool{}
	for _, prefix := range []string{"1840275123", "291072B033", "1850220123"} {
		for order := 0; order < 1000; order++ {
			body := prefix + strconv.Itoa(1000 + order)[1:]
			n, err := Parse(body)
			if err != nil {
				t.Fatalf("Parse(%q): %v", body, err)
			}
			want := referenceKey(t, body)
			if n.Key() != want {
				t.Fatalf("Key(%q) = %s, want %s", body, n.Key(), want)
			}
			seen[want] = true
			if _, err := Parse(body + want); err != nil {
				t.Fatalf("Parse(%q) with its own key: %v", body+want, err)
			}
		}
	}
	if len(seen) != 97 {
		t.Errorf("saw %d distinct keys, want 97", len(seen))
	}
}

// 2A and 2B differ by one million in the arithmetic, so the same digits
// give different keys; both match the reference substitution.
func TestCorsicanDepartmentsHaveDistinctKeys(t *testing.T) {
	a, _ := Parse("185022A123456")
	b, _ := Parse("185022B123456")
	if a.Key() == b.Key() {
		t.Errorf("2A and 2B share key %s", a.Key())
	}
	if a.Key() != referenceKey(t, a.String()) || b.Key() != referenceKey(t, b.String()) {
		t.Errorf("keys %s/%s differ from the reference", a.Key(), b.Key())
	}
}
