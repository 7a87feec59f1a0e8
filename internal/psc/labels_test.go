package psc

import "testing"

func TestProfessionCode(t *testing.T) {
	for name, want := range map[string]string{
		"Infirmière": "60", " médecin ": "10", "Masseuse-kinésithérapeute": "70",
		"Préparateur en pharmacie": "", "": "",
	} {
		if got := ProfessionCode(name); got != want {
			t.Errorf("ProfessionCode(%q) = %q, want %q", name, got, want)
		}
	}
	// A label the portal shows is read back as its own code.
	for code, label := range professionLabels {
		if got := ProfessionCode(label); got != "" && got != code {
			t.Errorf("the label of %s, %q, reads back as %s", code, label, got)
		}
	}
}
