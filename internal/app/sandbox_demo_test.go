package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/password"
)

// In demo mode the sandbox's index lists the demo portal's accounts, their
// password and its patients' NIRs: the portal hands them over.
func TestDemoSandboxIndexListsTheDemoAccountsAndNIRs(t *testing.T) {
	t.Parallel()
	cfg := loadConfig(t, map[string]string{"INFOPATIENT_DEMO": "true"})
	a, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Hasher: &password.Hasher{Cost: bcrypt.MinCost}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/sandbox/?lang=en", nil))
	page := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("index: %d", rec.Code)
	}
	accounts, _ := demo.Accounts()
	for _, want := range []string{demo.Password, accounts[0].Login, accounts[0].GivenName + " " + accounts[0].FamilyName,
		"Linked to the e-CPS idNat 899700218896", "Linked to the HIN identity cmuster", "2 84 02 75 115 023", "1984-02-11"} {
		if !strings.Contains(page, want) {
			t.Errorf("the index lacks %q", want)
		}
	}
	if n := strings.Count(page, `data-testid="sandbox-demo-account"`); n != len(accounts) {
		t.Errorf("%d accounts listed, want %d", n, len(accounts))
	}
}
