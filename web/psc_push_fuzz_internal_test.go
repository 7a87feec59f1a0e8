package web

import "testing"

// The remembered idNats come back from the browser: whatever the cookie
// holds, only idNat-shaped values, at most pushRemembered, each once,
// are offered — never anything that could break the page or the form.
func FuzzRememberedIDNats(f *testing.F) {
	s := bareServer(f)
	f.Add("899700218896")
	f.Add("899700218896.899700218904.899700218896")
	f.Add("<script>.899700218896")
	f.Add("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p")
	f.Add("")
	f.Fuzz(func(t *testing.T, value string) {
		c := contextWith(s, map[string]string{pushCookie: value}, nil)
		got := rememberedIDNats(c)
		if len(got) > pushRemembered {
			t.Fatalf("%d idNats offered", len(got))
		}
		seen := map[string]bool{}
		for _, id := range got {
			if !idNatForm.MatchString(id) || seen[id] {
				t.Fatalf("offered %q from %q", id, value)
			}
			seen[id] = true
		}
	})
}
