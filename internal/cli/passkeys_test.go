package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/store"
)

func TestAccountPasskeys(t *testing.T) {
	demoEnv(t)
	if code, out, e := run(t, "a good password\n", "account", "create", "-login", "100000001", "-given", "Zoé", "-family", "Müller"); code != 0 {
		t.Fatalf("create: %d %s %s", code, out, e)
	}
	code, out, _ := run(t, "", "account", "require-passkey", "100000001")
	if code != 0 || !strings.Contains(out, "must now use a passkey (0 registered; it will be asked to register one") {
		t.Errorf("require: %d %q", code, out)
	}
	// A passkey registered (as the portal would), then listed and reset.
	ctx := context.Background()
	cfg, err := config.FromEnvironment()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, cfg.DSN())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := st.AccountByLogin(ctx, "100000001")
	if _, err := st.AddPasskey(ctx, store.Passkey{AccountID: a.ID, CredentialID: []byte{1}, Name: "Téléphone de Zoé", Record: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if req, _ := st.PasskeyRequired(ctx, a.ID); !req {
		t.Error("require-passkey not stored")
	}
	_ = st.Close()

	code, out, _ = run(t, "", "account", "passkeys", "100000001")
	if code != 0 || !strings.Contains(out, "1 passkey(s), required for this account: true") || !strings.Contains(out, "Téléphone de Zoé") || !strings.Contains(out, "never") {
		t.Errorf("passkeys: %d %q", code, out)
	}
	code, out, _ = run(t, "", "account", "reset-passkeys", "100000001")
	if code != 0 || !strings.HasPrefix(out, "1 passkey(s) of 100000001 removed") {
		t.Errorf("reset: %d %q", code, out)
	}
	if _, out, _ = run(t, "", "account", "passkeys", "100000001"); !strings.Contains(out, "0 passkey(s)") {
		t.Errorf("after reset: %q", out)
	}
	code, out, _ = run(t, "", "account", "require-passkey", "-off", "100000001")
	if code != 0 || !strings.Contains(out, "follows INFOPATIENT_LOCAL_SIGNIN again") {
		t.Errorf("-off: %d %q", code, out)
	}
	if _, out, _ = run(t, "", "account", "passkeys", "100000001"); !strings.Contains(out, "required for this account: false") {
		t.Errorf("after -off: %q", out)
	}

	// Unknown accounts and bad usage.
	for _, args := range [][]string{{"require-passkey", "999"}, {"passkeys", "999"}, {"reset-passkeys", "999"}} {
		if code, _, e := run(t, "", append([]string{"account"}, args...)...); code != 1 || !strings.Contains(e, "not found") {
			t.Errorf("%v: %d %q", args, code, e)
		}
	}
	for _, args := range [][]string{{"require-passkey"}, {"passkeys"}, {"reset-passkeys", "a", "b"}, {"require-passkey", "-x", "1"}} {
		if code, _, _ := run(t, "", append([]string{"account"}, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
