package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

// PAUL PHARMACIEN's e-CPS identity (RPPS 99700218904) cannot be linked to
// VIRGINIE MEDECIN's account (RPPS 99700218896) with her password.
func TestECPSIdentityOfAnotherRPPSIsNotLinked(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	pscSignIn(t, b, paulIDNat)
	b.Get("/auth/link")
	r := b.Post("/auth/link", url.Values{"login": {virginie}, "password": {demo.Password}})
	if r.Status != http.StatusForbidden || b.Text("link-error") == "" {
		t.Errorf("linking Paul's e-CPS to Virginie's account: %d %q", r.Status, b.Text("link-error"))
	}
	ids, _ := p.App.Store.IdentitiesOf(t.Context(), accountID(t, p, virginie))
	for _, id := range ids {
		if id.Subject == paulIDNat {
			t.Errorf("linked anyway: %v", ids)
		}
	}
}

// An account takes one identity per authority by its password: with a HIN
// identity already linked, a second one is refused; an administrator links
// more from the command line (store.LinkIdentity, as here).
func TestOneIdentityPerAuthorityByPassword(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	isabelleID := accountID(t, p, isabelle)
	if err := p.App.Store.LinkIdentity(t.Context(), "hin", "ihelper", isabelleID); err != nil {
		t.Fatal(err)
	}
	b := p.NewBrowser(t)
	if r := hinSignIn(t, b, "aakeret"); r.Location != "/auth/link" {
		t.Fatalf("unknown hin_id: %d → %q", r.Status, r.Location)
	}
	b.Get("/auth/link")
	r := b.Post("/auth/link", url.Values{"login": {isabelle}, "password": {demo.Password}})
	if r.Status != http.StatusForbidden || !strings.Contains(b.Text("link-error"), "déjà associé") {
		t.Errorf("a second HIN identity by password: %d %q", r.Status, b.Text("link-error"))
	}
	if ids, _ := p.App.Store.IdentitiesOf(t.Context(), isabelleID); len(ids) != 1 {
		t.Errorf("identities of the account: %v", ids)
	}
}
