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
	accounts, _ := st.ListAccounts(ctx)
	if len(accounts) != 5 {
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
	// Dr. Hans Weber's account waits for his HIN identity, which its GLN
	// links at his first sign-in (the sandbox's hweber carries that GLN).
	if a, err := st.AccountByGLN(ctx, "7601001000032"); err != nil || a.Login != "756100002" {
		t.Errorf("the account of GLN 7601001000032: %+v %v", a, err)
	}
	if _, err := st.AccountByIdentity(ctx, "hin", "hweber"); err == nil {
		t.Error("hweber is pre-linked: the GLN is to link it")
	}
}
