package covercard

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

var updateFixtures = flag.Bool("update", false, "rewrite the single-byte fixtures from valid-utf8.xml")

// singleByteFixtures are the same answer as valid-utf8.xml, encoded as
// Covercard may send it. ISO-8859-1 has no typographic apostrophe, so
// that variant carries a plain one.
var singleByteFixtures = []struct {
	file, label string
	enc         encoding.Encoding
	apostrophe  string
}{
	{"valid-windows-1252.xml", "windows-1252", charmap.Windows1252, "’"},
	{"valid-iso-8859-1.xml", "ISO-8859-1", charmap.ISO8859_1, "'"},
}

func encodeFixture(t *testing.T, label string, enc encoding.Encoding, apostrophe string) []byte {
	t.Helper()
	src := string(readFixture(t, "valid-utf8.xml"))
	src = strings.Replace(src, `encoding="UTF-8"`, `encoding="`+label+`"`, 1)
	src = strings.ReplaceAll(src, "’", apostrophe)
	out, err := enc.NewEncoder().Bytes([]byte(src))
	if err != nil {
		t.Fatalf("encoding %s: %v", label, err)
	}
	return out
}

// TestSingleByteFixturesMatchTheSource keeps the checked-in bytes in step
// with valid-utf8.xml; run with -update after editing it.
func TestSingleByteFixturesMatchTheSource(t *testing.T) {
	for _, f := range singleByteFixtures {
		want := encodeFixture(t, f.label, f.enc, f.apostrophe)
		path := filepath.Join("testdata", f.file)
		if *updateFixtures {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got := readFixture(t, f.file)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from valid-utf8.xml encoded as %s; run go test -run TestSingleByteFixtures -update", f.file, f.label)
		}
	}
}

// The single-byte fixtures really are single-byte: é, ü and â are one
// byte each, and windows-1252's apostrophe is 0x92.
func TestSingleByteFixturesHoldRawBytes(t *testing.T) {
	for _, f := range singleByteFixtures {
		b := readFixture(t, f.file)
		for _, raw := range [][]byte{{'Z', 'o', 0xE9}, {'M', 0xFC, 'l'}, {'N', 'e', 'u', 'c', 'h', 0xE2}} {
			if !bytes.Contains(b, raw) {
				t.Errorf("%s lacks bytes %q", f.file, raw)
			}
		}
		if bytes.Contains(b, []byte("é")) {
			t.Errorf("%s still holds UTF-8 sequences", f.file)
		}
	}
	if !bytes.Contains(readFixture(t, "valid-windows-1252.xml"), []byte{'l', 0x92, 0xC9, 'g'}) {
		t.Error("valid-windows-1252.xml lacks the apostrophe 0x92 before É")
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
