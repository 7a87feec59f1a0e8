package hin

import (
	"errors"
	"testing"
)

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
