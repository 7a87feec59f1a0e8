package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

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

// BenchmarkIdentificationPagePSC is the same page for a professional
// signed in with e-CPS, whose ID token and claims are kept with the record
// of the provider session, not in the session this page loads.
func BenchmarkIdentificationPagePSC(b *testing.B) {
	p := apptest.Start(b, nil)
	br := p.NewBrowser(b)
	if r := br.Get(pscAuthorize(b, br, virginieIDNat, "sign-in").String()); r.Status != http.StatusSeeOther {
		b.Fatalf("e-CPS sign-in answered %d", r.Status)
	}
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
			if resp, err := client.Get(url); !answeredOK(b, resp, err) {
				return
			}
		}
	})
}

// BenchmarkCovercardLookup measures a Swiss card lookup through the whole
// portal: form post, CSRF, session, the client-credentials token (cached),
// the Covercard simulator over HTTP, XML decoding, the audit write, and the
// patient page.
func BenchmarkCovercardLookup(b *testing.B) {
	p := apptest.Start(b, nil)
	br := p.NewBrowser(b)
	br.SignIn(virginie, demo.Password)
	token, _ := br.Page.Find(`input[name="_csrf"]`).Attr("value")
	form := url.Values{"_csrf": {token}, "identifier": {"80756000000000000001"}}.Encode()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := br.Client.Post(p.URL+"/patient", "application/x-www-form-urlencoded", strings.NewReader(form))
			if err != nil || resp.StatusCode != http.StatusSeeOther {
				answeredOK(b, resp, err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			// The lookup's page, as a browser follows the 303.
			if resp, err := br.Client.Get(p.URL + resp.Header.Get("Location")); !answeredOK(b, resp, err) {
				return
			}
		}
	})
}

// processCPU is the CPU time this process used so far (user and system).
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// answeredOK reads and closes a benchmarked request's answer; it reports
// an error or a status other than 200 and then returns false.
func answeredOK(b *testing.B, resp *http.Response, err error) bool {
	if err != nil {
		b.Error(err)
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Errorf("status %d", resp.StatusCode)
		return false
	}
	return true
}

// BenchmarkIdentificationPageInProcess is the signed-in (e-CPS) page
// served in process, without a network nor a client: its allocations
// are the server's alone, from the router to the rendered page (the
// access line included: the test portal logs everything).
func BenchmarkIdentificationPageInProcess(b *testing.B) {
	p := apptest.Start(b, nil)
	br := p.NewBrowser(b)
	if r := br.Get(pscAuthorize(b, br, virginieIDNat, "sign-in").String()); r.Status != http.StatusSeeOther {
		b.Fatalf("e-CPS sign-in answered %d", r.Status)
	}
	benchmarkInProcess(b, p.App.Handler(), "/identification", br.Cookie("infopatient_session"))
}

// BenchmarkStaticCSSInProcess is the stylesheet served the same way.
func BenchmarkStaticCSSInProcess(b *testing.B) {
	p := apptest.Start(b, nil)
	br := p.NewBrowser(b)
	br.Get("/")
	href, _ := br.Page.Find(`link[rel="stylesheet"]`).Attr("href")
	benchmarkInProcess(b, p.App.Handler(), href, nil)
}

// benchmarkInProcess also reports the process's CPU time per request
// (cpu-ns/op): on a shared machine wall time says more about the other
// work than about this one.
func benchmarkInProcess(b *testing.B, h http.Handler, target string, cookie *http.Cookie) {
	b.Helper()
	b.ReportAllocs()
	start := processCPU(b)
	defer func() { b.ReportMetric(float64(processCPU(b)-start)/float64(b.N), "cpu-ns/op") }()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("status %d", rec.Code)
				return
			}
		}
	})
}
