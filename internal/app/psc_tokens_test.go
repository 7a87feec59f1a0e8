package app

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/infopatient/infopatient/internal/password"
)

// The portal keeps PSC sign-ins' tokens through a keeper over its store;
// a check, which requests no token, has none.
func TestPSCTokenKeeperIsWired(t *testing.T) {
	t.Parallel()
	cfg := loadConfig(t, map[string]string{"INFOPATIENT_DEMO": "true", "INFOPATIENT_ADDR": "127.0.0.1:18081"})
	a, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Hasher: &password.Hasher{Cost: bcrypt.MinCost}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	if a.auth.psc == nil || a.auth.pscTokens == nil {
		t.Fatal("no PSC token keeper")
	}
	if _, err := a.auth.pscTokens.Token(context.Background(), "no-such-session"); err == nil {
		t.Error("a token for a session that never signed in")
	}
	c, err := NewChecker(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if c.auth.pscTokens != nil {
		t.Error("the check keeps tokens")
	}
}
