package hinsim

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

func withSDS(c *Config) {
	c.Clients[0].TokenGroups = append(append([]string(nil), c.Clients[0].TokenGroups...), SDSTokenGroup)
	ids := append([]Identity(nil), c.Identities...)
	ids[0].GLN, ids[0].VerificationLevel, ids[0].Gender = "7601001000018", "verified", "F"
	c.Identities = ids
}

func (h *harness) self(token string) (int, map[string]any) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.sim.SDSURL()+"/api/public/v1/self/", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

func TestSDSServesTheProfileOfAHinSDSToken(t *testing.T) {
	h := newHarness(t, withSDS)
	a := h.token("", codeForm(h.manualCode(SDSTokenGroup, "cmuster"), ""))
	if a.Status != 200 {
		t.Fatalf("token %d %s", a.Status, a.Raw)
	}
	status, p := h.self(a.AccessToken)
	if status != http.StatusOK {
		t.Fatalf("self: %d %v", status, p)
	}
	c, _ := p["contactId"].(map[string]any)
	if p["loginName"] != "cmuster" || c["firstName"] != "Claudia" || c["lastName"] != "Muster" ||
		c["gln"] != "7601001000018" || c["verificationLevel"] != "verified" || c["gender"] != "F" {
		t.Errorf("profile %v", p)
	}
	// An identity without a GLN has none in its profile.
	a = h.token("", codeForm(h.manualCode(SDSTokenGroup, "aakeret"), ""))
	if _, p = h.self(a.AccessToken); p["loginName"] != "aakeret" || p["contactId"].(map[string]any)["gln"] != nil {
		t.Errorf("profile without GLN %v", p)
	}
}

func TestSDSRefusals(t *testing.T) {
	h := newHarness(t, withSDS)
	if status, _ := h.self(""); status != http.StatusBadRequest {
		t.Errorf("no Authorization: %d", status)
	}
	if status, _ := h.self("nope"); status != http.StatusUnauthorized {
		t.Errorf("unknown token: %d", status)
	}
	// A Covercard token is not an SDS token.
	a := h.token("", codeForm(h.manualCode(testGroup, "cmuster"), ""))
	if status, _ := h.self(a.AccessToken); status != http.StatusForbidden {
		t.Errorf("token of %s: %d", testGroup, status)
	}
	// An expired token.
	a = h.token("", codeForm(h.manualCode(SDSTokenGroup, "cmuster"), ""))
	h.clock.Advance(DefaultAccessTokenTTL)
	if status, _ := h.self(a.AccessToken); status != http.StatusUnauthorized {
		t.Errorf("expired token: %d", status)
	}
	req, _ := http.NewRequest(http.MethodPost, h.sim.SDSURL()+"/api/public/v1/self/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}

func TestIdentitiesRefuseABadGLN(t *testing.T) {
	ids := []Identity{{HINID: "abc", FamilyName: "X", GLN: "76010"}}
	if err := checkIdentities(ids); err == nil {
		t.Error("a 5-digit GLN was accepted")
	}
}
