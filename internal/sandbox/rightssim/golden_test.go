package rightssim_test

import (
	"flag"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The simulator's answers, byte for byte: ADRDEUX GUNTHER (rights closed
// in 2012), an unknown beneficiary, and the fault of an unknown IDAM.
func TestGoldenAnswers(t *testing.T) {
	_, srv := start(t, nil)
	golden := readGolden(t)
	gunther := strings.NewReplacer("2840275115023", "1700647123045", "<urn:Cle>18", "<urn:Cle>51", "<ctxbam:Cle>18", "<ctxbam:Cle>51",
		"1984-02-11", "2001-06-17").Replace(golden)
	tests := []struct{ file, body string }{
		{"answer-gunther.xml", gunther},
		{"answer-unknown.xml", strings.ReplaceAll(golden, "1984-02-11", "1984-02-12")},
		{"fault-idam.xml", strings.Replace(golden, "SANDBOX-IDAM", "OTHER", 1)},
	}
	for _, tt := range tests {
		resp, err := http.Post(srv.URL+"/adri/lps", "application/soap+xml; charset=utf-8", strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if *update {
			if err := os.WriteFile("testdata/"+tt.file, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile("testdata/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs:\n%s", tt.file, got)
		}
	}
}
