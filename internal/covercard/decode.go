package covercard

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"time"
)

// Decode reads a Covercard answer (ReturnType 42a) and judges it as of
// now. See DecodeAt.
func Decode(r io.Reader, contentType string) (*Result, error) {
	return DecodeAt(r, contentType, time.Now())
}

// DecodeAt reads a Covercard answer and judges it as of now: a card whose
// expiry date is before now's calendar day, in now's location, is
// Expired. It reads r to the end; bound r when it comes from the network.
//
// The document may be in UTF-8, windows-1252 or ISO-8859-1 (see toUTF8)
// and may carry a DOCTYPE: it is skipped, never fetched, and entities are
// not expanded (a reference to one is an error), so external entities
// cannot read files or reach the network. Any error wraps ErrMalformed
// and never quotes the document's text.
func DecodeAt(r io.Reader, contentType string, now time.Time) (*Result, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: reading: %w", ErrMalformed, err)
	}
	body, err := toUTF8(raw, contentType)
	if err != nil {
		return nil, err
	}
	var w wireResponse
	if err := unmarshalDocument(body, &w); err != nil {
		return nil, err
	}
	return w.result(now)
}

// unmarshalDocument decodes the single root element of body into v,
// refusing text or a second element around it.
func unmarshalDocument(body []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	// body is already UTF-8: the declaration's label is history.
	d.CharsetReader = func(_ string, input io.Reader) (io.Reader, error) { return input, nil }
	root, err := nextElement(d)
	if err != nil {
		return err
	}
	if root == nil {
		return fmt.Errorf("%w: no root element", ErrMalformed)
	}
	if err := d.DecodeElement(v, root); err != nil {
		return malformed(err)
	}
	if extra, err := nextElement(d); err != nil {
		return err
	} else if extra != nil {
		return fmt.Errorf("%w: content after the root element", ErrMalformed)
	}
	return nil
}

// nextElement skips the prolog or epilogue (declaration, DOCTYPE,
// comments, white space) and returns the next start element, or nil at
// the end of the document.
func nextElement(d *xml.Decoder) (*xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		if err != nil {
			return nil, malformed(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return &t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("%w: text outside the root element", ErrMalformed)
			}
		case xml.EndElement:
			return nil, fmt.Errorf("%w: unexpected end element", ErrMalformed)
		}
	}
}

// malformed wraps a decoding error. encoding/xml's syntax errors describe
// markup, not content, so they are safe to keep.
func malformed(err error) error {
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("%w: line %d: %s", ErrMalformed, syn.Line, syn.Msg)
	}
	return fmt.Errorf("%w: %w", ErrMalformed, err)
}
