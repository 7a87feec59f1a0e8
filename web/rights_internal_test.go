package web

import (
	"strings"
	"testing"
	"time"
)

// Dates of birth as professionals type them, and as a date picker sends
// them, all become AAAA-MM-JJ; anything else is left for the request's
// check to refuse.
func TestISODate(t *testing.T) {
	for typed, want := range map[string]string{
		"1984-02-11":   "1984-02-11",
		"11/02/1984":   "1984-02-11",
		" 11.02.1984 ": "1984-02-11",
		"11-02-1984":   "1984-02-11",
		"11021984":     "1984-02-11",
		"11/02-1984":   "11/02-1984",
		"1/2/1984":     "1/2/1984",
		"aa/bb/cccc":   "aa/bb/cccc",
		"":             "",
		"110219840":    "110219840",
	} {
		if got := isoDate(typed); got != want {
			t.Errorf("isoDate(%q) = %q, want %q", typed, got, want)
		}
	}
}

// isoDate never panics; a date it rewrites is the date typed, day for
// day, in one of the layouts it reads.
func FuzzISODate(f *testing.F) {
	for _, s := range []string{"1984-02-11", "11/02/1984", "11.02.1984", "11021984", "", "//////////", "é1/02/1984"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		got, typed := isoDate(typed), strings.TrimSpace(typed)
		if got == typed {
			return
		}
		d, err := time.Parse(time.DateOnly, got)
		if err != nil {
			return // left for the request's check to refuse
		}
		for _, layout := range []string{"02/01/2006", "02.01.2006", "02-01-2006", "02012006"} {
			if e, err := time.Parse(layout, typed); err == nil && e.Equal(d) {
				return
			}
		}
		t.Fatalf("%q rewritten as %s", typed, got)
	})
}
