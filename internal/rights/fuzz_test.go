package rights_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/infopatient/infopatient/internal/rights"
)

// FuzzDecode: any answer decodes to rights or one of the typed errors,
// never a panic, and decoded rights hold what the model promises.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"response-full.xml", "response-unknown.xml", "fault-unavailable.xml", "fault-idam.xml"} {
		f.Add(readFile(f, name))
	}
	f.Add([]byte(`<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body/></soap:Envelope>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := rights.Decode(bytes.NewReader(b))
		if err != nil {
			if r != nil {
				t.Fatal("rights with an error")
			}
			var fe *rights.FaultError
			if !errors.Is(err, rights.ErrMalformed) && !errors.Is(err, rights.ErrUnknownBeneficiary) && !errors.As(err, &fe) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if r.Beneficiary.Rank < 1 || r.Beneficiary.Rank > 9 || r.ReferenceDate.IsZero() || len(r.Regime) != 2 || len(r.Caisse) != 3 {
			t.Fatalf("decoded %+v", r)
		}
		for _, p := range append(append([]rights.Period{}, r.AMO...), periodsOf(r)...) {
			if !p.End.IsZero() && p.End.Before(p.Start) {
				t.Fatalf("reversed period %+v", p)
			}
		}
	})
}

func periodsOf(r *rights.Rights) []rights.Period {
	var out []rights.Period
	for _, c := range r.Coverage {
		out = append(out, c.Period)
	}
	for _, c := range r.Complementary {
		out = append(out, c.Periods...)
	}
	return out
}
