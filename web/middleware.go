package web

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/i18n"
	"github.com/infopatient/infopatient/views"
)

// recoverPanics turns a panic into a 500 page. Its stack goes to the log,
// never to the browser.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = fmt.Errorf("panic: %v", r)
				s.Logger.ErrorContext(c.Request().Context(), "panic", slog.Any("err", err), slog.String("stack", string(debug.Stack())))
			}
		}()
		return next(c)
	}
}

// logRequests writes one structured line per request: route pattern rather
// than raw URL, so that codes, states and tokens in query strings never
// reach the logs.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := s.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		elapsed := s.Now().Sub(start)
		s.Metrics.Request(c.Path(), c.Request().Method, status, elapsed)
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		s.Logger.LogAttrs(c.Request().Context(), level, "request",
			slog.String("method", c.Request().Method),
			slog.String("route", c.Path()),
			slog.Int("status", status),
			slog.Duration("duration", elapsed),
			slog.String("ip", c.RealIP()),
		)
		return nil
	}
}

// secureHeaders sets the headers every response carries. The CSP forbids
// inline script everywhere: the portal runs no JavaScript at all.
func (s *Server) secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	headers := securityHeaders
	if s.Config.SecureCookies() {
		headers = append(headers[:len(headers):len(headers)], [2]string{"Strict-Transport-Security", "max-age=63072000; includeSubDomains"})
	}
	return func(c echo.Context) error {
		setHeaders(c.Response().Header(), headers)
		return next(c)
	}
}

// securityHeaders are the headers of every response, keys in canonical
// form.
var securityHeaders = [][2]string{
	{"Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "same-origin"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
}

// setHeaders is Header.Set for each of kv (canonical keys) at the cost of
// one allocation instead of one each: the values share a backing array,
// each capped to its own element, so that an Add later copies rather
// than overwrites its neighbour.
func setHeaders(h http.Header, kv [][2]string) {
	vals := make([]string, len(kv))
	for i, p := range kv {
		vals[i] = p[1]
		h[p[0]] = vals[i : i+1 : i+1]
	}
}

const langCookie = "lang"

// language picks the page language: ?lang= (remembered in a cookie), the
// cookie, then Accept-Language.
func (s *Server) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var chosen string
		if c.Request().URL.RawQuery != "" { // else no query map to build
			chosen = c.QueryParam("lang")
			if chosen == "" && signInCallbacks[c.Path()] {
				// The language the sign-in pages spoke last, which the
				// professional may have changed there (the sandbox says so).
				chosen = primaryLanguage(c.QueryParam("ui_locales"))
			}
		}
		if s.Catalog.Supported(chosen) {
			c.SetCookie(&http.Cookie{Name: langCookie, Value: chosen, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode})
		} else if ck, err := c.Cookie(langCookie); err == nil {
			chosen = ck.Value
		}
		lang := s.Catalog.Match(chosen, c.Request().Header.Get("Accept-Language"))
		c.Response().Header().Set("Content-Language", lang)
		vary(c.Response().Header(), "Accept-Language", "Cookie")
		req := c.Request()
		c.SetRequest(req.WithContext(i18n.WithLocalizer(req.Context(), s.Catalog.For(lang))))
		return next(c)
	}
}

// vary adds fields to the response's Vary header, each once and on one
// line: the language and the session middlewares both vary on Cookie.
func vary(h http.Header, fields ...string) {
	have := h.Values("Vary")
	if len(have) == 0 { // the page's first: no merge to make
		h.Set("Vary", strings.Join(fields, ", "))
		return
	}
	var missing []string
	for _, f := range fields {
		if !slices.ContainsFunc(have, func(v string) bool { return varies(v, f) }) {
			missing = append(missing, f)
		}
	}
	if len(missing) == 0 && len(have) == 1 {
		return // already said, on one line
	}
	h.Set("Vary", strings.Join(slices.Concat(have, missing), ", "))
}

// varies reports whether a Vary header value names field.
func varies(value, field string) bool {
	for v := range strings.SplitSeq(value, ",") {
		if strings.EqualFold(strings.TrimSpace(v), field) {
			return true
		}
	}
	return false
}

// signInCallbacks are the routes an authority sends the browser back to.
var signInCallbacks = map[string]bool{"/auth/psc/callback": true, "/auth/hin/callback": true}

// primaryLanguage is the language of the first tag of a ui_locales list
// ("de-CH fr" → "de").
func primaryLanguage(uiLocales string) string {
	tag, _, _ := strings.Cut(strings.TrimSpace(uiLocales), " ")
	lang, _, _ := strings.Cut(tag, "-")
	return strings.ToLower(lang)
}

// safeMethod: the methods that change nothing (RFC 9110), which need no token.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions || m == http.MethodTrace
}

// pageContext hands the layout its data: the professional, the CSRF token.
func (s *Server) pageContext(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		token, _ := c.Get("csrf").(string)
		p := views.Page{
			User:    s.viewer(req.Context()),
			CSRF:    token,
			Path:    req.URL.RequestURI(),
			Current: navEntries[c.Path()],
			Assets:  s.Assets,
			Demo:    s.Config.Demo,
		}
		c.SetRequest(req.WithContext(views.WithPage(req.Context(), p)))
		return next(c)
	}
}

// answerAs makes a page answered to a POST describe itself as the GET page
// showing the same thing, so that its language links (which repeat the
// page's URL) lead there rather than to a URL that has only a POST.
func answerAs(c echo.Context, uri string) {
	req := c.Request()
	c.SetRequest(req.WithContext(views.AtPath(req.Context(), uri)))
}

// navEntries marks the navigation entry of each page (aria-current).
var navEntries = map[string]string{
	homePath:                             "identify",
	"/patient":                           "identify",
	"/patient/:id":                       "identify",
	"/mes-informations":                  "profile",
	"/historique":                        "history",
	securityPath:                         "security",
	securityPath + "/cles":               "security",
	securityPath + "/cles/:id/supprimer": "security",
}

// ipExtractor trusts X-Forwarded-For only from the configured proxies.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		if _, n, err := net.ParseCIDR(p.Masked().String()); err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// noStore marks a response as personal: never cached.
func noStore(c echo.Context) {
	c.Response().Header().Set("Cache-Control", "no-store")
}
