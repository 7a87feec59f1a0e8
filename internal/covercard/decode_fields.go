package covercard

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseDate reads YYYY-MM-DD, tolerating a time or zone suffix
// ("2030-12-31T00:00:00", "2030-12-31+01:00"). Empty gives the zero time.
// The error names the field, never the value.
func parseDate(field, value string) (time.Time, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return time.Time{}, nil
	}
	if len(value) > len(time.DateOnly) && !strings.ContainsRune("T +-Z", rune(value[len(time.DateOnly)])) {
		return time.Time{}, fmt.Errorf("%w: %s is not a date", ErrMalformed, field)
	}
	d, err := time.Parse(time.DateOnly, value[:min(len(value), len(time.DateOnly))])
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %s is not a date", ErrMalformed, field)
	}
	return d, nil
}

// civilDay returns now's calendar day, in now's location, as midnight UTC
// to compare with the dates parseDate returns.
func civilDay(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// parseCode reads a numeric code such as "0", "02" or "67".
func parseCode(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if !allDigits(s) || len(s) > 4 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func parseSex(s string) Sex {
	switch n, _ := parseCode(s); n {
	case int(SexFemale):
		return SexFemale
	case int(SexMale):
		return SexMale
	}
	return SexUnknown
}

func parseRestriction(s string) Restriction {
	n, ok := parseCode(s)
	if !ok || n > int(RestrictionSuspended) {
		return RestrictionUnknown
	}
	return Restriction(n)
}
