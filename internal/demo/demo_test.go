package demo_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/nir"
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
		if !h.Check(a.PasswordHash, demo.Password) {
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
	// 2B → 18: 97 − (1761219004018 mod 97) = 35, 97 − (2910718033112 mod 97) = 76).
	for nir, key := range map[string]string{"176122A004018": "35", "291072B033112": "76"} {
		p, err := st.PatientByNIR(ctx, nir)
		if err != nil || p.NIRKey != key {
			t.Errorf("%s: key %q, want %q (%v)", nir, p.NIRKey, key, err)
		}
	}
}

// Every demo NIR agrees with its patient's birth date, and a Corsican one
// (2A, 2B) belongs to someone born from 1976, when the departments were
// created: before, Corsica was coded 20.
func TestDemoNIRsMatchTheBirthDates(t *testing.T) {
	b, err := fs.ReadFile(data.Files, "demo/patients.json")
	if err != nil {
		t.Fatal(err)
	}
	var patients []struct {
		NIR       string `json:"nir"`
		BirthDate string `json:"birth_date"`
	}
	if err := json.Unmarshal(b, &patients); err != nil {
		t.Fatal(err)
	}
	for _, p := range patients {
		n, err := nir.Parse(p.NIR)
		if err != nil {
			t.Errorf("%s: %v", p.NIR, err)
			continue
		}
		born, err := time.Parse(time.DateOnly, p.BirthDate)
		if err != nil {
			t.Errorf("%s: %v", p.NIR, err)
			continue
		}
		if n.BirthYear() != born.Year()%100 {
			t.Errorf("%s: NIR year %02d, born %d", p.NIR, n.BirthYear(), born.Year())
		}
		if m, ok := n.BirthMonth(); ok && m != born.Month() {
			t.Errorf("%s: NIR month %v, born in %v", p.NIR, m, born.Month())
		}
		if d := n.Department(); (d == "2A" || d == "2B") && born.Year() < 1976 {
			t.Errorf("%s: department %s, but born in %d", p.NIR, d, born.Year())
		}
	}
}
