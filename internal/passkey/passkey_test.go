package passkey_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/infopatient/infopatient/internal/passkey"
	"github.com/infopatient/infopatient/internal/passkey/passkeytest"
)

const base = "https://portail.example.fr"

func newRP(t testing.TB) *passkey.RP {
	t.Helper()
	rp, err := passkey.New(base+"/", "InfoPatient")
	if err != nil {
		t.Fatal(err)
	}
	return rp
}

// accounts is the caller's store, in memory.
type accounts struct{ users []*passkey.User }

func (a *accounts) find(credID, handle []byte) (passkey.User, error) {
	for _, u := range a.users {
		if !bytes.Equal(u.Handle, handle) {
			continue
		}
		for _, c := range u.Credentials {
			if bytes.Equal(c.ID, credID) {
				return *u, nil
			}
		}
	}
	return passkey.User{}, passkey.ErrUnknownCredential
}

// register runs a whole registration for u with auth.
func register(t *testing.T, rp *passkey.RP, auth *passkeytest.Authenticator, u *passkey.User) webauthn.Credential {
	t.Helper()
	opts, state, err := rp.BeginRegistration(*u)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := auth.Create(opts)
	if err != nil {
		t.Fatal(err)
	}
	cred, err := rp.FinishRegistration(*u, state, resp)
	if err != nil {
		t.Fatalf("registration: %v", err)
	}
	u.Credentials = append(u.Credentials, cred)
	return cred
}

func newUser(login string) *passkey.User {
	return &passkey.User{Handle: []byte("handle-" + login), Name: login, DisplayName: "Dr " + login}
}

func TestNewTakesTheRelyingPartyFromTheBaseURL(t *testing.T) {
	for _, tc := range []struct{ base, id, origin string }{
		{"https://portail.example.fr", "portail.example.fr", "https://portail.example.fr"},
		{"https://portail.example.fr/infopatient/", "portail.example.fr", "https://portail.example.fr"},
		{"http://localhost:8080", "localhost", "http://localhost:8080"},
		{"http://127.0.0.1:8080", "localhost", "http://localhost:8080"},
		{"http://[::1]:8080", "localhost", "http://localhost:8080"},
		{"http://127.0.0.1", "localhost", "http://localhost"},
	} {
		rp, err := passkey.New(tc.base, "InfoPatient")
		if err != nil || rp.ID() != tc.id || rp.Origin() != tc.origin {
			t.Errorf("%s: %v %v %v", tc.base, rp, err, tc)
		}
	}
	for _, bad := range []string{"", "portail.example.fr", "ftp://x", "https://", "https://192.0.2.10", "http://[2001:db8::1]:8080"} {
		if _, err := passkey.New(bad, "x"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRegisterThenSignInWithThePasskeyAlone(t *testing.T) {
	rp := newRP(t)
	auth := passkeytest.New(base)
	u := newUser("751234567")
	store := &accounts{users: []*passkey.User{u}}
	cred := register(t, rp, auth, u)
	if cred.Flags.UserVerified != true || cred.AttestationFormat != "none" || len(cred.PublicKey) == 0 {
		t.Errorf("record: %+v", cred)
	}

	// The options ask for a resident key and user verification, and name
	// the relying party by the base URL's host.
	opts, _, _ := rp.BeginRegistration(*u)
	var o struct {
		PublicKey struct {
			RP                     struct{ ID string }
			User                   struct{ ID, Name string }
			AuthenticatorSelection struct{ ResidentKey, UserVerification string }
			ExcludeCredentials     []json.RawMessage
		}
	}
	_ = json.Unmarshal(opts, &o)
	if o.PublicKey.RP.ID != "portail.example.fr" || o.PublicKey.AuthenticatorSelection.ResidentKey != "required" ||
		o.PublicKey.AuthenticatorSelection.UserVerification != "required" || len(o.PublicKey.ExcludeCredentials) != 1 {
		t.Errorf("creation options: %s", opts)
	}
	// The same authenticator is not registered twice.
	if _, err := auth.Create(opts); !errors.Is(err, passkeytest.ErrExcluded) {
		t.Errorf("second registration on one authenticator: %v", err)
	}

	opts, state, err := rp.BeginSignIn(nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(opts, []byte("allowCredentials")) {
		t.Errorf("a discoverable sign-in names credentials: %s", opts)
	}
	resp, err := auth.Get(opts)
	if err != nil {
		t.Fatal(err)
	}
	v, err := rp.FinishSignIn(state, resp, store.find)
	if err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	if v.User.Name != "751234567" || !bytes.Equal(v.Credential.ID, cred.ID) || v.Credential.Authenticator.SignCount != 1 || v.PreviousCount != 0 {
		t.Errorf("verified: %+v", v)
	}
}

func TestSecondStepAsksForTheAccountsOwnPasskey(t *testing.T) {
	rp := newRP(t)
	auth := passkeytest.New(base)
	alice, bob := newUser("751234567"), newUser("131234568")
	store := &accounts{users: []*passkey.User{alice, bob}}
	register(t, rp, auth, alice)
	bobsCred := register(t, rp, auth, bob)

	opts, state, err := rp.BeginSignIn(alice)
	if err != nil {
		t.Fatal(err)
	}
	// The authenticator holds both; it must answer with alice's.
	resp, err := auth.Get(opts)
	if err != nil {
		t.Fatal(err)
	}
	find := func(credID, handle []byte) (passkey.User, error) {
		if !bytes.Equal(handle, alice.Handle) {
			t.Errorf("second step looked up handle %q", handle)
		}
		return *alice, nil
	}
	if v, err := rp.FinishSignIn(state, resp, find); err != nil || v.User.Name != alice.Name {
		t.Fatalf("second step: %+v %v", v, err)
	}

	// Bob's passkey presented in alice's second step: unknown to her.
	_, state, _ = rp.BeginSignIn(alice)
	var s struct{ Challenge string }
	_ = json.Unmarshal(state, &s)
	resp, _ = auth.Assert(auth.Credentials()[1], s.Challenge)
	if _, err := rp.FinishSignIn(state, resp, find); !errors.Is(err, passkey.ErrUnknownCredential) {
		t.Errorf("another account's passkey in a second step: %v", err)
	}
	_ = bobsCred
	_ = store

	// An account without passkeys has no second step to begin.
	if _, _, err := rp.BeginSignIn(newUser("931234565")); !errors.Is(err, passkey.ErrUnknownCredential) {
		t.Errorf("second step with no passkey: %v", err)
	}
}

func TestRefusals(t *testing.T) {
	rp := newRP(t)
	for _, tc := range []struct {
		name string
		// prepare changes the authenticator or the stored records before the
		// sign-in; the response may be replaced.
		prepare func(a *passkeytest.Authenticator, u *passkey.User, store *accounts)
		want    error
	}{
		{"wrong origin", func(a *passkeytest.Authenticator, _ *passkey.User, _ *accounts) {
			a.Origin = "https://portail.example.fr.evil.example"
		}, passkey.ErrRefused},
		{"origin on another port", func(a *passkeytest.Authenticator, _ *passkey.User, _ *accounts) {
			a.Origin = base + ":8443"
		}, passkey.ErrRefused},
		{"no user verification", func(a *passkeytest.Authenticator, _ *passkey.User, _ *accounts) {
			a.NoUserVerification = true
		}, passkey.ErrRefused},
		{"unknown credential", func(_ *passkeytest.Authenticator, _ *passkey.User, store *accounts) {
			store.users = nil
		}, passkey.ErrUnknownCredential},
		{"removed credential", func(_ *passkeytest.Authenticator, u *passkey.User, _ *accounts) {
			u.Credentials = nil
		}, passkey.ErrUnknownCredential},
		{"counter going backwards", func(a *passkeytest.Authenticator, u *passkey.User, _ *accounts) {
			u.Credentials[0].Authenticator.SignCount = 10
			a.Credentials()[0].Counter = 3
		}, passkey.ErrCounter},
		{"counter standing still", func(a *passkeytest.Authenticator, u *passkey.User, _ *accounts) {
			u.Credentials[0].Authenticator.SignCount = 4
			a.Credentials()[0].Counter = 3 // the assertion says 4
		}, passkey.ErrCounter},
		{"backup eligibility changed", func(a *passkeytest.Authenticator, _ *passkey.User, _ *accounts) {
			a.BackupEligible = true
		}, passkey.ErrRefused},
		{"backed up but not eligible", func(a *passkeytest.Authenticator, _ *passkey.User, _ *accounts) {
			a.BackedUp = true
		}, passkey.ErrRefused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			auth := passkeytest.New(base)
			u := newUser("751234567")
			store := &accounts{users: []*passkey.User{u}}
			register(t, rp, auth, u)
			tc.prepare(auth, u, store)
			opts, state, _ := rp.BeginSignIn(nil)
			resp, err := auth.Get(opts)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := rp.FinishSignIn(state, resp, store.find); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// A response answered to one challenge does not pass for another, and
// the same response sent again is caught by its count.
func TestReplay(t *testing.T) {
	rp := newRP(t)
	auth := passkeytest.New(base)
	u := newUser("751234567")
	store := &accounts{users: []*passkey.User{u}}
	register(t, rp, auth, u)
	opts, state, _ := rp.BeginSignIn(nil)
	resp, _ := auth.Get(opts)
	v, err := rp.FinishSignIn(state, resp, store.find)
	if err != nil {
		t.Fatal(err)
	}
	u.Credentials[0] = v.Credential // the caller writes the count back

	_, other, _ := rp.BeginSignIn(nil)
	_, err = rp.FinishSignIn(other, resp, store.find)
	if !errors.Is(err, passkey.ErrRefused) {
		t.Errorf("a response for another challenge: %v", err)
	}
	// The refusal, which is logged, quotes neither challenge.
	for _, st := range [][]byte{state, other} {
		var s struct{ Challenge string }
		_ = json.Unmarshal(st, &s)
		if err != nil && strings.Contains(err.Error(), s.Challenge) {
			t.Errorf("the refusal quotes a challenge: %v", err)
		}
	}
	if _, err := rp.FinishSignIn(state, resp, store.find); !errors.Is(err, passkey.ErrCounter) {
		t.Errorf("the same response again: %v", err)
	}
	// A registration response does not sign in, nor the reverse.
	ropts, rstate, _ := rp.BeginRegistration(*u)
	_ = ropts
	if _, err := rp.FinishRegistration(*u, rstate, resp); !errors.Is(err, passkey.ErrMalformed) {
		t.Errorf("an assertion as a registration: %v", err)
	}
}

func TestStateAndResponseErrors(t *testing.T) {
	rp := newRP(t)
	auth := passkeytest.New(base)
	u := newUser("751234567")
	store := &accounts{users: []*passkey.User{u}}
	register(t, rp, auth, u)
	opts, state, _ := rp.BeginSignIn(nil)
	resp, _ := auth.Get(opts)

	for _, bad := range [][]byte{nil, []byte("{}"), []byte("not json")} {
		if _, err := rp.FinishSignIn(bad, resp, store.find); !errors.Is(err, passkey.ErrNoCeremony) {
			t.Errorf("state %q: %v", bad, err)
		}
		if _, err := rp.FinishRegistration(*u, bad, resp); !errors.Is(err, passkey.ErrNoCeremony) {
			t.Errorf("registration state %q: %v", bad, err)
		}
	}
	var s map[string]any
	_ = json.Unmarshal(state, &s)
	s["expires"] = "2020-01-01T00:00:00Z"
	expired, _ := json.Marshal(s)
	if _, err := rp.FinishSignIn(expired, resp, store.find); !errors.Is(err, passkey.ErrExpired) {
		t.Errorf("expired: %v", err)
	}
	for _, bad := range [][]byte{nil, []byte("{}"), []byte(`{"id":"x","type":"public-key"}`)} {
		if _, err := rp.FinishSignIn(state, bad, store.find); !errors.Is(err, passkey.ErrMalformed) {
			t.Errorf("response %q: %v", bad, err)
		}
	}
	// The refusal says why for the log, and never the challenge.
	auth.Origin = "https://evil.example"
	opts, state, _ = rp.BeginSignIn(nil)
	resp, _ = auth.Get(opts)
	_, err := rp.FinishSignIn(state, resp, store.find)
	var st struct{ Challenge string }
	_ = json.Unmarshal(state, &st)
	if err == nil || bytes.Contains([]byte(err.Error()), []byte(st.Challenge)) {
		t.Errorf("refusal: %v", err)
	}
}

func TestRecordRoundTrip(t *testing.T) {
	rp := newRP(t)
	auth := passkeytest.New(base)
	auth.BackupEligible, auth.BackedUp = true, true
	u := newUser("751234567")
	cred := register(t, rp, auth, u)
	b, err := passkey.MarshalRecord(cred)
	if err != nil {
		t.Fatal(err)
	}
	back, err := passkey.UnmarshalRecord(b)
	if err != nil || !bytes.Equal(back.ID, cred.ID) || !bytes.Equal(back.PublicKey, cred.PublicKey) ||
		!back.Flags.BackupEligible || !back.Flags.BackupState || back.Authenticator.SignCount != cred.Authenticator.SignCount {
		t.Errorf("round trip: %+v %v", back, err)
	}
	if _, err := passkey.UnmarshalRecord([]byte("{")); err == nil {
		t.Error("a broken record read")
	}
	// A synced passkey signs in, its flags kept.
	store := &accounts{users: []*passkey.User{u}}
	u.Credentials[0] = back
	opts, state, _ := rp.BeginSignIn(nil)
	resp, _ := auth.Get(opts)
	if v, err := rp.FinishSignIn(state, resp, store.find); err != nil || !v.Credential.Flags.BackupState {
		t.Errorf("synced passkey: %+v %v", v, err)
	}
}
