package web

import (
	"net/http"
	"testing"
)

// The security headers are written into the map directly: their keys
// must be canonical, or Header.Get would not find them.
func TestSecurityHeadersCanonical(t *testing.T) {
	for _, kv := range securityHeaders {
		if http.CanonicalHeaderKey(kv[0]) != kv[0] {
			t.Errorf("%q is not canonical", kv[0])
		}
	}
}

// setHeaders sets every header in one allocation, and the values it
// shares one backing array for stay independent: adding to one header
// never changes its neighbour.
func TestSetHeaders(t *testing.T) {
	h := http.Header{}
	setHeaders(h, securityHeaders)
	for _, kv := range securityHeaders {
		if got := h.Values(kv[0]); len(got) != 1 || got[0] != kv[1] {
			t.Errorf("%s: %q", kv[0], got)
		}
	}
	h.Add("X-Content-Type-Options", "other")
	h.Set("Content-Security-Policy", "changed")
	if got := h.Values("X-Frame-Options"); len(got) != 1 || got[0] != "DENY" {
		t.Errorf("X-Frame-Options became %q", got)
	}
	if got := h.Values("X-Content-Type-Options"); len(got) != 2 || got[0] != "nosniff" {
		t.Errorf("X-Content-Type-Options: %q", got)
	}
	if n := testing.AllocsPerRun(100, func() { setHeaders(h, securityHeaders) }); n > 1 {
		t.Errorf("%v allocations", n)
	}
}

// vary keeps one Vary line and names each field once, whatever case an
// earlier value used.
func TestVary(t *testing.T) {
	h := http.Header{}
	vary(h, "Accept-Language", "Cookie")
	vary(h, "cookie")
	if got := h.Values("Vary"); len(got) != 1 || got[0] != "Accept-Language, Cookie" {
		t.Errorf("Vary: %q", got)
	}
	h = http.Header{"Vary": {"Origin", "Accept-Encoding"}}
	vary(h, "Cookie", "Origin")
	if got := h.Values("Vary"); len(got) != 1 || got[0] != "Origin, Accept-Encoding, Cookie" {
		t.Errorf("Vary: %q", got)
	}
}
