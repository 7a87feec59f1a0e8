package web

import (
	"strings"
	"testing"
)

func TestValidRequestID(t *testing.T) {
	for id, want := range map[string]bool{
		"0f1e2d3c4b5a69788796a5b4c3d2e1f0":     true, // nginx $request_id
		"123e4567-e89b-12d3-a456-426614174000": true,
		"abc_DEF.42":                           true,
		strings.Repeat("a", 64):                true,
		"":                                     false,
		strings.Repeat("a", 65):                false,
		"a b":                                  false,
		"a\nlevel=ERROR":                       false,
		`"quoted"`:                             false,
		"<script>":                             false,
		"é":                                    false,
		"id=forged":                            false,
	} {
		if got := validRequestID(id); got != want {
			t.Errorf("validRequestID(%q) = %v", id, got)
		}
	}
}
