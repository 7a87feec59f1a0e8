package covercard

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// FuzzDecode checks that any answer either decodes into a consistent
// result or fails with ErrMalformed, without panicking.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.xml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "text/xml")
	}
	f.Add([]byte(`<r><validCard>67</validCard></r>`), "")
	f.Add([]byte(`<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r><validCard>&e;</validCard></r>`), "")
	f.Add([]byte("\xef\xbb\xbf<r><validCard>0</validCard><CH-Baseinformation/></r>"), "text/xml; charset=utf-16")
	f.Add([]byte(`<?xml version="1.0" encoding="windows-1252"?><r><validCard>0</validCard><CH-Baseinformation><identificationData><name><firstName>Zo`+"\xe9"+`</firstName></name></identificationData></CH-Baseinformation></r>`), "text/xml; charset=utf-8")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		res, err := DecodeAt(bytes.NewReader(body), contentType, fixtureDay)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			if res != nil {
				t.Fatal("result returned with an error")
			}
			return
		}
		if strings.HasPrefix(res.Outcome.String(), "outcome(") {
			t.Fatalf("undefined outcome %d", res.Outcome)
		}
		keepsPerson := res.Outcome == Valid || res.Outcome == Expired || res.Outcome == VVGOnly
		// Invalid keeps the person when it could be read; blocked and
		// unknown never do.
		if res.Outcome != Invalid && keepsPerson != (res.Person != nil) {
			t.Fatalf("outcome %v with person %v", res.Outcome, res.Person != nil)
		}
		if res.Outcome == Valid && res.Person.KVG == nil {
			t.Fatal("valid without basic insurance")
		}
		if res.Outcome == VVGOnly && res.Person.KVG != nil {
			t.Fatal("VVG only with basic insurance")
		}
	})
}

// FuzzParseCardNumber checks that accepted numbers are canonical Swiss
// card numbers made of the input's first 20 digits with nothing but
// separators among them and no 21st digit after them, that the
// classifier agrees, and that errors never repeat the digits.
func FuzzParseCardNumber(f *testing.F) {
	for _, seed := range []string{
		zoeCard, "80756 01560 00123 45678", "80756015600012345678?\r\n", "807560156000123456781",
		"8075601560001234567812", "80276001234567890123", "8075675123456", ";80756015600012345678?",
		"%80756015600012345678?", "80756015600012345678K", "80756015600012345678=2512?",
		"80756\u00a001560\u00a000123\u00a045678", "", "80756O15600012345678",
	} {
		f.Add(seed)
	}
	digitRun := regexp.MustCompile(`\d{6,}`)
	f.Fuzz(func(t *testing.T, input string) {
		card, err := ParseCardNumber(input)
		if err != nil {
			if !errors.Is(err, ErrCardFormat) && !errors.Is(err, ErrNotSwissCard) {
				t.Fatalf("unexpected error %v", err)
			}
			if digitRun.MatchString(err.Error()) {
				t.Fatalf("error %q repeats digits", err)
			}
			return
		}
		if len(card) != 20 || !strings.HasPrefix(card, "80756") || !allDigits(card) {
			t.Fatalf("accepted %q", card)
		}
		// The card is the input's first 20 digits, after at most a start
		// sentinel and separators; what follows them may be anything but
		// another digit.
		body := strings.TrimLeftFunc(input, unicode.IsSpace)
		if body != "" && (body[0] == ';' || body[0] == '%') {
			body = body[1:]
		}
		var digits strings.Builder
		rest := ""
		for i, r := range body {
			if digits.Len() == 20 {
				rest = body[i:]
				break
			}
			switch {
			case r >= '0' && r <= '9':
				digits.WriteRune(r)
			case isSeparator(r):
			default:
				t.Fatalf("accepted %q with %q among the digits", input, r)
			}
		}
		if digits.String() != card {
			t.Fatalf("accepted %q as %q: the digits differ", input, card)
		}
		if next := strings.TrimLeftFunc(rest, isSeparator); next != "" && unicode.IsDigit([]rune(next)[0]) {
			t.Fatalf("accepted %q although a 21st digit follows", input)
		}
		if again, err := ParseCardNumber(card); err != nil || again != card {
			t.Fatalf("not idempotent: %q → %q, %v", card, again, err)
		}
		if !LooksLikeCardNumber(input) {
			t.Fatalf("parsed %q but LooksLikeCardNumber says no", input)
		}
	})
}
