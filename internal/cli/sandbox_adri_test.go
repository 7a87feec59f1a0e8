package cli

import (
	"net/http"
	"strings"
	"testing"
)

// The sandbox prints the ADRi endpoint and IDAM the portal is to be given,
// on its public address; the endpoint answers through the listen address.
func TestSandboxCommandPrintsADRi(t *testing.T) {
	printed, listen := startSandbox(t, "-addr", "127.0.0.1:0", "-base-url", "https://sandbox.example/demo/")
	if got := printedVar(t, printed, "INFOPATIENT_ADRI_URL"); got != "https://sandbox.example/demo/adri/lps" {
		t.Errorf("INFOPATIENT_ADRI_URL=%s", got)
	}
	if got := printedVar(t, printed, "INFOPATIENT_ADRI_IDAM"); got != "INFOPATIENT-SANDBOX" {
		t.Errorf("INFOPATIENT_ADRI_IDAM=%s", got)
	}
	resp, err := http.Post("http://"+listen+"/demo/adri/lps", "application/soap+xml", strings.NewReader("<x/>"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("ADRi through the listen address: %d", resp.StatusCode)
	}
}
