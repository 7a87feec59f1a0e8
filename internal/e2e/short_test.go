package e2e

import (
	"flag"
	"fmt"
	"os"
	"testing"
)

// TestMain skips the whole package under go test -short: the browser tests (headless Chromium)
// are the slow outer loop; go test -short ./... is the inner loop.
func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		fmt.Println("e2e: browser tests (headless Chromium) skipped under -short")
		os.Exit(0)
	}
	os.Exit(m.Run())
}
