package web_test

import (
	"net/http"
	"net/url"
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
