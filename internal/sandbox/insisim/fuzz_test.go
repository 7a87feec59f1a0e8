package insisim

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseRequest: any body parses to a complete request or to
// errBadRequest, never a panic.
func FuzzParseRequest(f *testing.F) {
	files, _ := filepath.Glob("../../insi/testdata/req_*.xml")
	for _, name := range files {
		b, _ := os.ReadFile(name)
		f.Add(b)
	}
	f.Add([]byte("<x/>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := ParseRequest(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, errBadRequest) {
				t.Fatalf("error kind: %v", err)
			}
			return
		}
		if req.MessageID == "" || (req.Traits == nil) == (req.Card == nil) && req.Traits == nil {
			t.Fatalf("incomplete request accepted: %+v", req)
		}
	})
}

func TestLexicalOK(t *testing.T) {
	for s, want := range map[string]bool{"ADRUN": true, "D'ARTAGNAN DE L'HERAULT": true, "A--B": true, "A---B": false, "Zoé": false, "-A": false, "A ": false, "": false} {
		if lexicalOK(s, 2) != want {
			t.Errorf("%q", s)
		}
	}
}

func TestLoadRefusesBadData(t *testing.T) {
	good := Identity{ID: "x", Source: "s", BirthName: "X", Sex: "M", BirthDate: "2000-01-01", Answers: map[string]string{"A": "01"},
		Shows: map[string]string{"fr": "a", "de": "b", "en": "c"}}
	if err := checkIdentities([]Identity{good}); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*Identity){
		"no source":      func(i *Identity) { i.Source = "" },
		"00 without ins": func(i *Identity) { i.Answers = map[string]string{"A": "00"} },
		"bad code":       func(i *Identity) { i.Answers = map[string]string{"A": "03"} },
		"bad matricule": func(i *Identity) {
			i.INS = &Matricule{Num: "12", Key: "00", OID: "1.2.250.1.213.1.4.8"}
			i.Answers = map[string]string{"A": "00"}
		},
		"no english": func(i *Identity) { i.Shows = map[string]string{"fr": "a", "de": "b"} },
	} {
		id := good
		edit(&id)
		if err := checkIdentities([]Identity{id}); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
