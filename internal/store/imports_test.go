package store_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/store"
)

// The store keeps PSC sign-ins' sealed tokens beside their ID tokens;
// the check lives here so that the store itself imports no client.
var _ psc.TokenStore = (*store.Store)(nil)

// The store imports no client of an authority (docs/architecture.md):
// app adapts it to what the clients need, so a client change never
// reaches the database code.
func TestStoreImportsNoClient(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	clients := []string{"psc", "hin", "covercard", "insi", "rights", "pscctx", "outbound"}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, c := range clients {
				if p == "github.com/infopatient/infopatient/internal/"+c {
					t.Errorf("%s imports %s", f, p)
				}
			}
		}
	}
}
