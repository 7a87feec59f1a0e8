package ctxsim_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/ctxsim"
)

func TestShareThenReadBackOwnContext(t *testing.T) {
	f := newFixture(t)
	status, body := f.call(t, http.MethodPut, "tok-a", shareBody("899700000001", "patient-info", bagA))
	if status != http.StatusOK {
		t.Fatalf("PUT: %d %s", status, body)
	}
	var got ctxsim.Context
	if err := json.Unmarshal([]byte(body), &got); err != nil || got.PsID != "899700000001" || got.SchemaID != "patient-info" || !strings.Contains(string(got.Bag), "283052A12345678") {
		t.Fatalf("PUT answer %s (%v)", body, err)
	}
	status, body = f.call(t, http.MethodGet, "tok-a", "")
	if status != http.StatusOK || !strings.Contains(body, `"psId":"899700000001"`) || !strings.Contains(body, "DURAND") {
		t.Fatalf("GET: %d %s", status, body)
	}
	// Another professional reads nothing of it: contexts are per psId.
	if status, body = f.call(t, http.MethodGet, "tok-b", ""); status != http.StatusNotFound || body != "" {
		t.Errorf("GET by another professional: %d %q", status, body)
	}
	if f.api.Contexts() != 1 {
		t.Errorf("%d contexts", f.api.Contexts())
	}
}

func TestTokenChecks(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name, method, token string
		want                int
	}{
		{"no token on GET is 403", http.MethodGet, "", http.StatusForbidden},
		{"no token on PUT is 403", http.MethodPut, "", http.StatusForbidden},
		{"inactive token is 401", http.MethodGet, "expired", http.StatusUnauthorized},
		{"inactive token on PUT is 401", http.MethodPut, "expired", http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.call(t, tc.method, tc.token, shareBody("899700000001", "patient-info", bagA))
			if status != tc.want || body != "" {
				t.Errorf("%d %q, want %d and an empty body", status, body, tc.want)
			}
		})
	}
	// A wrong scheme is no token.
	req, _ := http.NewRequest(http.MethodGet, f.url, nil)
	req.Header.Set("Authorization", "Basic dG9rLWE6")
	resp, _ := http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("Basic auth: %d", resp.StatusCode)
	}
}

func TestIntrospectionRefusingTheAPIsCredentialsIsABadGateway(t *testing.T) {
	f := newFixture(t, func(c *ctxsim.Config) { c.ClientSecret = "wrong" })
	if status, _ := f.call(t, http.MethodGet, "tok-a", ""); status != http.StatusBadGateway {
		t.Errorf("%d, want 502", status)
	}
	f = newFixture(t, func(c *ctxsim.Config) { c.IntrospectionURL = "http://127.0.0.1:1/introspect" })
	if status, _ := f.call(t, http.MethodGet, "tok-a", ""); status != http.StatusBadGateway {
		t.Errorf("unreachable PSC: %d, want 502", status)
	}
}

func TestBadWrites(t *testing.T) {
	f := newFixture(t)
	patient := func(fields string) string { return `{"patient":{` + fields + `}}` }
	const four = `"patientINS":"1","patientFirstName":"A","patientLastName":"B","patientDOB":"2000-01-01"`
	for _, tc := range []struct {
		name, body string
		want       int
	}{
		{"malformed JSON", `{"psId":`, http.StatusBadRequest},
		{"two documents", shareBody("899700000001", "patient-info", bagA) + "{}", http.StatusBadRequest},
		{"another professional's psId", shareBody("899700000002", "patient-info", bagA), http.StatusBadRequest},
		{"unknown schema", shareBody("899700000001", "other", bagA), http.StatusInternalServerError},
		{"no patient", shareBody("899700000001", "patient-info", `{"ps":{"nationalId":"1"}}`), http.StatusInternalServerError},
		{"no DOB", shareBody("899700000001", "patient-info", patient(`"patientINS":"1","patientFirstName":"A","patientLastName":"B"`)), http.StatusInternalServerError},
		{"unknown patient property", shareBody("899700000001", "patient-info", patient(four+`,"patientSex":"F"`)), http.StatusInternalServerError},
		{"property in another case", shareBody("899700000001", "patient-info", patient(`"PATIENTINS":"1","patientFirstName":"A","patientLastName":"B","patientDOB":"2000-01-01"`)), http.StatusInternalServerError},
		{"unknown top property", shareBody("899700000001", "patient-info", `{"patient":{`+four+`},"extra":{}}`), http.StatusInternalServerError},
		{"number instead of string", shareBody("899700000001", "patient-info", patient(`"patientINS":1,"patientFirstName":"A","patientLastName":"B","patientDOB":"2000-01-01"`)), http.StatusInternalServerError},
		{"ps without nationalId", shareBody("899700000001", "patient-info", `{"ps":{"companyName":"X"},"patient":{`+four+`}}`), http.StatusInternalServerError},
		{"bag not an object", shareBody("899700000001", "patient-info", `[1]`), http.StatusInternalServerError},
		{"patient only is fine", shareBody("899700000001", "patient-info", patient(four)), http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.call(t, http.MethodPut, "tok-a", tc.body)
			if status != tc.want {
				t.Errorf("%d %q, want %d", status, body, tc.want)
			}
			if status != http.StatusOK && body != "" {
				t.Errorf("error body %q, want none", body)
			}
		})
	}
	if status, _ := f.call(t, http.MethodDelete, "tok-a", ""); status != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d", status)
	}
}

func TestContextLives900SecondsFromEachPut(t *testing.T) {
	f := newFixture(t)
	put := func() {
		if status, body := f.call(t, http.MethodPut, "tok-a", shareBody("899700000001", "patient-info", bagA)); status != http.StatusOK {
			t.Fatalf("PUT %d %s", status, body)
		}
	}
	put()
	f.clock.Advance(899 * time.Second)
	if status, _ := f.call(t, http.MethodGet, "tok-a", ""); status != http.StatusOK {
		t.Fatalf("at 899 s: %d", status)
	}
	put() // counted again from here
	f.clock.Advance(899 * time.Second)
	if status, _ := f.call(t, http.MethodGet, "tok-a", ""); status != http.StatusOK {
		t.Fatalf("899 s after the second PUT: %d", status)
	}
	f.clock.Advance(time.Second)
	if status, _ := f.call(t, http.MethodGet, "tok-a", ""); status != http.StatusNotFound {
		t.Errorf("900 s after the last PUT: %d, want 404", status)
	}
	if f.api.Contexts() != 0 {
		t.Errorf("%d live contexts", f.api.Contexts())
	}
}
