package web

import "testing"

func TestSafeReturnRefusesOtherSites(t *testing.T) {
	for _, evil := range []string{
		"//evil.example", "/\\evil.example", "\\/evil.example", "/%09/evil.example",
		"/%2F%2Fevil.example", "https://evil.example", "javascript:alert(1)", "/ /evil.example",
		"%2F%2Fevil.example", "http:/evil.example", "///evil.example", "/\t/evil.example",
		"evil.example", "//user@evil.example", "/%5Cevil.example", "",
	} {
		if got := safeReturn(evil); got != "/identification" {
			t.Errorf("safeReturn(%q) = %q", evil, got)
		}
	}
}

func TestSafeReturnKeepsOwnPaths(t *testing.T) {
	for in, want := range map[string]string{
		"/historique":           "/historique",
		"/mes-informations?x=1": "/mes-informations?x=1",
		"/identification":       "/identification",
		"/":                     "/identification",
	} {
		if got := safeReturn(in); got != want {
			t.Errorf("safeReturn(%q) = %q, want %q", in, got, want)
		}
	}
}
