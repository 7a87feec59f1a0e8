package sandbox_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/sandbox"
)

// The sandbox's PSC takes the configured lifetimes, and its e-CPS app
// approves the portal's decoupled sign-ins.
func TestSandboxPSCLifetimesAndECPSApp(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	sb, err := sandbox.New(sandbox.Config{BaseURL: srv.URL + "/sandbox", PortalURL: "http://portal.example", Data: data.Files,
		PSCAccessTokenTTL: 45 * time.Second, PSCRefreshTokenTTL: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/sandbox/", sb)
	call := func(path string, form url.Values) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, sb.PSCIssuer()+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(url.QueryEscape(sandbox.PSCClientID), url.QueryEscape(sandbox.PSCClientSecret))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return m
	}
	const idNat = "899700218896"
	start := call("/protocol/openid-connect/ext/ciba/auth", url.Values{"scope": {"openid scope_all"}, "login_hint": {idNat},
		"binding_message": {"42"}, "channel": {"MOBILE"}, "acr_values": {"eidas1"}})
	id, _ := start["auth_req_id"].(string)
	if id == "" {
		t.Fatalf("start %v", start)
	}
	if !strings.HasPrefix(sb.PSCECPSAppURL(), sb.PSCIssuer()) {
		t.Errorf("e-CPS app %s", sb.PSCECPSAppURL())
	}
	resp, err := http.PostForm(sb.PSCECPSAppURL(), url.Values{"idnat": {idNat}, "req": {id}, "action": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	tok := call("/protocol/openid-connect/token", url.Values{"grant_type": {"urn:openid:params:grant-type:ciba"}, "auth_req_id": {id}})
	if tok["expires_in"] != float64(45) || tok["refresh_expires_in"] != float64(600) {
		t.Errorf("lifetimes %v %v", tok["expires_in"], tok["refresh_expires_in"])
	}
}
