package pscsim

import (
	"testing"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang/pagelangtest"
)

// TestPagesParsedOnce: the first requests, at the same time, share one
// catalogue and one parse of each page (run with -race).
func TestPagesParsedOnce(t *testing.T) {
	pagelangtest.BuiltOnce(t, "catalogue", catalogue)
	pagelangtest.BuiltOnce(t, "card page", cardPage)
	pagelangtest.BuiltOnce(t, "message page", messagePage)
	pagelangtest.BuiltOnce(t, "sessions page", sessionsPage)
	pagelangtest.BuiltOnce(t, "e-CPS app page", ecpsAppPage)
	if messagePage().Lookup("body") == nil {
		t.Error("a page without its body")
	}
}
