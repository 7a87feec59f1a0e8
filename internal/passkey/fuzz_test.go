package passkey_test

import (
	"testing"

	"github.com/infopatient/infopatient/internal/passkey"
	"github.com/infopatient/infopatient/internal/passkey/passkeytest"
)

// The browser's answers are outside input: whatever arrives, the finish
// steps return an error or a verified result, never panic, and nothing
// random signs in.
func FuzzFinish(f *testing.F) {
	rp := newRP(f)
	auth := passkeytest.New(base)
	u := newUser("751234567")
	opts, _, _ := rp.BeginRegistration(*u)
	created, _ := auth.Create(opts)
	opts, _, _ = rp.BeginSignIn(nil)
	asserted, _ := auth.Get(opts)
	f.Add(created)
	f.Add(asserted)
	f.Add([]byte(`{"id":"AA","rawId":"AA","type":"public-key","response":{}}`))
	f.Fuzz(func(t *testing.T, response []byte) {
		_, state, err := rp.BeginSignIn(nil)
		if err != nil {
			t.Fatal(err)
		}
		find := func(_, _ []byte) (passkey.User, error) { return *u, nil }
		if _, err := rp.FinishSignIn(state, response, find); err == nil {
			t.Fatalf("signed in with %q", response)
		}
		_, rstate, _ := rp.BeginRegistration(*u)
		if _, err := rp.FinishRegistration(*u, rstate, response); err == nil {
			t.Fatalf("registered %q", response)
		}
	})
}
