package covercard

import (
	"errors"
	"regexp"
	"testing"
)

const zoeCard = "80756015600012345678"

func TestParseCardNumberAccepts(t *testing.T) {
	tests := map[string]string{
		"bare":                   zoeCard,
		"grouped by five":        "80756 01560 00123 45678",
		"dots and dashes":        "80756.01560-00123-45678",
		"no-break spaces":        "80756\u00a001560\u00a000123\u00a045678",
		"surrounding blanks":     "  80756015600012345678\t",
		"scanner end sentinel ?": "80756015600012345678?",
		"scanner suffix ;":       "80756015600012345678;",
		"scanner CRLF":           "80756015600012345678\r\n",
		"scanner LF":             "80756015600012345678\n",
		"end sentinel then CRLF": "80756015600012345678?\r\n",
		"track 2 sentinels":      ";80756015600012345678?",
		"track 1 start sentinel": "%80756015600012345678?",
		"start sentinel alone":   ";80756015600012345678",
		"sentinels and blanks":   " ; 80756 01560 00123 45678 ?\r\n",
		"tab after":              "80756015600012345678\t",
		"check letter after":     "80756015600012345678K",
		"track 2 data after =":   ";80756015600012345678=2512?",
		"track 1 data after ^":   "%80756015600012345678^MULLER/ZOE^2512?",
		"two end sentinels":      "80756015600012345678??",
		"dot after":              "80756015600012345678.",
		"text after":             "80756015600012345678 Müller",
	}
	for name, input := range tests {
		got, err := ParseCardNumber(input)
		if err != nil || got != zoeCard {
			t.Errorf("%s: ParseCardNumber(%q) = %q, %v; want %s", name, input, got, err, zoeCard)
		}
	}
}

func TestParseCardNumberRefuses(t *testing.T) {
	tests := []struct {
		name, input string
		want        error
	}{
		{"empty", "", ErrCardFormat},
		{"too short", "8075601560001234567", ErrCardFormat},
		{"much too short", "80756", ErrCardFormat},
		{"two extra digits", "8075601560001234567812", ErrCardFormat},
		{"extra group typed", "80756 01560 00123 45678 90", ErrCardFormat},
		{"two scans in one field", "80756015600012345678\r\n80756015600012345678", ErrCardFormat},
		{"letter inside", "80756O15600012345678", ErrCardFormat},
		{"letters only", "carte vitale", ErrCardFormat},
		{"21 digits", "807560156000123456781", ErrCardFormat},
		{"21 digits, the typo first", "880756015600012345678", ErrCardFormat},
		{"check digit then CR", "807560156000123456787\r", ErrCardFormat},
		{"21st digit after a separator", "80756015600012345678 7?", ErrCardFormat},
		{"digits cut by a letter", "8075601560001234567K8", ErrCardFormat},
		{"two start sentinels", ";;80756015600012345678", ErrCardFormat},
		{"sentinel inside", "80756 01560;00123 45678", ErrCardFormat},
		{"unknown start character", "#80756015600012345678", ErrCardFormat},
		{"dash before", "-80756015600012345678", ErrCardFormat},
		{"non-ASCII digits", "80756015600012345678١", ErrCardFormat},
		{"sentinels only", ";?", ErrCardFormat},
		{"not a health card", "12345678901234567890", ErrCardFormat},
		{"German card", "80276001234567890123", ErrNotSwissCard},
		{"French card", "80250001234567890123", ErrNotSwissCard},
		{"Swiss digits misplaced", "80075601560001234567", ErrNotSwissCard},
	}
	digitRun := regexp.MustCompile(`\d{6,}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCardNumber(tt.input)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseCardNumber(%q) = %q, %v; want %v", tt.input, got, err, tt.want)
			}
			if got != "" {
				t.Errorf("returned %q with an error", got)
			}
			if digitRun.MatchString(err.Error()) {
				t.Errorf("error %q repeats the number", err)
			}
		})
	}
}

func TestLooksLikeCardNumber(t *testing.T) {
	tests := map[string]bool{
		zoeCard:                       true,
		"80756 01560 00123 45678":     true,
		"80756015600012345678;":       true,
		";80756015600012345678?":      true,
		"%80756015600012345678?":      true,
		"807560156000123456781":       true,  // 21 digits: the card's error message
		"8075601560001234":            true,  // 16 digits: a mistyped card
		"80276001234567890123":        true,  // a card, though not Swiss
		"807560156000123":             false, // 15 characters: a NIR (woman, provisional, 2007)
		"8075675123456":               false, // 13: a NIR
		"2 84 02 75 123 456 24":       false,
		"185022A12345682":             false,
		"12345678901234567890":        false, // long, but no card prefix: the NIR parser answers
		"":                            false,
		"carte 80756015600012345678":  false,
		"80756-01560-00123-45678\r\n": true,
	}
	for input, want := range tests {
		if got := LooksLikeCardNumber(input); got != want {
			t.Errorf("LooksLikeCardNumber(%q) = %v, want %v", input, got, want)
		}
	}
}
