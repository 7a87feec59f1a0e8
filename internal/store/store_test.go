package store_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/store"
)

// The store is tested by one suite, run on every backend: SQLite always,
// PostgreSQL when TEST_DATABASE_URL names a server. Every test of the
// suite gets a fresh database of its own (a file, or a schema dropped
// afterwards), so the tests run in parallel.
var suite = []struct {
	name string
	run  func(t *testing.T, db database)
}{
	{"Open", testOpen},
	{"Migrations", testMigrations},
	{"ConcurrentMigrations", testConcurrentMigrations},
	{"MigrationBelowLatest", testMigrationBelowLatest},
	{"Passkeys", testPasskeys},
	{"PasskeyUse", testPasskeyUse},
	{"SecurityEvents", testSecurityEvents},
	{"Accounts", testAccounts},
	{"AccountGLN", testAccountGLN},
	{"LinkIdentityByGLN", testLinkIdentityByGLN},
	{"LinkIdentityByGLNRace", testLinkIdentityByGLNRace},
	{"Identities", testIdentities},
	{"IdentityLinkedOnce", testIdentityLinkedOnce},
	{"AuditTrail", testAuditTrail},
	{"LookupDisplay", testLookupDisplay},
	{"PendingLogins", testPendingLogins},
	{"PendingLoginTakenOnce", testPendingLoginTakenOnce},
	{"Sweep", testSweep},
	{"ProviderSessions", testProviderSessions},
	{"ProviderSessionData", testProviderSessionData},
	{"ProviderTokens", testProviderTokens},
	{"TokenBlobs", testTokenBlobs},
	{"SweepTokens", testSweepTokens},
	{"LockExcludes", testLockExcludes},
	{"LockWaiters", testLockWaiters},
	{"LockPanic", testLockPanic},
	{"RateLimit", testRateLimit},
	{"RateLimitConcurrent", testRateLimitConcurrent},
	{"SignInFailures", testSignInFailures},
	{"SessionStore", testSessionStore},
	{"SessionStaysEnded", testSessionStaysEnded},
	{"SessionEndRace", testSessionEndRace},
	{"LogoutTokens", testLogoutTokens},
	{"SessionCacheCoherence", testSessionCacheCoherence},
	{"Clock", testClock},
}

func TestStore(t *testing.T) { runSuite(t, suite) }

func testOpen(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	want := store.SQLite
	if strings.HasPrefix(db.dsn, "postgres") {
		want = store.Postgres
	}
	if s.Dialect() != want {
		t.Errorf("dialect %q, want %q", s.Dialect(), want)
	}
	if err := s.DB().PingContext(ctx); err != nil {
		t.Errorf("the pool: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if err := s.Ping(ctx); err == nil {
		t.Error("a closed store still answers")
	}
}

func TestOpenSQLiteCreatesTheDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "nested", "infopatient.db")
	s := database{dsn: path}.open(t)
	if s.Dialect() != store.SQLite {
		t.Errorf("dialect %q", s.Dialect())
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
}

func TestOpenRefusesNoDatabase(t *testing.T) {
	if _, err := store.Open(context.Background(), ""); err == nil {
		t.Fatal("an empty DSN opened")
	}
}

// A PostgreSQL server that does not answer fails Open, and the error
// names no password.
func TestOpenPostgresDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	for _, scheme := range []string{"postgres", "postgresql"} {
		_, err := store.Open(context.Background(), scheme+"://infopatient:s3cr3t-pw@"+addr+"/infopatient?connect_timeout=2")
		if err == nil {
			t.Fatalf("%s: opened a closed port", scheme)
		}
		if !strings.Contains(err.Error(), store.Postgres) {
			t.Errorf("%s: the error does not say PostgreSQL: %v", scheme, err)
		}
		if strings.Contains(err.Error(), "s3cr3t-pw") {
			t.Errorf("%s: the error shows the password: %v", scheme, err)
		}
	}
}
