package hin

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestCallbackError(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  error // nil: no error
	}{
		{"code=abc&state=s", nil},
		{"error=access_denied&state=s", ErrCancelled},
		{"error=temporarily_unavailable", ErrUnavailable},
		{"error=server_error&error_description=down", ErrUnavailable},
		{"error=invalid_scope", ErrRejected},
		{"error=unauthorized_client", ErrRejected},
	} {
		q, _ := url.ParseQuery(tc.query)
		err := CallbackError(q)
		if (tc.want == nil) != (err == nil) || !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.query, err, tc.want)
		}
	}
}

// What the browser brings back is never repeated as it came: the code is
// cleaned and bounded, the description left out.
func TestCallbackErrorRepeatsNoOddText(t *testing.T) {
	q := url.Values{
		"error":             {"bad\nlevel=ERROR msg=forged" + strings.Repeat("é", 100)},
		"error_description": {"<script>secret</script>"},
	}
	msg := CallbackError(q).Error()
	for _, odd := range []string{"\n", "=", "é", "script", "secret"} {
		if strings.Contains(msg, odd) {
			t.Errorf("the error repeats %q: %s", odd, msg)
		}
	}
	if len(msg) > 120 {
		t.Errorf("an unbounded error: %s", msg)
	}
}

// Both spellings of the code are taken, OAuth 2's first.
func TestCallbackCode(t *testing.T) {
	for query, want := range map[string]string{
		"code=abc&state=s":    "abc",
		"Code=abc&state=s":    "abc",
		"code=abc&Code=xyz":   "abc",
		"state=s":             "",
		"error=access_denied": "",
	} {
		q, _ := url.ParseQuery(query)
		if got := CallbackCode(q); got != want {
			t.Errorf("%s: %q, want %q", query, got, want)
		}
	}
}
