package nir

import (
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that a parsed number survives
// every way it is written back (canonical, with key, formatted), and that
// every failure is one of the documented errors.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"255081416802538", "1 78 05 99 330 108 17", "185022a12345682", "2-91-07-2B-033-112-76",
		"2\u00a084\u00a002\u00a0971\u00a005\u00a0123\u00a012", "284027512345625", "2840A75123456",
		"", "2A", "\xff\xfe", "9999999999999", "28402751234562A",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		n, err := Parse(input)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			switch e.Err {
			case ErrLength, ErrCharacters, ErrSex, ErrMonth, ErrDepartment, ErrKey:
			default:
				t.Fatalf("unexpected error kind %v", e.Err)
			}
			return
		}
		if len(n.String()) != 13 || len(n.Key()) != 2 {
			t.Fatalf("String %q Key %q: wrong lengths", n.String(), n.Key())
		}
		if want := referenceKey(t, n.String()); n.Key() != want {
			t.Fatalf("Key %s, reference %s", n.Key(), want)
		}
		for _, form := range []string{n.String(), n.String() + n.Key(), n.Formatted()} {
			again, err := Parse(form)
			if err != nil {
				t.Fatalf("Parse(%q) of a parsed number: %v", form, err)
			}
			if again != n {
				t.Fatalf("Parse(%q) = %q, want %q", form, again.String(), n.String())
			}
		}
	})
}
