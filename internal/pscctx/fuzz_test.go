package pscctx_test

import (
	"testing"

	"github.com/infopatient/infopatient/internal/pscctx"
)

// FuzzParseContext: the API's answer never panics the parser, and what
// it accepts has a psId, a schemaId and an object bag.
func FuzzParseContext(f *testing.F) {
	f.Add([]byte(`{"psId":"1","schemaId":"patient-info","bag":{"patient":{}}}`))
	f.Add([]byte(`{"psId":"1","schemaId":"x","bag":[]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cx, err := pscctx.ParseContext(data)
		if err == nil && (cx.PsID == "" || cx.SchemaID == "" || len(cx.Bag) == 0) {
			t.Fatalf("accepted %q", data)
		}
	})
}

// FuzzParsePatientInfo: a bag never panics the decoder, and an accepted
// one passes Validate and encodes back to a bag that parses again.
func FuzzParsePatientInfo(f *testing.F) {
	f.Add([]byte(`{"patient":{"patientINS":"1","patientFirstName":"A","patientLastName":"B","patientDOB":"2000-01-31"}}`))
	f.Add([]byte(`{"ps":{"nationalId":"1"},"patient":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := pscctx.ParsePatientInfo(data)
		if err != nil {
			return
		}
		bag, err := p.Bag()
		if err != nil {
			t.Fatalf("accepted %q but Bag: %v", data, err)
		}
		if _, err := pscctx.ParsePatientInfo(bag); err != nil {
			t.Fatalf("round trip of %q: %v", data, err)
		}
	})
}
