package cli

import (
	"strings"
	"testing"
)

// account create refuses control characters and overlong names.
func TestAccountCreateValidatesNames(t *testing.T) {
	demoEnv(t)
	for _, tc := range []struct {
		flag, value, want string
	}{
		{"-family", "Müller\x1b[2J", "not printable"},
		{"-given", "Zoé\nroot", "not printable"},
		{"-family", strings.Repeat("x", 100000), "at most 100"},
		{"-profession", "Médecin\u200b", "not printable"},
	} {
		args := []string{"account", "create", "-login", "100000002", "-given", "Zoé", "-family", "Müller"}
		args = append(args, tc.flag, tc.value)
		code, _, e := run(t, "a good password\n", args...)
		if code == 0 || !strings.Contains(e, tc.want) {
			t.Errorf("%s %.20q: code %d, %q", tc.flag, tc.value, code, e)
		}
	}
	if code, _, e := run(t, "a good password\n", "account", "create", "-login", "100000002", "-given", " Zoé ", "-family", "Müller-Dubois"); code != 0 {
		t.Fatalf("a good name refused: %s", e)
	}
}

// account list escapes what it prints: a name stored by another way than
// the CLI cannot drive the terminal.
func TestShownEscapesControlCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"Zoé Müller":     "Zoé Müller",
		"evil\x1b[2Jone": `"evil\x1b[2Jone"`,
		"tab\there":      `"tab\there"`,
		"bad\xffutf8":    `"bad\xffutf8"`,
	} {
		if got := shown(in); got != want {
			t.Errorf("shown(%q) = %s, want %s", in, got, want)
		}
	}
}
