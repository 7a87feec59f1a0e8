package hin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Categories of failure. Test them with errors.Is; no message carries a
// token, a code or a secret.
var (
	// ErrInvalidGrant: HIN refused the code or the refresh token.
	ErrInvalidGrant = errors.New("hin: grant refused")
	// ErrUnavailable: HIN could not be reached, timed out, answered 5xx or
	// 429, or answered something that is not a usable token.
	ErrUnavailable = errors.New("hin: token endpoint unavailable")
	// ErrRejected: HIN refused the request otherwise (4xx): wrong client
	// secret, client not allowed for the token group, bad code...
	ErrRejected = errors.New("hin: token request rejected")
	// ErrRateLimited: the client-credentials secret was used too often;
	// it comes with ErrUnavailable.
	ErrRateLimited = errors.New("hin: client-credentials requests too frequent")
	// ErrReauthRequired: the user's HIN tokens are gone or refused; the
	// user must sign in with HIN again.
	ErrReauthRequired = errors.New("hin: sign in with HIN again")
	// ErrNoToken: the store holds no token under the key. A TokenStore
	// returns it (or an error matching it) when a key is absent.
	ErrNoToken = errors.New("hin: no stored token")
)

// Op names a token request, in a TokenError and to Config.Observe.
type Op string

// The token requests.
const (
	OpExchange          Op = "exchange"           // a sign-in's code for tokens
	OpRefresh           Op = "refresh"            // a refresh token for new tokens
	OpClientCredentials Op = "client credentials" // a device's token for a token group
)

// TokenError describes a failed token request for logs: what was asked,
// the HTTP status and HIN's error code. It matches its category with
// errors.Is.
type TokenError struct {
	Op         Op
	StatusCode int    // 0 when no answer came
	Code       string // HIN's "error" field, cleaned
	// RetryAfter is HIN's Retry-After on a 429.
	RetryAfter time.Duration
	kinds      []error
	cause      error // network error, safe to print
}

func (e *TokenError) Error() string {
	var b strings.Builder
	b.WriteString(e.kinds[0].Error())
	b.WriteString(" (" + string(e.Op))
	if e.StatusCode != 0 {
		b.WriteString(": HTTP " + strconv.Itoa(e.StatusCode))
	}
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	b.WriteString(")")
	if e.cause != nil {
		b.WriteString(": " + e.cause.Error())
	}
	return b.String()
}

// Unwrap yields the categories and the cause.
func (e *TokenError) Unwrap() []error {
	if e.cause == nil {
		return e.kinds
	}
	return append(append([]error(nil), e.kinds...), e.cause)
}

// cleanCode keeps an error code from HIN printable and short: it comes
// from outside and ends up in logs.
func cleanCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 40 {
			b.WriteString("…")
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unavailable(op Op, format string, args ...any) error {
	return &TokenError{Op: op, kinds: []error{ErrUnavailable}, cause: fmt.Errorf(format, args...)}
}

// errRedirect refuses every redirect: the client never follows one, for it
// would re-send credentials (a bearer token, a re-posted client_secret) to
// whoever the answer names. The call fails as unavailable.
var errRedirect = errors.New("hin: the service answered with a redirect, which is not followed")

func refuseRedirect(*http.Request, []*http.Request) error { return errRedirect }
