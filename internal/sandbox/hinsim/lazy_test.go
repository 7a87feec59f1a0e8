package hinsim

import (
	"testing"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang/pagelangtest"
)

// TestPagesParsedOnce: the first requests, at the same time, share one
// catalogue and one parse of each page (run with -race).
func TestPagesParsedOnce(t *testing.T) {
	pagelangtest.BuiltOnce(t, "catalogue", catalogue)
	pagelangtest.BuiltOnce(t, "sign-in page", signInPage)
	pagelangtest.BuiltOnce(t, "error page", errorPage)
	pagelangtest.BuiltOnce(t, "consent page", consentPage)
	pagelangtest.BuiltOnce(t, "code page", codePage)
	if errorPage().Lookup("body") == nil {
		t.Error("a page without its body")
	}
}
