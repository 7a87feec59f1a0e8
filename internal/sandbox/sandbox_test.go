package sandbox_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/sandbox"
)

func TestTheThreeSimulatorsAnswerUnderTheirPaths(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	sb, err := sandbox.New(sandbox.Config{BaseURL: srv.URL + "/sandbox", PortalURL: "http://portal.example", Data: data.Files})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/sandbox/", sb)

	resp, err := http.Get(sb.PSCIssuer() + "/.well-known/wallet-openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&d)
	resp.Body.Close()
	if !strings.HasSuffix(sb.PSCIssuer(), "/sandbox/psc/auth/realms/esante-wallet") || d["issuer"] != sb.PSCIssuer() {
		t.Errorf("PSC discovery %v", d["issuer"])
	}
	// HIN refuses a token request without credentials; Covercard one without a token.
	for target, want := range map[string]int{
		sb.HINTokenURL():   http.StatusBadRequest,
		sb.CovercardURL():  http.StatusBadRequest,
		srv.URL + "/other": http.StatusNotFound,
	} {
		resp, err := http.Post(target, "application/x-www-form-urlencoded", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", target, resp.StatusCode, want)
		}
	}
	// The context-sharing API refuses a read without a token with 403, as ANS's does.
	if resp, err := http.Get(sb.PSCContextURL() + "/share"); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("context-sharing API without token: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if !strings.Contains(sb.HINManualURL(), "tokenGroup={tokenGroup}") {
		t.Errorf("manual URL %q", sb.HINManualURL())
	}
	if _, err := sandbox.New(sandbox.Config{BaseURL: "not a url", Data: data.Files}); err == nil {
		t.Error("a relative base URL was accepted")
	}
}
