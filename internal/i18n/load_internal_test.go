package i18n

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadLanguageMergesAreaFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"locales/fr/a.json": {Data: []byte(`{"a.one": "un"}`)},
		"locales/fr/b.json": {Data: []byte(`{"b.two": "deux"}`)},
	}
	m, err := loadLanguage(fsys, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if m["a.one"] != "un" || m["b.two"] != "deux" || len(m) != 2 {
		t.Fatalf("merged catalogue = %v", m)
	}
}

func TestLoadLanguageRefusesAKeyDefinedTwice(t *testing.T) {
	fsys := fstest.MapFS{
		"locales/fr/a.json": {Data: []byte(`{"same": "un"}`)},
		"locales/fr/b.json": {Data: []byte(`{"same": "deux"}`)},
	}
	if _, err := loadLanguage(fsys, "fr"); err == nil || !strings.Contains(err.Error(), `"same"`) {
		t.Fatalf("err = %v, want the duplicate key named", err)
	}
}

func TestLoadLanguageRefusesAnEmptyLanguage(t *testing.T) {
	if _, err := loadLanguage(fstest.MapFS{}, "fr"); err == nil {
		t.Fatal("a language without a file loaded")
	}
}
