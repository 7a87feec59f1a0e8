package views

import (
	"context"
	"net/url"
)

// langKept are the query parameters a language link repeats: the ones
// pages read. Anything else in the URL (however long) is left behind.
var langKept = []string{"return", "bye", "ended", "expired"}

// langURL is the current page in another language. Most pages are at a
// plain path without a query: their link is a concatenation, not a URL
// parsed and encoded again (which cost each page some thirty
// allocations for its three links).
func langURL(ctx context.Context, to string) string {
	p := pageOf(ctx).Path
	if plainPath(p) {
		return p + "?lang=" + url.QueryEscape(to)
	}
	return langURLParsed(p, to)
}

// plainPath says whether p is a path that url.Parse and RequestURI give
// back as it is: it starts with one '/', and has only unreserved
// characters and '/', no query.
func plainPath(p string) bool {
	if len(p) == 0 || p[0] != '/' || (len(p) > 1 && p[1] == '/') {
		return false
	}
	for i := 1; i < len(p); i++ {
		switch b := p[i]; {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', b == '-', b == '.', b == '_', b == '~', b == '/':
		default:
			return false
		}
	}
	return true
}

// langURLParsed is langURL for any path and query: only the parameters
// of langKept are repeated.
func langURLParsed(path, to string) string {
	u, err := url.Parse(path)
	if err != nil || u.Path == "" {
		u = &url.URL{Path: "/"}
	}
	from, q := u.Query(), url.Values{}
	for _, k := range langKept {
		if v := from.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	q.Set("lang", to)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

func langName(code string) string {
	switch code {
	case "de":
		return "Deutsch"
	case "en":
		return "English"
	default:
		return "Français"
	}
}
