package covercard

import (
	"bytes"
	"fmt"
	"mime"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
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
// dashes a windows-1252 writer meant.
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
	enc, err := htmlindex.Get(label)
	return enc, err == nil
}

func isUTF8(enc encoding.Encoding) bool {
	name, _ := htmlindex.Name(enc)
	return name == "utf-8"
}

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
