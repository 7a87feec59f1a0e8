package hin

import (
	"fmt"
	"log/slog"
	"time"
)

// Token is what HIN grants: the user's identity comes as HINID (hin_id),
// there is no ID token. RefreshToken may be empty.
type Token struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry"`
	HINID        string    `json:"hin_id,omitempty"`
}

// freshAt reports whether the access token is usable at now with margin
// to spare.
func (t *Token) freshAt(now time.Time, margin time.Duration) bool {
	return t != nil && t.AccessToken != "" && now.Add(margin).Before(t.Expiry)
}

// String shows the token without its secrets, so that a token printed by
// mistake leaks nothing.
func (t Token) String() string {
	return fmt.Sprintf("hin.Token{hin_id=%q expiry=%s refresh=%t}", t.HINID, t.Expiry.Format(time.RFC3339), t.RefreshToken != "")
}

// GoString is String, for %#v.
func (t Token) GoString() string { return t.String() }

// LogValue is what slog prints: never the tokens.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("hin_id", t.HINID),
		slog.Time("expiry", t.Expiry),
		slog.Bool("refresh", t.RefreshToken != ""),
	)
}
