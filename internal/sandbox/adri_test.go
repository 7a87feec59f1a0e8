package sandbox_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/sandbox"
)

// The ADRi simulator is mounted under the sandbox and listed on the
// index, with its test beneficiaries and the inputs that find them, in
// each language.
func TestADRiMountedAndListed(t *testing.T) {
	sb, srv := serve(t, sandbox.Config{})
	if sb.ADRiURL() != srv.URL+"/sandbox/adri/lps" {
		t.Errorf("ADRi URL %s", sb.ADRiURL())
	}
	resp, err := http.Post(sb.ADRiURL(), "application/soap+xml", strings.NewReader("<not-soap/>"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/soap+xml") {
		t.Errorf("a bad envelope: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for lang, want := range map[string][]string{
		"fr": {"ADRi (droits des patients français)", "NIR assuré 1700647123045 · né(e) le 2001-06-17 · rang 1", "Droits fermés depuis 2012", "Patient de démonstration"},
		"de": {"ADRi (Rechte französischer Patienten)", "Rang 1", "Rechte seit 2012 geschlossen", "Demo-Patient"},
		"en": {"ADRi (French patients' rights)", "rank 2", "Rights closed since 2012", "Demo patient"},
	} {
		_, doc := indexPage(t, sb.URL()+"?lang="+lang)
		if got := strings.TrimSpace(doc.Find(`[data-testid="sandbox-adri-endpoint"] code`).Text()); got != sb.ADRiURL() {
			t.Errorf("%s: endpoint %q", lang, got)
		}
		if !strings.Contains(doc.Find(`[data-testid="sandbox-adri-endpoint"]`).Text(), sandbox.ADRiIDAM) {
			t.Errorf("%s: the IDAM is not given", lang)
		}
		section := doc.Find(`[data-testid="sandbox-adri"]`).Text()
		for _, w := range want {
			if !strings.Contains(section, w) {
				t.Errorf("%s: the ADRi section lacks %q", lang, w)
			}
		}
		if n := doc.Find(`[data-testid="sandbox-adri-beneficiaries"] li`).Length(); n < 30 {
			t.Errorf("%s: %d beneficiaries listed", lang, n)
		}
	}
}
