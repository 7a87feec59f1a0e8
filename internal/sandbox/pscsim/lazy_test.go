package pscsim

import (
	"html/template"
	"sync"
	"testing"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
)

// TestPagesParsedOnce: the first requests, at the same time, share one
// catalogue and one parse of each page (run with -race).
func TestPagesParsedOnce(t *testing.T) {
	var wg sync.WaitGroup
	cats := make([]*pagelang.Catalogue, 4)
	pages := make([]*template.Template, 4)
	for i := range 4 {
		wg.Go(func() {
			cats[i], pages[i] = catalogue(), cardPage()
			if messagePage().Lookup("body") == nil {
				t.Error("a page without its body")
			}
			_ = sessionsPage()
			_ = ecpsAppPage()
		})
	}
	wg.Wait()
	for i := 1; i < 4; i++ {
		if cats[i] != cats[0] || pages[i] != pages[0] {
			t.Fatal("parsed twice")
		}
	}
}
