package hin

import (
	"context"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/secretbox"
)

// rotate gives the env a box with a new key that still opens what the
// current one sealed, as an instance restarted with INFOPATIENT_TOKEN_KEY
// and INFOPATIENT_TOKEN_KEY_PREVIOUS; it returns a box of the new key
// alone.
func (e *env) rotate() (newOnly *secretbox.Box) {
	e.t.Helper()
	oldKey, newKey := e.boxKey, secretbox.GenerateKey()
	var err error
	if e.box, err = secretbox.New(newKey, oldKey); err != nil {
		e.t.Fatal(err)
	}
	e.boxKey = newKey
	if newOnly, err = secretbox.New(newKey); err != nil {
		e.t.Fatal(err)
	}
	return newOnly
}

// A professional's HIN tokens sealed under the previous key keep serving
// after the rotation, and the next refresh seals them with the new key.
func TestUserTokensAcrossARollingKeyRotation(t *testing.T) {
	e := newEnv(t)
	e.useKey(secretbox.GenerateKey())
	tok := e.signIn("cmuster")
	if err := e.userTokens().Save(context.Background(), account, tok); err != nil {
		t.Fatal(err)
	}
	newOnly := e.rotate()
	u := e.userTokens()
	got, err := u.Token(context.Background(), account)
	if err != nil || got != tok.AccessToken {
		t.Fatalf("after the rotation: %q %v", got, err)
	}
	if _, err := newOnly.Open(e.store.raw(userKey(account)), []byte(userKey(account))); err == nil {
		t.Fatal("re-sealed on a read")
	}
	e.clock.Advance(2 * time.Hour)
	fresh, err := u.Token(context.Background(), account)
	if err != nil || fresh == tok.AccessToken {
		t.Fatalf("refresh: %q %v", fresh, err)
	}
	if _, err := newOnly.Open(e.store.raw(userKey(account)), []byte(userKey(account))); err != nil {
		t.Fatalf("the refreshed tokens are not sealed with the new key: %v", err)
	}
	if n := e.sim.Stats().RefreshToken; n != 1 {
		t.Errorf("refresh requests: %d", n)
	}
}

// The practice's token, and the time of its last request, survive the
// rotation: no new client-credentials request.
func TestServiceTokensAcrossARollingKeyRotation(t *testing.T) {
	e := newEnv(t)
	e.useKey(secretbox.GenerateKey())
	first, err := e.serviceTokens(nil).Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.rotate()
	got, err := e.serviceTokens(nil).Token(context.Background())
	if err != nil || got != first {
		t.Fatalf("after the rotation: %q %v", got, err)
	}
	if n := e.sim.Stats().ClientCredentials; n != 1 {
		t.Fatalf("client-credentials requests: %d, want 1", n)
	}
}
