package ctxsim_test

import (
	"net/http"
	"testing"
)

// FuzzShareBody puts arbitrary bodies to the API: it must answer 200,
// 400 or 500, never panic, and store only what its schema allows.
func FuzzShareBody(f *testing.F) {
	f.Add(shareBody("899700000001", "patient-info", bagA))
	f.Add(`{"psId":"899700000001","schemaId":"patient-info","bag":{"patient":{}}}`)
	f.Add(`{"psId":"899700000001","schemaId":"patient-info","bag":null}`)
	f.Add(`{`)
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, body string) {
		status, _ := fx.call(t, http.MethodPut, "tok-a", body)
		switch status {
		case http.StatusOK, http.StatusBadRequest, http.StatusInternalServerError:
		default:
			t.Fatalf("status %d", status)
		}
	})
}
