package hinsim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzTokenEndpoint posts arbitrary bodies to both token endpoints: the
// simulator answers with one of HIN's documented statuses and JSON, and
// never issues a token without valid credentials.
func FuzzTokenEndpoint(f *testing.F) {
	seeds := []string{
		"",
		"grant_type=authorization_code&code=x&redirect_uri=&client_id=ch.infopatient&client_secret=s3cret%2B%2F%23grant",
		"grant_type=refresh_token&refresh_token=a%23b%2Bc&client_id=ch.infopatient&client_secret=s3cret%2B%2F%23grant",
		"grant_type=client_credentials&client_id=ch.infopatient-cc&client_secret=d3vice%2B%23secret",
		"grant_type=%zz",
		"client_id=a&client_id=b&grant_type=password",
		strings.Repeat("&", 1000),
	}
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	sim, err := New(testConfig("http://127.0.0.1:1/sandbox/hin", newClock()))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string, withGroup bool) {
		path := "/sandbox/hin/REST/v1/OAuth/GetAccessToken"
		if withGroup {
			path += "/" + testGroup
		}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, req)
		switch rec.Code {
		case 200:
			if !strings.Contains(body, "d3vice") {
				t.Fatalf("token issued for %q", body)
			}
		case 400, 403, 404, 429:
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("content type %q", rec.Header().Get("Content-Type"))
		}
	})
}
