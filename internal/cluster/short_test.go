package cluster

import (
	"flag"
	"fmt"
	"os"
	"testing"
)

// TestMain skips the whole package under go test -short: the cluster tests (two instances on PostgreSQL)
// are the slow outer loop; go test -short ./... is the inner loop.
func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		fmt.Println("cluster: cluster tests (two instances on PostgreSQL) skipped under -short")
		os.Exit(0)
	}
	os.Exit(m.Run())
}
