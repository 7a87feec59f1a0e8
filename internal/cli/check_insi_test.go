package cli

import (
	"regexp"
	"testing"
)

// In demo mode, check searches ADRUN ZOE in the sandbox's INSi.
func TestCheckCallsINSi(t *testing.T) {
	demoEnv(t)
	_, out, e := run(t, "", "check")
	if !regexp.MustCompile(`(?m)^INSi +rechercherInsAvecTraitsIdentite \(ADRUN ZOE\) +ok .*CR 00`).MatchString(out) {
		t.Errorf("no INSi row:\n%s\n%s", out, e)
	}
}
