package web

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/infopatient/infopatient/internal/insi"
)

func TestParseBirthDate(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{
		"1975-12-31": "1975-12-31", "31/12/1975": "1975-12-31", "2026-12-06": "2026-12-06",
		"2026-12-07": "", "1799-01-01": "", "1975-02-30": "", "31-12-1975": "", "": "", "1975/12/31": "",
	} {
		if got, ok := parseBirthDate(in, now); got != want || ok != (want != "") {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
}

// FuzzTraitsInput: whatever is typed, the date is either refused or a
// real past date, and a refused name names a character that can be shown.
func FuzzTraitsInput(f *testing.F) {
	for _, s := range []string{"1975-12-31", "31/12/1975", "d’artagnan", "ZOŁ", "\x00", "\xff", " ", "Æ-Œ"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := parseBirthDate(s, now); ok {
			p, err := time.Parse(time.DateOnly, d)
			if err != nil || p.After(now) {
				t.Fatalf("%q accepted as %q", s, d)
			}
		}
		n, err := normaliseName(insi.FieldBirthName, s, insi.CheckBirthName)
		if err == nil {
			if insi.CheckBirthName(n) != nil {
				t.Fatalf("%q normalised to %q, which INSi refuses", s, n)
			}
			return
		}
		m := lexicalMessage(err)
		if m.Key == "" || m.Field != "birth_name" || !utf8.ValidString(m.Char) {
			t.Fatalf("%q: message %+v", s, m)
		}
	})
}
