// Package pagelangtest checks, for the simulators' tests, that every
// message key their code uses is in their catalogue.
package pagelangtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/infopatient/infopatient/internal/sandbox/internal/pagelang"
)

// keyShape is what a message key looks like: "error.code", "banner".
var keyShape = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$`)

// UsedKeys lists the string literals shaped like keys passed to the
// functions named funcs in the non-test Go files of dir, with where.
func UsedKeys(t *testing.T, dir string, funcs ...string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	used := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch e := call.Fun.(type) {
			case *ast.Ident:
				fn = e.Name
			case *ast.SelectorExpr:
				fn = e.Sel.Name
			}
			if !slices.Contains(funcs, fn) {
				return true
			}
			for _, arg := range call.Args {
				lit, ok := arg.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				if s, err := strconv.Unquote(lit.Value); err == nil && keyShape.MatchString(s) {
					used[s] = fset.Position(lit.Pos()).String()
				}
			}
			return true
		})
	}
	return used
}

// CheckCatalogue fails t for every key used in dir's code (through funcs)
// that the catalogue lacks, and for every key of the catalogue nothing
// uses (besides those listed in extra, used by templates or by name).
func CheckCatalogue(t *testing.T, c *pagelang.Catalogue, dir string, extra []string, funcs ...string) {
	t.Helper()
	used := UsedKeys(t, dir, funcs...)
	if len(used) == 0 {
		t.Fatalf("no message key found in %s: the check is looking at the wrong functions", dir)
	}
	for key, where := range used {
		if !c.Has(key) {
			t.Errorf("%s: key %q is not in the catalogue", where, key)
		}
	}
	for _, key := range extra {
		if !c.Has(key) {
			t.Errorf("key %q is not in the catalogue", key)
		}
	}
	for _, key := range c.Keys() {
		if _, ok := used[key]; !ok && !slices.Contains(extra, key) {
			t.Errorf("catalogue key %q is used nowhere", key)
		}
	}
}

// BuiltOnce calls build from four goroutines at once, as a simulator's
// first requests do (run with -race), and fails unless they all got the
// same value: a catalogue parsed on first use, and only once.
func BuiltOnce[T comparable](t *testing.T, name string, build func() T) {
	t.Helper()
	var wg sync.WaitGroup
	got := make([]T, 4)
	for i := range got {
		wg.Go(func() { got[i] = build() })
	}
	wg.Wait()
	for _, v := range got[1:] {
		if v != got[0] {
			t.Errorf("%s built twice", name)
			return
		}
	}
}
