package hinsim

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadIdentitiesShipped(t *testing.T) {
	ids, err := LoadIdentities(os.DirFS("../../../data/sandbox"), "hin-identities.json")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Identity{}
	for _, id := range ids {
		byID[id.HINID] = id
	}
	// cmuster is linked to a demo account, aakeret shows the linking flow.
	if got := byID["cmuster"].DisplayName(); got != "Dr. Claudia Muster" {
		t.Errorf("cmuster is %q", got)
	}
	if byID["cmuster"].Profession != "Médecin" {
		t.Errorf("cmuster profession %q", byID["cmuster"].Profession)
	}
	if _, ok := byID["aakeret"]; !ok {
		t.Error("aakeret missing")
	}
	if len(ids) < 3 {
		t.Errorf("only %d identities", len(ids))
	}
}

func TestLoadIdentitiesRejects(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"not JSON", `{`, "unexpected EOF"},
		{"empty", `[]`, "no identities"},
		{"unknown field", `[{"hin_id":"cmuster","family_name":"M","password":"x"}]`, "unknown field"},
		{"bad hin_id", `[{"hin_id":"C Muster","family_name":"M"}]`, "not a HIN login"},
		{"empty hin_id", `[{"family_name":"M"}]`, "not a HIN login"},
		{"duplicate", `[{"hin_id":"cmuster","family_name":"M"},{"hin_id":"cmuster","family_name":"N"}]`, "twice"},
		{"no family name", `[{"hin_id":"cmuster","given_name":"C"}]`, "family_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"ids.json": {Data: []byte(tt.json)}}
			_, err := LoadIdentities(fsys, "ids.json")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := LoadIdentities(fstest.MapFS{}, "missing.json"); err == nil {
		t.Fatal("missing file accepted")
	}
}

func TestDisplayName(t *testing.T) {
	tests := []struct {
		id   Identity
		want string
	}{
		{Identity{Title: "Dr.", GivenName: "Claudia", FamilyName: "Muster"}, "Dr. Claudia Muster"},
		{Identity{GivenName: "Andrea", FamilyName: "Akeret"}, "Andrea Akeret"},
		{Identity{FamilyName: "Akeret"}, "Akeret"},
	}
	for _, tt := range tests {
		if got := tt.id.DisplayName(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.id, got, tt.want)
		}
	}
}

// The sandbox is the other party: it cannot know which identities the
// portal has linked since. Each note tells what the demo was seeded
// with ("Démo : …"), never a current state ("Non associé"), which a
// second run of the demo would contradict.
func TestNotesTellWhatTheDemoWasSeededWith(t *testing.T) {
	prefix := map[string]string{"fr": "Démo : ", "de": "Demo: ", "en": "Demo: "}
	for _, id := range shippedIdentities(t) {
		for lang, want := range prefix {
			note := id.NoteIn(lang)
			if !strings.HasPrefix(note, want) {
				t.Errorf("%s (%s): note %q does not say what the demo was seeded with", id.HINID, lang, note)
			}
			for _, state := range []string{"Non associé", "Nicht verknüpft", "Not linked", "Linked to demo account"} {
				if strings.Contains(note, state) {
					t.Errorf("%s (%s): note %q states a link the sandbox cannot know", id.HINID, lang, note)
				}
			}
		}
	}
}
