package rightssim_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/sandbox/rightssim"
)

// FuzzEnvelope: any request body gets an answer or a SOAP fault, never a
// panic.
func FuzzEnvelope(f *testing.F) {
	b, err := os.ReadFile("../../rights/testdata/request-golden.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add(`<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"/>`)
	bs, err := rightssim.LoadBeneficiaries(data.Files, "sandbox/adri-beneficiaries.json")
	if err != nil {
		f.Fatal(err)
	}
	s, err := rightssim.New(rightssim.Config{Beneficiaries: bs})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, rightssim.EndpointPath, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/soap+xml")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK && w.Code != http.StatusInternalServerError {
			t.Fatalf("status %d", w.Code)
		}
	})
}
