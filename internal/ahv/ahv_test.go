package ahv_test

import (
	"errors"
	"testing"

	"github.com/infopatient/infopatient/internal/ahv"
)

func TestParse(t *testing.T) {
	for _, in := range []string{"756.1234.5678.97", "7561234567897", " 756 1234 5678 97 ", "756-1234-5678-97"} {
		n, err := ahv.Parse(in)
		if err != nil || n != "7561234567897" {
			t.Errorf("Parse(%q) = %q, %v", in, n, err)
		}
	}
	for in, want := range map[string]error{
		"756.1234.5678.98":     ahv.ErrCheck,  // wrong check digit
		"757.1234.5678.97":     ahv.ErrFormat, // not Switzerland
		"756.1234.5678.9":      ahv.ErrFormat, // 12 digits
		"756.1234.5678.970":    ahv.ErrFormat, // 14 digits
		"2 84 02 75 115 023":   ahv.ErrFormat, // a NIR
		"80756000000000000001": ahv.ErrFormat, // a card
		"756.1234.5678.9x":     ahv.ErrFormat,
		"":                     ahv.ErrFormat,
	} {
		if _, err := ahv.Parse(in); !errors.Is(err, want) {
			t.Errorf("Parse(%q): %v, want %v", in, err, want)
		}
	}
	if !ahv.Is("756.9217.0769.85") || ahv.Is("756.9217.0769.86") {
		t.Error("Is disagrees with the check digit")
	}
	if got := ahv.Format("7561234567897"); got != "756.1234.5678.97" {
		t.Errorf("Format: %q", got)
	}
	if got := ahv.Format("12"); got != "12" {
		t.Errorf("Format of no number: %q", got)
	}
}

// FuzzParse: whatever is typed, Parse never panics, and what it accepts
// is 13 digits beginning with 756 that parse again to themselves.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"756.1234.5678.97", "7561234567897", "756.1234.5678.98", "", "٧٥٦", "756.1234.5678.97.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := ahv.Parse(in)
		if err != nil {
			return
		}
		if len(n) != 13 || n[:3] != "756" {
			t.Fatalf("accepted %q as %q", in, n)
		}
		if again, err := ahv.Parse(ahv.Format(n)); err != nil || again != n {
			t.Fatalf("formatted %q does not parse back: %q, %v", n, again, err)
		}
	})
}
