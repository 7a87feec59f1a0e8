package covercard

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// toUTF8 returns body decoded to UTF-8, choosing the encoding as RFC 7303
// says for XML media types: a byte order mark first, then the charset of
// the Content-Type header, then the XML declaration, then UTF-8.
//
// One exception comes from practice: servlet containers often label a
// response UTF-8 by default while the document is written, and declared,
// in windows-1252. When the header says UTF-8, the bytes are not UTF-8
// and the declaration names another encoding, the declaration wins.
//
// Labels are resolved as browsers do (WHATWG encoding standard), so
// ISO-8859-1 reads as its superset windows-1252: the bytes 0x80–0x9F,
// control characters in ISO-8859-1, become the typographic quotes and
// dashes a windows-1252 writer meant. Of the standard's encodings, UTF-8
// and the single-byte ones are read (a Swiss service writes in one of
// them); the Chinese, Japanese and Korean multi-byte encodings and UTF-16
// are refused as unknown: their tables would weigh half a megabyte in
// the executable, resident in every process, for no response Covercard
// sends.
func toUTF8(body []byte, contentType string) ([]byte, error) {
	if bytes.HasPrefix(body, utf8BOM) {
		return body[len(utf8BOM):], nil
	}
	declared := declaredEncoding(body)
	enc, known := lookupEncoding(headerCharset(contentType))
	if known && isUTF8(enc) && !utf8.Valid(body) && declared != "" {
		if decl, ok := lookupEncoding(declared); ok && !isUTF8(decl) {
			enc = decl
		}
	}
	if !known && declared != "" {
		if enc, known = lookupEncoding(declared); !known {
			return nil, fmt.Errorf("%w: unsupported encoding %q", ErrMalformed, clip(declared, 40))
		}
	}
	if !known || isUTF8(enc) {
		return body, nil // encoding/xml rejects invalid UTF-8 itself
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot decode the response's characters", ErrMalformed)
	}
	return out, nil
}

func lookupEncoding(label string) (encoding.Encoding, bool) {
	if label == "" {
		return nil, false
	}
	enc, ok := encodingLabels()[strings.ToLower(strings.TrimSpace(label))]
	return enc, ok
}

func isUTF8(enc encoding.Encoding) bool { return enc == unicode.UTF8 }

// encodingLabels maps the WHATWG labels of UTF-8 and of the single-byte
// encodings to them, as golang.org/x/text/encoding/htmlindex does (its
// table, generated from the standard, version 0.43.0).
var encodingLabels = sync.OnceValue(func() map[string]encoding.Encoding {
	m := make(map[string]encoding.Encoding, 180)
	for _, e := range []struct {
		enc    encoding.Encoding
		labels string
	}{
		{unicode.UTF8, "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8"},
		{charmap.CodePage866, "866 cp866 csibm866 ibm866"},
		{charmap.ISO8859_2, "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2"},
		{charmap.ISO8859_3, "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3"},
		{charmap.ISO8859_4, "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4"},
		{charmap.ISO8859_5, "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988"},
		{charmap.ISO8859_6, "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987"},
		{charmap.ISO8859_7, "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek"},
		{charmap.ISO8859_8, "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual"},
		{charmap.ISO8859_8I, "csiso88598i iso-8859-8-i logical"},
		{charmap.ISO8859_10, "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6"},
		{charmap.ISO8859_13, "iso-8859-13 iso8859-13 iso885913"},
		{charmap.ISO8859_14, "iso-8859-14 iso8859-14 iso885914"},
		{charmap.ISO8859_15, "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9"},
		{charmap.ISO8859_16, "iso-8859-16"},
		{charmap.KOI8R, "cskoi8r koi koi8 koi8-r koi8_r"},
		{charmap.KOI8U, "koi8-ru koi8-u"},
		{charmap.Macintosh, "csmacintosh mac macintosh x-mac-roman"},
		{charmap.Windows874, "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874"},
		{charmap.Windows1250, "cp1250 windows-1250 x-cp1250"},
		{charmap.Windows1251, "cp1251 windows-1251 x-cp1251"},
		{charmap.Windows1252, "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252"},
		{charmap.Windows1253, "cp1253 windows-1253 x-cp1253"},
		{charmap.Windows1254, "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254"},
		{charmap.Windows1255, "cp1255 windows-1255 x-cp1255"},
		{charmap.Windows1256, "cp1256 windows-1256 x-cp1256"},
		{charmap.Windows1257, "cp1257 windows-1257 x-cp1257"},
		{charmap.Windows1258, "cp1258 windows-1258 x-cp1258"},
		{charmap.MacintoshCyrillic, "x-mac-cyrillic x-mac-ukrainian"},
		{charmap.XUserDefined, "x-user-defined"},
	} {
		for _, l := range strings.Fields(e.labels) {
			m[l] = e.enc
		}
	}
	return m
})

// headerCharset returns the charset parameter of a Content-Type value,
// empty when absent or unparseable.
func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// declaredEncoding returns the encoding named in the XML declaration
// (<?xml version="1.0" encoding="windows-1252"?>), empty when none.
func declaredEncoding(body []byte) string {
	const maxDecl = 256
	if !bytes.HasPrefix(body, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(body, []byte("?>"))
	if end < 0 || end > maxDecl {
		return ""
	}
	decl := body[len("<?xml"):end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) < 2 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	j := bytes.IndexByte(rest[1:], rest[0])
	if j < 0 {
		return ""
	}
	return string(rest[1 : 1+j])
}

// clip bounds a value from the response before it reaches an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
