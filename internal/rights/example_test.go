package rights_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/infopatient/infopatient/internal/rights"
)

// A rights page reads the form, asks the service, and shows the answer at
// its reference date.
func Example() {
	answer, _ := os.ReadFile("testdata/response-full.xml")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		_, _ = w.Write(answer)
	}))
	defer srv.Close()

	client, err := rights.New(rights.Config{URL: srv.URL, IDAM: "AM000000", SoftwareVersion: "1.0"}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	req, err := rights.NewRequest("2 84 02 75 115 023", "1984-02-11", "1")
	if err != nil {
		var ie *rights.InputError
		if errors.As(err, &ie) {
			fmt.Println("check the field", ie.Field)
		}
		return
	}
	req.ReferenceDate = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	r, err := client.Acquire(context.Background(), req)
	switch {
	case errors.Is(err, rights.ErrUnknownBeneficiary):
		fmt.Println("no such beneficiary")
	case err != nil:
		fmt.Println("service error")
	default:
		fmt.Println(r.Beneficiary.BirthName, r.Regime, r.Caisse, r.Centre)
		fmt.Println("open at", r.ReferenceDate.Format(time.DateOnly), r.Open())
		fmt.Println("ALD", r.HasALDAt(r.ReferenceDate), "complementary", len(r.ComplementaryAt(r.ReferenceDate)))
	}
	// Output:
	// DUPONT 01 751 9881
	// open at 2026-03-01 true
	// ALD true complementary 1
}
