package pscctx_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/pscctx"
	"github.com/infopatient/infopatient/internal/sandbox/ctxsim"
)

const (
	psA = "899700000001"
	psB = "899700000002"
)

// api stands up the sandbox's context-sharing API (the other party, over
// HTTP) with a small introspection endpoint knowing two tokens.
func api(t *testing.T) (*pscctx.Client, *ctxsim.Server) {
	t.Helper()
	tokens := map[string]string{"tok-a": psA, "tok-b": psB}
	introspect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		psID, ok := tokens[r.PostFormValue("token")]
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"active": ok, "SubjectNameID": psID})
	}))
	t.Cleanup(introspect.Close)
	sim, err := ctxsim.New(ctxsim.Config{IntrospectionURL: introspect.URL, ClientID: "api", ClientSecret: "x"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, err := pscctx.New(srv.URL+"/sandbox/psc-context/", nil)
	if err != nil {
		t.Fatal(err)
	}
	return c, sim
}

func patient() pscctx.PatientInfo {
	return pscctx.PatientInfo{
		PS:      &pscctx.PS{NationalID: psA, ProfessionalLastName: "MARTIN"},
		Patient: pscctx.Patient{INS: "283052A12345678", FirstName: "MARIE", LastName: "DURAND", DOB: "1983-05-12"},
	}
}

func TestShareThenReadBack(t *testing.T) {
	c, _ := api(t)
	ctx := context.Background()
	stored, err := c.SharePatient(ctx, "tok-a", psA, patient())
	if err != nil {
		t.Fatal(err)
	}
	if stored.PsID != psA || stored.SchemaID != pscctx.SchemaPatientInfo {
		t.Errorf("stored %+v", stored)
	}
	got, err := c.ReadPatient(ctx, "tok-a", psA)
	if err != nil {
		t.Fatal(err)
	}
	if got.Patient != patient().Patient || got.PS == nil || got.PS.ProfessionalLastName != "MARTIN" {
		t.Errorf("read back %+v", got)
	}
	// Another professional has nothing shared.
	if _, err := c.Read(ctx, "tok-b", psB); !errors.Is(err, pscctx.ErrNoContext) {
		t.Errorf("B reads: %v", err)
	}
}

func TestReadRefusesAnotherProfessionalsContext(t *testing.T) {
	c, sim := api(t)
	ctx := context.Background()
	b := patient()
	b.PS.NationalID = psB
	if _, err := c.SharePatient(ctx, "tok-b", psB, b); err != nil {
		t.Fatal(err)
	}
	sim.Misbehave(ctxsim.FaultCrossProfessional, 1)
	_, err := c.ReadPatient(ctx, "tok-a", psA)
	if !errors.Is(err, pscctx.ErrForeignContext) {
		t.Fatalf("got %v, want ErrForeignContext", err)
	}
	if strings.Contains(err.Error(), "DURAND") || strings.Contains(err.Error(), psB) {
		t.Errorf("error %q leaks the foreign context", err)
	}
	if _, err := c.Read(ctx, "tok-a", ""); !errors.Is(err, pscctx.ErrForeignContext) {
		t.Errorf("no psId to read for: %v", err)
	}
}

func TestTokenErrors(t *testing.T) {
	c, _ := api(t)
	ctx := context.Background()
	if _, err := c.Read(ctx, "", psA); !errors.Is(err, pscctx.ErrNoToken) {
		t.Errorf("empty token: %v", err)
	}
	if _, err := c.SharePatient(ctx, "", psA, patient()); !errors.Is(err, pscctx.ErrNoToken) {
		t.Errorf("empty token on share: %v", err)
	}
	_, err := c.Read(ctx, "expired", psA)
	var e *pscctx.Error
	if !errors.Is(err, pscctx.ErrTokenInactive) || !errors.As(err, &e) || e.StatusCode != 401 || e.Op != pscctx.OpRead {
		t.Errorf("inactive token: %v", err)
	}
	if strings.Contains(err.Error(), "expired\"") {
		t.Errorf("error %q carries the token", err)
	}
	if _, err := c.SharePatient(ctx, "expired", psA, patient()); !errors.Is(err, pscctx.ErrTokenInactive) {
		t.Errorf("inactive token on share: %v", err)
	}
}

func TestSchemaRefusals(t *testing.T) {
	c, _ := api(t)
	ctx := context.Background()
	noDOB := patient()
	noDOB.Patient.DOB = ""
	if _, err := c.SharePatient(ctx, "tok-a", psA, noDOB); !errors.Is(err, pscctx.ErrSchemaRefused) || !strings.Contains(err.Error(), "patientDOB") {
		t.Errorf("no DOB: %v", err)
	}
	// The API's own refusal (500, empty body) of an unknown schema.
	_, err := c.Share(ctx, "tok-a", pscctx.Context{PsID: psA, SchemaID: "nope", Bag: json.RawMessage(`{}`)})
	if !errors.Is(err, pscctx.ErrSchemaRefused) {
		t.Errorf("unknown schema: %v", err)
	}
	// And of an unknown property, which the client's typed structs cannot make.
	_, err = c.Share(ctx, "tok-a", pscctx.Context{PsID: psA, SchemaID: pscctx.SchemaPatientInfo,
		Bag: json.RawMessage(`{"patient":{"patientINS":"1","patientFirstName":"A","patientLastName":"B","patientDOB":"2000-01-01","x":"y"}}`)})
	if !errors.Is(err, pscctx.ErrSchemaRefused) {
		t.Errorf("unknown property: %v", err)
	}
	if _, err := c.Share(ctx, "tok-a", pscctx.Context{PsID: psA}); !errors.Is(err, pscctx.ErrSchemaRefused) {
		t.Errorf("empty context: %v", err)
	}
}

func TestUnavailable(t *testing.T) {
	c, sim := api(t)
	ctx := context.Background()
	sim.Misbehave(ctxsim.FaultUnavailable, 1)
	if _, err := c.Read(ctx, "tok-a", psA); !errors.Is(err, pscctx.ErrUnavailable) {
		t.Errorf("503: %v", err)
	}
	sim.Misbehave(ctxsim.FaultMalformed, 1)
	if _, err := c.Read(ctx, "tok-a", psA); !errors.Is(err, pscctx.ErrUnavailable) {
		t.Errorf("malformed: %v", err)
	}
	sim.Misbehave(ctxsim.FaultSlow, 1)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := c.Read(short, "tok-a", psA); !errors.Is(err, pscctx.ErrUnavailable) {
		t.Errorf("slow: %v", err)
	}
	dead, _ := pscctx.New("http://127.0.0.1:1", nil)
	if _, err := dead.Read(ctx, "tok-a", psA); !errors.Is(err, pscctx.ErrUnavailable) {
		t.Errorf("unreachable: %v", err)
	}
}

func TestNoRedirectIsFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		_, _ = io.WriteString(w, `{"psId":"`+psA+`","schemaId":"patient-info","bag":{}}`)
	}))
	defer other.Close()
	redirecting := httptest.NewServer(http.RedirectHandler(other.URL+"/share", http.StatusTemporaryRedirect))
	defer redirecting.Close()
	c, _ := pscctx.New(redirecting.URL, &http.Client{})
	if _, err := c.Read(context.Background(), "tok-a", psA); !errors.Is(err, pscctx.ErrUnavailable) {
		t.Errorf("redirect: %v", err)
	}
	if elsewhere.Load() != 0 {
		t.Error("the token followed a redirect")
	}
}

func TestStatusesAndAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"403 means no token", 403, "", pscctx.ErrNoToken},
		{"404 means nothing shared", 404, "", pscctx.ErrNoContext},
		{"empty 200 means nothing shared", 200, "", pscctx.ErrNoContext},
		{"null means nothing shared", 200, "null", pscctx.ErrNoContext},
		{"500 on read is unavailable", 500, "", pscctx.ErrUnavailable},
		{"400 is a refusal", 400, "", pscctx.ErrSchemaRefused},
		{"teapot", 418, "", pscctx.ErrUnavailable},
		{"no psId", 200, `{"schemaId":"patient-info","bag":{}}`, pscctx.ErrUnavailable},
		{"bag not an object", 200, `{"psId":"` + psA + `","schemaId":"patient-info","bag":"x"}`, pscctx.ErrUnavailable},
		{"trailing data", 200, `{"psId":"` + psA + `","schemaId":"patient-info","bag":{}} {}`, pscctx.ErrUnavailable},
		{"own context", 200, `{"psId":"` + psA + `","schemaId":"patient-info","bag":{},"extra":1}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer tok" || r.URL.Path != "/api/share" || r.Method != http.MethodGet {
					t.Errorf("request %s %s %q", r.Method, r.URL.Path, r.Header.Get("Authorization"))
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			c, _ := pscctx.New(srv.URL+"/api", nil)
			_, err := c.Read(context.Background(), "tok", psA)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestShareRefusesAnAnswerForAnotherProfessional(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"psId":"`+psB+`","schemaId":"patient-info","bag":{}}`)
	}))
	defer srv.Close()
	c, _ := pscctx.New(srv.URL, nil)
	if _, err := c.SharePatient(context.Background(), "tok", psA, patient()); !errors.Is(err, pscctx.ErrForeignContext) {
		t.Errorf("got %v", err)
	}
}

func TestNewChecksTheBaseURL(t *testing.T) {
	for _, bad := range []string{"", "ftp://x/y", "/relative", "https://x/api?q=1", "https://x/api#f"} {
		if _, err := pscctx.New(bad, nil); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	c, err := pscctx.New("https://ctx.example/api/", nil)
	if err != nil || c.ShareURL() != "https://ctx.example/api/share" {
		t.Errorf("%v %v", c, err)
	}
}

func TestParsePatientInfo(t *testing.T) {
	good := `{"patient":{"patientINS":"1","patientFirstName":"A","patientLastName":"B","patientDOB":"2000-01-31"}}`
	if _, err := pscctx.ParsePatientInfo([]byte(good)); err != nil {
		t.Errorf("good bag: %v", err)
	}
	for name, bad := range map[string]string{
		"unknown top":        `{"patient":{"patientINS":"1","patientFirstName":"A","patientLastName":"B","patientDOB":"2000-01-31"},"x":{}}`,
		"unknown in patient": `{"patient":{"patientINS":"1","patientFirstName":"A","patientLastName":"B","patientDOB":"2000-01-31","x":"1"}}`,
		"other case":         `{"patient":{"PATIENTINS":"1","patientFirstName":"A","patientLastName":"B","patientDOB":"2000-01-31"}}`,
		"no INS":             `{"patient":{"patientFirstName":"A","patientLastName":"B","patientDOB":"2000-01-31"}}`,
		"bad date":           `{"patient":{"patientINS":"1","patientFirstName":"A","patientLastName":"B","patientDOB":"31/01/2000"}}`,
		"ps without id":      `{"ps":{},"patient":{"patientINS":"1","patientFirstName":"A","patientLastName":"B","patientDOB":"2000-01-31"}}`,
		"not json":           `{`,
		"trailing":           good + `{}`,
	} {
		if _, err := pscctx.ParsePatientInfo([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
