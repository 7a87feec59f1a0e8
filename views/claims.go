package views

import (
	"strconv"
	"time"
)

// timeClaims are the claims whose value is a time, in seconds since the
// Unix epoch (RFC 7519 NumericDate, OpenID Connect auth_time).
var timeClaims = map[string]bool{"exp": true, "iat": true, "nbf": true, "auth_time": true, "updated_at": true}

// claimTime reads a time claim's value, shown beside the raw number.
// Anything else, or a number no sign-in could carry (before 2000, after
// 2200), is not a time.
func claimTime(name, value string) (time.Time, bool) {
	if !timeClaims[name] {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil || n < 946684800 || n > 7258118400 {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// zone is loc, or UTC when none was given.
func zone(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
