package cli

import (
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// On a database never migrated, check says so and migrates nothing: no
// file, no table, no demo data appear.
func TestCheckChangesNothing(t *testing.T) {
	demoEnv(t)
	dir := os.Getenv("INFOPATIENT_DATA_DIR")
	code, out, e := run(t, "", "check")
	if code != 1 || !regexp.MustCompile(`database +schema +FAILED +\d+ migrations pending`).MatchString(out) {
		t.Fatalf("fresh database: %d\n%s\n%s", code, out, e)
	}
	// The authorities were checked all the same.
	if strings.Count(out, " ok ") < 6 || strings.Count(out, "FAILED") != 1 {
		t.Errorf("the table is not whole:\n%s", out)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the check wrote %v in the data directory", entries)
	}
	// An existing database is read, not migrated.
	db := filepath.Join(dir, "infopatient.db")
	sqlDB, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.Exec(`CREATE TABLE unrelated (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	code, out, _ = run(t, "", "check")
	if code != 1 || !regexp.MustCompile(`(\d+) migrations pending \(version 0 of (\d+)\)`).MatchString(out) {
		t.Errorf("empty database: %d\n%s", code, out)
	}
	var tables int
	if err := sqlDB.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`).Scan(&tables); err != nil || tables != 1 {
		t.Errorf("tables after check: %d %v", tables, err)
	}
	_ = sqlDB.Close()
}

// A database that cannot be reached is one failed line: the authorities
// are still checked and the whole table printed.
func TestCheckWithTheDatabaseDown(t *testing.T) {
	demoEnv(t)
	t.Setenv("INFOPATIENT_DATABASE_URL", "postgres://infopatient:x@127.0.0.1:1/infopatient?connect_timeout=2")
	t.Setenv("INFOPATIENT_TOKEN_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
	code, out, e := run(t, "", "check")
	if code != 1 || !regexp.MustCompile(`database +schema +FAILED +unreachable`).MatchString(out) {
		t.Fatalf("database down: %d\n%s\n%s", code, out, e)
	}
	for _, row := range []string{`(?m)^Pro Santé Connect +discovery +ok`, `(?m)^HIN +token endpoint +ok`, `(?m)^Covercard +validation servlet +ok`,
		`(?m)^HIN directory +profile endpoint +ok +answers HTTP 400`, `(?m)^PSC context sharing +share endpoint +ok +answers HTTP 40`,
		`(?m)^ADRi +rights request +ok +answered with the test beneficiary's rights`} {
		if !regexp.MustCompile(row).MatchString(out) {
			t.Errorf("no %q row:\n%s", row, out)
		}
	}
	if lines := strings.Count(strings.TrimSpace(out), "\n") + 1; lines != 13 {
		t.Errorf("%d lines, want the header and 12 rows (INSi, ADRi, PSC context sharing and HIN's directory included), one line each:\n%s", lines, out)
	}
	if strings.Contains(out, "infopatient:x@") {
		t.Error("the table shows the database password")
	}
}
