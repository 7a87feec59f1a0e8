package cluster

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/passkey/passkeytest"
)

// A passkey ceremony begun on one instance finishes on the other: its
// challenge is in the session, in the database; and it answers once, on
// every instance.
func TestPasskeyCeremonyBegunOnOneInstanceFinishesOnTheOther(t *testing.T) {
	c := startCluster(t, options{})
	// The balancer's loopback address is localhost to WebAuthn.
	auth := passkeytest.New(strings.Replace(c.lb.url(), "127.0.0.1", "localhost", 1))

	b := c.browser()
	b.Get(c.a.URL + "/")
	if r := b.Post(c.a.URL+"/login", url.Values{"login": {virginie}, "password": {demo.Password}}); r.Status != http.StatusSeeOther {
		t.Fatalf("password sign-in: %d", r.Status)
	}
	b.Get(c.a.URL + "/compte/securite")
	r := b.Post(c.a.URL+"/compte/securite/cles/options", url.Values{"name": {"Téléphone"}})
	if r.Status != http.StatusOK {
		t.Fatalf("registration options on A: %d", r.Status)
	}
	cred, err := auth.Create([]byte(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	r = b.Post(c.b.URL+"/compte/securite/cles", url.Values{"name": {"Téléphone"}, "credential": {string(cred)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("registration finished on B: %d %q", r.Status, b.Text("passkey-error"))
	}

	o := c.browser()
	o.Get(c.b.URL + "/")
	r = o.Post(c.b.URL+"/auth/passkey/options", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("sign-in options on B: %d", r.Status)
	}
	// As the page's script does: the ceremony started the session, whose
	// CSRF token the answer carries.
	o.Page.Find(`input[name="_csrf"]`).SetAttr("value", r.Header.Get("X-CSRF-Token"))
	answer, err := auth.Get([]byte(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	if r := o.Post(c.a.URL+"/auth/passkey", url.Values{"credential": {string(answer)}}); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("sign-in finished on A: %d → %q %q", r.Status, r.Location, o.Text("login-error"))
	}
	if ok, who := signedInAt(t, o, c.b); !ok || who != "VIRGINIE MEDECIN" {
		t.Errorf("B after the passkey sign-in: signed in %v as %q", ok, who)
	}
	// The same answer again, on the instance that began the ceremony.
	o.Get(c.b.URL + "/")
	if r := o.Post(c.b.URL+"/auth/passkey", url.Values{"credential": {string(answer)}}); r.Status != http.StatusBadRequest {
		t.Errorf("replayed on B: %d", r.Status)
	}
}
