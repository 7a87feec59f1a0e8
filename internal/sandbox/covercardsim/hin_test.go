package covercardsim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
	"github.com/infopatient/infopatient/internal/testclock"
)

// newHINHarness runs the HIN simulator with a Covercard device and an
// ACS device, on a settable clock shared with Covercard.
func newHINHarness(t *testing.T) *hinHarness {
	t.Helper()
	h := &hinHarness{clock: testclock.New(testNow)}
	var sim *hinsim.Server
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sim.ServeHTTP(w, r) }))
	t.Cleanup(h.srv.Close)
	sim, err := hinsim.New(hinsim.Config{
		BaseURL:    h.srv.URL,
		Identities: []hinsim.Identity{{HINID: "cmuster", FamilyName: "Muster"}},
		Devices: []hinsim.Device{
			{ClientID: "cc-device", Secret: "cc#secret", TokenGroup: "hin_covercard"},
			{ClientID: "acs-device", Secret: "acs+secret", TokenGroup: "ACS-Applikation"},
		},
		Now: h.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	h.hin = sim
	return h
}

func (h *hinHarness) deviceToken(t *testing.T, id, secret, group string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	resp, err := http.PostForm(h.hin.TokenURL()+"/"+group, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}

func TestWithHINSimulator(t *testing.T) {
	hh := newHINHarness(t)
	h := newHarness(t, func(c *Config) { c.Tokens = hh.hin; c.Now = hh.clock.Now })
	tok := hh.deviceToken(t, "cc-device", "cc#secret", "hin_covercard")
	if !strings.ContainsAny(tok, "#+") {
		t.Fatalf("token %q has no reserved characters", tok)
	}
	if a := h.lookup(cardZoe, "1", tok); a.Status != 200 {
		t.Fatalf("lookup: %d", a.Status)
	}
	if n := h.sim.Stats().ByHINID["cc-device"]; n != 1 {
		t.Fatalf("by hin_id %v", h.sim.Stats().ByHINID)
	}
	acs := hh.deviceToken(t, "acs-device", "acs+secret", "ACS-Applikation")
	if a := h.lookup(cardZoe, "1", acs); a.Status != 403 {
		t.Fatalf("other token group: %d", a.Status)
	}
	hh.clock.Advance(time.Hour)
	if a := h.lookup(cardZoe, "1", tok); a.Status != 401 {
		t.Fatalf("expired token: %d", a.Status)
	}
	if !hh.hin.RevokeAccessToken(acs) {
		t.Fatal("revoke")
	}
}
