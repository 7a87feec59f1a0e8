package hin

import (
	"context"
	"errors"
	"testing"
)

// notFoundErrStore reports absence with its own error, like the portal's.
type notFoundErrStore struct{ *memStore }

var errRowMissing = errors.New("store: not found")

func (s notFoundErrStore) GetToken(ctx context.Context, key string) ([]byte, error) {
	ct, err := s.memStore.GetToken(ctx, key)
	if errors.Is(err, ErrNoToken) {
		return nil, errRowMissing
	}
	return ct, err
}

func TestWithNotFound(t *testing.T) {
	e := newEnv(t)
	raw := notFoundErrStore{newMemStore()}
	// Unadapted, absence looks like a store failure.
	if _, err := NewUserTokens(e.client, raw, e.box).Token(context.Background(), account); errors.Is(err, ErrReauthRequired) {
		t.Fatal("unadapted store understood")
	}
	u := NewUserTokens(e.client, WithNotFound(raw, errRowMissing), e.box)
	if _, err := u.Token(context.Background(), account); !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("%v", err)
	}
	tok := e.signIn("cmuster")
	if err := u.Save(context.Background(), account, tok); err != nil {
		t.Fatal(err)
	}
	if got, err := u.Token(context.Background(), account); err != nil || got != tok.AccessToken {
		t.Fatalf("%q %v", got, err)
	}
	// Other errors pass through.
	raw.getErr = errors.New("disk full")
	if _, err := u.Token(context.Background(), account); err == nil || errors.Is(err, ErrReauthRequired) {
		t.Fatalf("%v", err)
	}
}

func TestRecordDecoding(t *testing.T) {
	tests := []struct {
		in      string
		ok      bool
		hasTok  bool
		comment string
	}{
		{`{"token":{"access_token":"a","expiry":"2026-03-14T10:00:00Z"}}`, true, true, "token"},
		{`{"requested_at":"2026-03-14T10:00:00Z"}`, true, false, "attempt only"},
		{`{"token":{"access_token":""}}`, true, false, "empty token"},
		{`{}`, true, false, "empty"},
		{`not json`, false, false, "garbage"},
		{`{"token":"x"}`, false, false, "wrong shape"},
	}
	for _, tt := range tests {
		r, err := decodeRecord([]byte(tt.in))
		if (err == nil) != tt.ok || (r.Token != nil) != tt.hasTok {
			t.Errorf("%s: %+v %v", tt.comment, r, err)
		}
		if err != nil && !errors.Is(err, errUnreadable) {
			t.Errorf("%s: %v", tt.comment, err)
		}
	}
}
