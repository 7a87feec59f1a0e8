package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

// cardCode12 is a card whose validCard is 12: neither valid (0) nor
// blocked by the insurer (67); Covercard still sends the person, with
// the insurer's billing address and a debtor (a parent).
const cardCode12 = "80756000000000000009"

// A validCard code other than 0 and 67 shows the patient's data with the
// code's meaning, as Elexis does; the billing address, invoicing mode and
// debtor are shown when the answer has them.
func TestCovercardCode12ShowsThePatientAndHowToBill(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.SignIn(claudia, demo.Password)
	if r := lookUp(t, b, cardCode12); r.Status != http.StatusOK {
		t.Fatalf("lookup: %d %s", r.Status, b.Text("identify-error"))
	}
	for id, want := range map[string]string{
		"patient-name":      "Rochat Elise",
		"card-outcome":      "Carte refusée",
		"card-code-meaning": "Code validCard 12 : carte non valable",
		"billing-address":   "1001 Lausanne CH",
		"invoicing":         "Facture au débiteur indiqué",
		"debtor":            "2000 Neuchâtel CH",
	} {
		if got := b.Text(id); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if !strings.HasPrefix(b.Text("billing-address"), "Case postale 1560") || !strings.HasPrefix(b.Text("debtor"), "Marc Rochat") {
		t.Errorf("billing address %q, debtor %q", b.Text("billing-address"), b.Text("debtor"))
	}
	b.Follow(b.Get("/patient?lang=de"))
	if got := b.Text("invoicing"); got != "Rechnung an den genannten Schuldner" {
		t.Errorf("German invoicing %q", got)
	}
	// A valid card says no code meaning, and no invoicing when the answer
	// says nothing of it.
	lookUp(t, b, cardValid)
	if b.Has("card-code-meaning") || b.Has("debtor") {
		t.Error("a valid card shows a code meaning or a debtor")
	}
}
