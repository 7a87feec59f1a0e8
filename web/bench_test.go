package web_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

// BenchmarkIdentificationPage measures the authenticated identification
// page through the whole middleware stack (session load from the database,
// CSRF, language, templ rendering), over real HTTP on loopback.
func BenchmarkIdentificationPage(b *testing.B) {
	p := apptest.Start(b, nil)
	br := p.NewBrowser(b)
	br.SignIn(virginie, demo.Password)
	benchmarkGET(b, br.Client, p.URL+"/identification")
}

// BenchmarkStaticCSS is the yardstick: the same server serving its
// stylesheet, which touches neither the session nor the database.
func BenchmarkStaticCSS(b *testing.B) {
	p := apptest.Start(b, nil)
	br := p.NewBrowser(b)
	br.Get("/")
	href, _ := br.Page.Find(`link[rel="stylesheet"]`).Attr("href")
	benchmarkGET(b, br.Client, p.URL+href)
}

func benchmarkGET(b *testing.B, client *http.Client, url string) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(url)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}
