package ctxsim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/ctxsim"
	"github.com/infopatient/infopatient/internal/testclock"
)

// A small RFC 7662 endpoint standing for PSC's: tokens map to psIds; a
// token absent is inactive. It checks the API's Basic credentials.
type introspection struct {
	mu     sync.Mutex
	tokens map[string]string
	calls  int
}

func (in *introspection) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	in.mu.Lock()
	in.calls++
	psID, ok := in.tokens[r.PostFormValue("token")]
	in.mu.Unlock()
	if id, secret, _ := r.BasicAuth(); id != "context-api" || secret != "s3cret" || r.Method != http.MethodPost {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		_, _ = io.WriteString(w, `{"active":false}`)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"active": true, "sub": "f:" + psID, "SubjectNameID": psID})
}

type fixture struct {
	api   *ctxsim.Server
	url   string // …/share
	in    *introspection
	clock *testclock.Clock
}

func newFixture(t testing.TB, mutate ...func(*ctxsim.Config)) *fixture {
	t.Helper()
	in := &introspection{tokens: map[string]string{"tok-a": "899700000001", "tok-b": "899700000002"}}
	isrv := httptest.NewServer(in)
	t.Cleanup(isrv.Close)
	clk := testclock.New(time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC))
	cfg := ctxsim.Config{IntrospectionURL: isrv.URL + "/introspect", ClientID: "context-api", ClientSecret: "s3cret", Now: clk.Now}
	for _, m := range mutate {
		m(&cfg)
	}
	api, err := ctxsim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return &fixture{api: api, url: srv.URL + "/psc-context/share", in: in, clock: clk}
}

func (f *fixture) call(t testing.TB, method, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, f.url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const bagA = `{"ps":{"nationalId":"899700000001","professionalLastName":"MARTIN"},"patient":{"patientINS":"283052A12345678","patientFirstName":"MARIE","patientLastName":"DURAND","patientDOB":"1983-05-12"}}`

func shareBody(psID, schema, bag string) string {
	return `{"psId":"` + psID + `","schemaId":"` + schema + `","bag":` + bag + `}`
}
