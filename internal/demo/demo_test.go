package demo_test

import (
	"context"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/password"
	"github.com/infopatient/infopatient/internal/store"
)

func TestSeedIsCompleteAndIdempotent(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	h := password.Hasher{Cost: bcrypt.MinCost}
	for i := 0; i < 2; i++ {
		if err := demo.Seed(ctx, st, h); err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
	}
	if n, _ := st.CountPatients(ctx); n < 20 {
		t.Errorf("%d demo patients", n)
	}
	accounts, _ := st.ListAccounts(ctx)
	if len(accounts) != 4 {
		t.Errorf("%d demo accounts", len(accounts))
	}
	for _, a := range accounts {
		if !password.Check(a.PasswordHash, demo.Password) {
			t.Errorf("%s: the demo password does not open it", a.Login)
		}
	}
	if a, err := st.AccountByIdentity(ctx, "psc", "899700218896"); err != nil || a.Login != "751234567" {
		t.Errorf("VIRGINIE MEDECIN not pre-linked: %v", err)
	}
	if a, err := st.AccountByIdentity(ctx, "hin", "cmuster"); err != nil || a.Login != "756100001" {
		t.Errorf("cmuster not pre-linked: %v", err)
	}
	// Corsica is there, with keys computed the Corsican way (2A → 19,
	// 2B → 18: 97 − (1751219004018 mod 97) = 84, 97 − (2910718033112 mod 97) = 76).
	for nir, key := range map[string]string{"175122A004018": "84", "291072B033112": "76"} {
		p, err := st.PatientByNIR(ctx, nir)
		if err != nil || p.NIRKey != key {
			t.Errorf("%s: key %q, want %q (%v)", nir, p.NIRKey, key, err)
		}
	}
}
