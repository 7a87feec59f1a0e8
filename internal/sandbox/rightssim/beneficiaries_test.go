package rightssim_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/infopatient/infopatient/internal/sandbox/rightssim"
)

const okRecord = `{"id":"x","source":"test","assure_nir":"2840275115023","birth_date":"1984-02-11","rank":1,"quality":"0",
 "usual_name":"A","birth_name":"A","given_name":"B","regime":"01","caisse":"751"}`

func load(t *testing.T, body string) error {
	t.Helper()
	_, err := rightssim.LoadBeneficiaries(fstest.MapFS{"b.json": {Data: []byte(body)}}, "b.json")
	return err
}

func TestLoadRefuses(t *testing.T) {
	if err := load(t, "["+okRecord+"]"); err != nil {
		t.Fatalf("a good record: %v", err)
	}
	tests := []struct{ name, old, new, want string }{
		{"NIR", `"2840275115023"`, `"284027511502"`, "assure_nir"},
		{"certified key", `"rank":1`, `"certified_nir":"284027511502319","rank":1`, "certified_nir"},
		{"date", `"1984-02-11"`, `"11/02/1984"`, "birth_date"},
		{"rank", `"rank":1`, `"rank":10`, "rank"},
		{"quality", `"quality":"0"`, `"quality":"00"`, "quality"},
		{"regime", `"regime":"01"`, `"regime":"1"`, "regime"},
		{"caisse", `"caisse":"751"`, `"caisse":"7510"`, "caisse"},
		{"unknown field", `"rank":1`, `"rang":1,"rank":1`, "unknown field"},
		{"reversed period", `"caisse":"751"`, `"caisse":"751","amo":[{"start":"2020-01-01","end":"2019-01-01"}]`, "amo"},
		{"kind", `"caisse":"751"`, `"caisse":"751","complementary":[{"kind":"CMU","periods":[]}]`, "kind"},
		{"nature", `"caisse":"751"`, `"caisse":"751","coverage":[{"start":"2020-01-01","nature":"X"}]`, "nature"},
		{"note language", `"caisse":"751"`, `"caisse":"751","note":{"fr":"a","de":"b"}`, "note"},
	}
	for _, tt := range tests {
		err := load(t, "["+strings.Replace(okRecord, tt.old, tt.new, 1)+"]")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	second := strings.Replace(okRecord, `"id":"x"`, `"id":"y"`, 1)
	if err := load(t, "["+okRecord+","+second+"]"); err == nil || !strings.Contains(err.Error(), "share") {
		t.Errorf("same key twice: %v", err)
	}
	if err := load(t, "["+okRecord+","+okRecord+"]"); err == nil {
		t.Error("same id twice accepted")
	}
	corsica := strings.Replace(okRecord, `"rank":1`, `"certified_nir":"160012B02077713","rank":1`, 1)
	if err := load(t, "["+corsica+"]"); err != nil {
		t.Errorf("Corsican key: %v", err)
	}
}
