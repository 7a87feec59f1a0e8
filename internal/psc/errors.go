package psc

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// Errors the web layer maps to pages. Their wrapped reasons are safe to
// log: they never contain a token, code or secret.
var (
	// ErrCancelled: the professional cancelled at the provider.
	ErrCancelled = errors.New("psc: sign-in cancelled")
	// ErrUnavailable: the provider is down, slow, or answers garbage; trying
	// again later may work.
	ErrUnavailable = errors.New("psc: provider unavailable")
	// ErrRejected: an answer failed verification, or the provider refused;
	// the sign-in is refused.
	ErrRejected = errors.New("psc: answer rejected")
)

// CallbackError reads an error answer of the authorization endpoint
// (RFC 6749 4.1.2.1): nil when there is none, ErrCancelled when the
// professional cancelled, ErrUnavailable when the provider says it is in
// trouble, ErrRejected otherwise.
func CallbackError(q url.Values) error {
	switch e := q.Get("error"); e {
	case "":
		return nil
	case "access_denied":
		return ErrCancelled
	case "server_error", "temporarily_unavailable":
		return fmt.Errorf("%w: the provider answered %q", ErrUnavailable, e)
	default:
		return fmt.Errorf("%w: the provider answered %q", ErrRejected, clip(e))
	}
}

// clip bounds a value that came from outside before it is logged.
func clip(s string) string { return clipN(s, 64) }

func clipN(s string, n int) string {
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}

// statusError is a non-2xx answer, named by its status only.
type statusError struct{ status int }

func (e *statusError) Error() string { return fmt.Sprintf("HTTP status %d", e.status) }

// scrubURL keeps query strings (codes, tokens) out of transport errors.
func scrubURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			u.User = nil
			ue.URL = u.String()
		}
		return ue
	}
	return err
}

// classify maps an error of an outgoing call to ErrRejected (the provider
// answered 4xx: it refuses) or ErrUnavailable (network, timeout, 5xx,
// unreadable answer). The message names the status and the OAuth error
// code, never the body, which may echo what was sent.
func classify(what string, err error) error {
	var se *statusError
	var re *oauth2.RetrieveError
	var ne net.Error
	switch {
	case errors.As(err, &se) && se.status < 500:
		return fmt.Errorf("%w: %s: %v", ErrRejected, what, se)
	case errors.As(err, &se):
		return fmt.Errorf("%w: %s: %v", ErrUnavailable, what, se)
	case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500:
		return fmt.Errorf("%w: %s: HTTP status %d, error %q", ErrRejected, what, re.Response.StatusCode, clip(re.ErrorCode))
	case errors.As(err, &re) && re.Response != nil:
		return fmt.Errorf("%w: %s: HTTP status %d", ErrUnavailable, what, re.Response.StatusCode)
	case errors.As(err, &re):
		// Its own message quotes the body: leave it out.
		return fmt.Errorf("%w: %s: error %q", ErrUnavailable, what, clip(re.ErrorCode))
	case errors.As(err, &ne):
		return fmt.Errorf("%w: %s: %v", ErrUnavailable, what, scrubURL(err))
	}
	return fmt.Errorf("%w: %s: %v", ErrUnavailable, what, scrubURL(err))
}

// errRedirect refuses every redirect: the client never follows one, for it
// would re-send credentials (a bearer token, a re-posted client_secret) to
// whoever the answer names. The call fails as unavailable.
var errRedirect = errors.New("psc: the service answered with a redirect, which is not followed")

func refuseRedirect(*http.Request, []*http.Request) error { return errRedirect }
