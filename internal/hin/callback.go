package hin

import (
	"errors"
	"fmt"
	"net/url"
)

// ErrCancelled: the professional refused their consent at HIN.
var ErrCancelled = errors.New("hin: sign-in cancelled")

// CallbackCode is the authorization code of HIN's callback, "" when it
// carries none. HIN's guide spells the parameter "Code", OAuth 2 "code":
// both are taken.
func CallbackCode(q url.Values) string {
	if code := q.Get("code"); code != "" {
		return code
	}
	return q.Get("Code")
}

// CallbackError reads an error answer of HIN's authorization endpoint
// (RFC 6749 4.1.2.1): nil when there is none, ErrCancelled when the
// professional refused, ErrUnavailable when HIN says it is in trouble,
// ErrRejected otherwise. The error code is cleaned and HIN's description
// left out: both come from the browser's query string.
func CallbackError(q url.Values) error {
	switch e := q.Get("error"); e {
	case "":
		return nil
	case "access_denied":
		return ErrCancelled
	case "server_error", "temporarily_unavailable":
		return fmt.Errorf("%w: the authorization answered %q", ErrUnavailable, e)
	default:
		return fmt.Errorf("%w: the authorization answered %q", ErrRejected, cleanCode(e))
	}
}
