package web

import (
	"net/url"
	"strings"
	"unicode"
)

// homePath is the identification page: where a sign-in leads unless told
// otherwise, and where a signed-in professional is sent back to.
const homePath = "/identification"

// safeReturn accepts only a path on this site as a post-login destination;
// anything else (other hosts, schemes, protocol-relative or backslash
// tricks, control characters) becomes the identification page.
func safeReturn(raw string) string {
	if raw == "" || len(raw) > 2048 {
		return homePath
	}
	// Check the value as given and once unescaped, since browsers and
	// proxies may decode it before following it.
	for _, v := range []string{raw, unescapeOnce(raw)} {
		if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || strings.ContainsAny(v, `\`) {
			return homePath
		}
		if strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0 {
			return homePath
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return homePath
	}
	if u.Path == "/" || u.Path == "/login" {
		return homePath
	}
	return u.RequestURI()
}

func unescapeOnce(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return ""
}
