package web_test

import (
	"net/http"
	"strings"
	"testing"

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
