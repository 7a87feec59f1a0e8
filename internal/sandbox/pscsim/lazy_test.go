package pscsim

import (
	"testing"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang/pagelangtest"
)

// TestCatalogueParsedOnce: the first requests, at the same time, share
// one catalogue (run with -race). The pages are templ components,
// compiled Go: there is nothing of theirs to parse.
func TestCatalogueParsedOnce(t *testing.T) {
	pagelangtest.BuiltOnce(t, "catalogue", catalogue)
}
