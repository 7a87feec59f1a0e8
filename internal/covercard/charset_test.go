package covercard

import (
	"errors"
	"sync"
	"testing"

	"golang.org/x/text/encoding/htmlindex"
)

// TestEncodingLabelsAreTheStandards: every label read resolves, as
// htmlindex (the WHATWG table) resolves it, whatever its case and
// surrounding spaces; the multi-byte encodings and UTF-16 are refused.
func TestEncodingLabelsAreTheStandards(t *testing.T) {
	labels := encodingLabels()
	if len(labels) != 175 {
		t.Errorf("%d labels, the standard has 175 for UTF-8 and the single-byte encodings", len(labels))
	}
	for label, enc := range labels {
		want, err := htmlindex.Get(label)
		if err != nil || want != enc {
			t.Errorf("%q: %v, htmlindex says %v (%v)", label, enc, want, err)
		}
	}
	for _, label := range []string{"windows-1252", " Windows-1252\t", "ISO-8859-1", "latin1", "US-ASCII", "cp1252",
		"iso-8859-15", "ISO-8859-2", "windows-1250", "koi8-r", "macintosh", "utf-8", "UTF8", "unicode-1-1-utf-8"} {
		enc, ok := lookupEncoding(label)
		want, _ := htmlindex.Get(label)
		if !ok || enc != want {
			t.Errorf("%q: %v %v, want %v", label, enc, ok, want)
		}
	}
	for _, label := range []string{"", "x-klingon", "utf-7", "iso-8859-0", "shift_jis", "euc-kr", "gbk", "gb18030",
		"big5", "euc-jp", "iso-2022-jp", "utf-16", "utf-16le", "utf-16be", "replacement", "iso-2022-kr"} {
		if enc, ok := lookupEncoding(label); ok {
			t.Errorf("%q accepted: %v", label, enc)
		}
	}
	if enc, _ := lookupEncoding("UTF-8"); !isUTF8(enc) {
		t.Error("UTF-8 is not UTF-8")
	}
	if enc, _ := lookupEncoding("latin1"); isUTF8(enc) {
		t.Error("latin1 taken for UTF-8")
	}
}

// TestRefusedEncodingIsMalformed: a response declaring an encoding not
// read is refused with ErrMalformed, whether or not the header names one.
func TestRefusedEncodingIsMalformed(t *testing.T) {
	body := []byte(`<?xml version="1.0" encoding="Shift_JIS"?><r/>`)
	for _, ct := range []string{"text/xml", "text/xml; charset=x-unheard-of"} {
		if _, err := toUTF8(body, ct); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: %v", ct, err)
		}
	}
	// A header naming UTF-8 over bytes that are UTF-8 keeps them as they are.
	if out, err := toUTF8([]byte("<r>é</r>"), "text/xml; charset=utf-8"); err != nil || string(out) != "<r>é</r>" {
		t.Errorf("%q %v", out, err)
	}
}

// TestEncodingLabelsOnce: the table is built once, safely, by the first
// responses decoded at the same time (run with -race).
func TestEncodingLabelsOnce(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, ok := lookupEncoding("windows-1252"); !ok {
				t.Error("windows-1252 refused")
			}
		})
	}
	wg.Wait()
}
