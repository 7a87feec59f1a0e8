package pscctx

import (
	"strconv"
	"strings"
)

// Op names a call to the API, in an Error.
type Op string

// The calls.
const (
	OpShare Op = "share" // PUT /share
	OpRead  Op = "read"  // GET /share
)

// Error describes a failed call for logs: which call, the HTTP status
// (0 when no answer came) and a category matched with errors.Is. It never
// carries the token or the bag.
type Error struct {
	Op         Op
	StatusCode int
	kind       error
	detail     string
	cause      error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.kind.Error())
	b.WriteString(" (" + string(e.Op))
	if e.StatusCode != 0 {
		b.WriteString(": HTTP " + strconv.Itoa(e.StatusCode))
	}
	b.WriteString(")")
	if e.detail != "" {
		b.WriteString(": " + e.detail)
	}
	if e.cause != nil {
		b.WriteString(": " + e.cause.Error())
	}
	return b.String()
}

// Unwrap yields the category and the cause.
func (e *Error) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}
