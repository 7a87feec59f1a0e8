package cluster

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A HIN sign-in whose directory step starts on one instance and comes
// back to the other: the step waits in the session and its state in the
// database, both shared; Dr. Hans Weber's GLN links his identity to his
// account on the way.
func TestHINDirectoryStepAcrossInstances(t *testing.T) {
	c := startCluster(t, options{hinDirectory: true})
	b := c.browser()
	callback := hinCallback(t, b, c.a.URL+"/auth/hin/login", "hweber")
	r := b.Get(on(t, c.a, callback))
	if r.Status != http.StatusFound || !strings.Contains(r.Location, "/GetAuthCode/hin_sds?") {
		t.Fatalf("callback on A: %d → %q", r.Status, r.Location)
	}
	page := r.Location
	r = b.Get(page)
	action, pending := formOf(t, r, page)
	r = b.Post(action, url.Values{"pending": {pending}, "decision": {"yes"}})
	if !strings.Contains(r.Location, "/auth/hin/callback?") {
		t.Fatalf("the directory's consent: %d → %q", r.Status, r.Location)
	}
	if r = b.Get(on(t, c.b, r.Location)); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("the directory's callback on B: %d → %q", r.Status, r.Location)
	}
	if ok, who := signedInAt(t, b, c.a); !ok || who != "HANS WEBER" {
		t.Errorf("instance A after the sign-in: signed in %v as %q", ok, who)
	}
	if a, err := c.a.App.Store.AccountByIdentity(t.Context(), "hin", "hweber"); err != nil || a.Login != "756100002" {
		t.Errorf("hweber linked to %+v %v", a, err)
	}
	if got := c.sandbox.HIN.Stats(); got.AuthorizationCode != 2 {
		t.Errorf("the simulator saw %+v", got)
	}
}
