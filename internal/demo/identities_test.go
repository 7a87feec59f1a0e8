package demo_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/password"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/vigilance"
)

// PAT-TROIS is kept qualified, by the demo nurse, against an identity
// card; seeding again changes nothing, even after the identity changed.
func TestSeedIdentitiesKeepsPATTROISQualified(t *testing.T) {
	ctx := t.Context()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, st, password.Hasher{Cost: bcrypt.MinCost}); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedIdentities(ctx, st); err != nil {
		t.Fatal(err)
	}
	p, err := st.PatientIdentityByINS(ctx, "2790351215189", vigilance.OIDTestNIR)
	if err != nil {
		t.Fatal(err)
	}
	nurse, _ := st.AccountByLogin(ctx, "931234565")
	if p.Status != vigilance.Qualifiee || p.Qualification == nil || p.Qualification.Document != vigilance.CarteIdentite ||
		p.Qualification.AccountID != nurse.ID || p.BirthName != "PAT-TROIS" || p.FirstGivenName != "DOMINIQUE" || p.BirthPlace != "63220" {
		t.Fatalf("%+v", p)
	}
	if _, err := st.MarkIdentity(ctx, p.ID, vigilance.Attributes{Homonyme: true}, nurse.ID); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedIdentities(ctx, st); err != nil {
		t.Fatal(err)
	}
	again, _ := st.PatientIdentityByID(ctx, p.ID)
	if !again.Attributes.Homonyme || again.Status != vigilance.Qualifiee {
		t.Errorf("seeding again changed the identity: %+v", again)
	}
	rows, _ := st.RecentLookups(ctx, nurse.ID, 10)
	if len(rows) != 3 { // seeded, qualified, marked
		t.Errorf("%d audit rows: %+v", len(rows), rows)
	}
}
