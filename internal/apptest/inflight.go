package apptest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Loaded is how long StartSlowPost lets the server read the request's
// head, load its session and start waiting for the body.
const Loaded = 300 * time.Millisecond

// StartSlowPost begins a form POST to target with the browser's cookies
// and the CSRF token of its last page, sends only the first n bytes of
// the body, and waits until the server has surely loaded the session. The
// returned finish sends the rest and reads the answer: a request in
// flight across whatever the test does in between (a logout, say).
func (b *Browser) StartSlowPost(target string, form url.Values, n int) (finish func() *Response) {
	b.t.Helper()
	if _, ok := form["_csrf"]; !ok && b.Page != nil {
		if tok, ok := b.Page.Find(`input[name="_csrf"]`).First().Attr("value"); ok {
			form.Set("_csrf", tok)
		}
	}
	u, err := url.Parse(b.abs(target))
	if err != nil {
		b.t.Fatal(err)
	}
	var cookies []string
	for _, c := range b.Client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	body := form.Encode()
	if n >= len(body) {
		b.t.Fatalf("a body of %d bytes cannot be cut after %d", len(body), n)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { _ = conn.Close() })
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		"Content-Length: %d\r\nCookie: %s\r\nConnection: close\r\n\r\n", u.RequestURI(), u.Host, len(body), strings.Join(cookies, "; "))
	if _, err := io.WriteString(conn, head+body[:n]); err != nil {
		b.t.Fatal(err)
	}
	time.Sleep(Loaded)
	return func() *Response {
		b.t.Helper()
		if _, err := io.WriteString(conn, body[n:]); err != nil {
			b.t.Fatal(err)
		}
		_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			b.t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return &Response{Status: resp.StatusCode, Header: resp.Header, Location: resp.Header.Get("Location"), Body: string(data)}
	}
}

// WithCookie is a fresh browser of the portal holding only the cookie
// name=value: another party presenting a copied cookie.
func (p *Portal) WithCookie(t testing.TB, name, value string) *Browser {
	b := p.NewBrowser(t)
	u, _ := url.Parse(p.URL)
	b.Client.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
	return b
}
