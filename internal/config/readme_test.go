package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// variableName is a whole INFOPATIENT_* name; a prefix before a wildcard
// ("INFOPATIENT_PSC_*") is not one.
var variableName = regexp.MustCompile(`\bINFOPATIENT_[A-Z0-9_]*[A-Z0-9]\b`)

// Every INFOPATIENT_* variable the code names is in README.md's
// configuration table: the names are a contract with integrators.
func TestEveryVariableIsInTheREADMETable(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	table := configurationTable(string(readme))
	if len(table) == 0 {
		t.Fatal("README.md has no configuration table under ## Configuration")
	}
	found := map[string]string{} // name → first file naming it
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") && path != root {
			return filepath.SkipDir
		}
		// Tests name their own switches (INFOPATIENT_BROWSER_TESTS), not
		// the portal's configuration.
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for line := range strings.Lines(string(src)) {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue // comments may name the variables of the future
			}
			for _, name := range variableName.FindAllString(line, -1) {
				if _, ok := found[name]; !ok {
					found[name] = path
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 30 {
		t.Fatalf("found only %d variable names in the sources: is the scan broken?", len(found))
	}
	for name, file := range found {
		if !slices.Contains(table, name) {
			t.Errorf("%s (read in %s) is not in README.md's configuration table", name, file)
		}
	}
}

// configurationTable lists the variable names of the table under
// "## Configuration": the first cell of each row, where "(+`_FILE`)"
// adds NAME_FILE.
func configurationTable(readme string) []string {
	_, section, ok := strings.Cut(readme, "\n## Configuration\n")
	if !ok {
		return nil
	}
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	var names []string
	for line := range strings.Lines(section) {
		if !strings.HasPrefix(line, "| `INFOPATIENT_") {
			continue
		}
		cell, _, _ := strings.Cut(line[1:], "|")
		for _, name := range regexp.MustCompile("`(INFOPATIENT_[A-Z0-9_]+)`").FindAllStringSubmatch(cell, -1) {
			names = append(names, name[1])
			if strings.Contains(cell, "(+`_FILE`)") {
				names = append(names, name[1]+"_FILE")
			}
		}
	}
	return names
}
