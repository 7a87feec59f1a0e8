package web_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
)

// An overlong URL is refused with 414 (and logged so), and a page's
// language links repeat only the parameters pages read: never an
// unknown one, whatever its size.
func TestOverlongURLsAndLanguageLinks(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	r := b.Get("/?junk=" + strings.Repeat("x", 500<<10))
	if r.Status != http.StatusRequestURITooLong || len(r.Body) > 64<<10 {
		t.Errorf("500 KB query: %d, %d bytes", r.Status, len(r.Body))
	}
	if !strings.Contains(p.Logs.String(), "status=414") {
		t.Error("the 414 is not logged as such")
	}
	r = b.Get("/?return=%2Fhistorique&junk=" + strings.Repeat("y", 4000))
	if r.Status != http.StatusOK {
		t.Fatalf("login page: %d", r.Status)
	}
	for _, href := range langHrefs(b) {
		if strings.Contains(href, "junk") || !strings.Contains(href, "return=%2Fhistorique") {
			t.Errorf("language link %q", href)
		}
	}
	if len(langHrefs(b)) == 0 {
		t.Error("no language link found")
	}
}

// langHrefs are the language links of the page b last read.
func langHrefs(b *apptest.Browser) []string {
	var out []string
	for _, n := range b.Page.Find(`a[hreflang]`).Nodes {
		for _, a := range n.Attr {
			if a.Key == "href" {
				out = append(out, a.Val)
			}
		}
	}
	return out
}

// A POST whose body stops coming is answered 408 once the server's read
// timeout passes, logged and counted as 408, never 200.
func TestBodyReadTimeoutIs408(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_READ_TIMEOUT": "1s"})
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 60\r\n\r\nlogin")
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("stalled body: %d, want 408", resp.StatusCode)
	}
	if logs := p.Logs.String(); !strings.Contains(logs, "route=/login status=408") || strings.Contains(logs, "route=/login status=200") {
		t.Errorf("the stalled request is not logged as 408:\n%s", grepLines(logs, "route=/login"))
	}
	m := p.NewBrowser(t).Get(p.MetricsURL)
	if !strings.Contains(m.Body, `infopatient_http_requests_total{method="POST",route="/login",status="408"} 1`) {
		t.Errorf("not counted as 408:\n%s", grepLines(m.Body, `route="/login"`))
	}
}
