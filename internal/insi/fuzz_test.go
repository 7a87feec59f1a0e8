package insi

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzDecode: any answer decodes to a result or to a known error, and a
// decoded 00 always carries a verified key.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, name := range files {
		b, _ := os.ReadFile(name)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := Decode(bytes.NewReader(b))
		if err != nil {
			var fault *Fault
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrBadKey) && !errors.As(err, &fault) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if res.Code == CodeFound && (res.Identity == nil || !KeyValid(res.Identity.Active.Matricule, res.Identity.Active.Key)) {
			t.Fatalf("00 without a verified identity: %+v", res)
		}
	})
}

// FuzzCheckName: a name passes only if every character is allowed, and
// a refused character is one of the input's.
func FuzzCheckName(f *testing.F) {
	for _, s := range []string{"ADRUN", "D'ARTAGNAN DE L'HERAULT", "CŒUR", "Zoé", "A--B", "-", " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckBirthName(s)
		var le *LexicalError
		if err == nil {
			for _, r := range s {
				if !(r >= 'A' && r <= 'Z') && r != ' ' && r != '\'' && r != '-' {
					t.Fatalf("%q accepted", s)
				}
			}
			return
		}
		if !errors.As(err, &le) {
			t.Fatalf("%q: %v", s, err)
		}
		if le.Reason == ReasonCharacter && utf8.ValidString(s) && !bytes.ContainsRune([]byte(s), le.Char) {
			t.Fatalf("%q: named %q", s, le.Char)
		}
		if n, err := Normalise(FieldBirthName, s); err == nil && n != "" {
			if err := CheckBirthName(n); err != nil {
				var le2 *LexicalError
				if errors.As(err, &le2) && le2.Reason == ReasonCharacter {
					t.Fatalf("Normalise(%q) = %q has a refused character", s, n)
				}
			}
		}
	})
}
