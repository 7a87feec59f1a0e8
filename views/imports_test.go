package views

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"
)

// The views render view models that web builds: they never reach into
// the store, so a store change cannot quietly change a page.
func TestViewsDoNotImportTheStore(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	for _, f := range files {
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "github.com/infopatient/infopatient/internal/store" {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
