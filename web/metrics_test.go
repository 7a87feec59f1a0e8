package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

func TestMetricsCountWhatHappened(t *testing.T) {
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(virginie, demo.Password)
	b.Post("/patient", url.Values{"identifier": {"80756000000000000003"}})
	r := b.Get("/metrics")
	if r.Status != http.StatusOK {
		t.Fatalf("metrics: %d", r.Status)
	}
	for _, want := range []string{
		`infopatient_sign_ins_total{authority="local",outcome="success"} 1`,
		`infopatient_http_requests_total{method="GET",route="/identification",status="200"} 1`,
		`infopatient_covercard_lookups_total{outcome="blocked"} 1`,
		`infopatient_token_refreshes_total{kind="service",outcome="ok"} 1`,
		`go_sql_open_connections{db_name="infopatient"}`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
