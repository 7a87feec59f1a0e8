package rights_test

import (
	"os"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/rights"
)

// fixedNow is the clients' fixed time, as the golden files were written.
var fixedNow = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// config is a client of the ADRi at url with fixed identifiers.
func config(url string) rights.Config {
	return rights.Config{
		URL: url, IDAM: "AM000000", SoftwareName: "InfoPatient", SoftwareVersion: "1.4.0",
		Instance: "0b7c1f3e-1111-4222-8333-444455556666", Emitter: "infopatient-test",
		Now: func() time.Time { return fixedNow }, NewMessageID: func() string { return "uuid:5f0a6c1e-aaaa-4bbb-8ccc-dddddddddddd" },
		Timeout: 2 * time.Second,
	}
}

// mustRequest is a checked request; the test stops if it is refused.
func mustRequest(t testing.TB, assure, birth, rank string) rights.Request {
	t.Helper()
	r, err := rights.NewRequest(assure, birth, rank)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// d is the date s (YYYY-MM-DD).
func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// readFile is testdata/name.
func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
