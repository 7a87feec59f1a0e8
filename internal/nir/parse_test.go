package nir

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		name, input                       string
		body, key, formatted              string
		sex                               Sex
		provisional                       bool
		year                              int
		month                             time.Month // 0: fictitious month
		department, commune, place, order string
		abroad                            bool
	}{
		{
			name: "published example with key", input: "255081416802538",
			body: "2550814168025", key: "38", formatted: "2 55 08 14 168 025 38",
			sex: Female, year: 55, month: time.August,
			department: "14", commune: "168", place: "14168", order: "025",
		},
		{
			name: "born abroad, grouped with spaces", input: "1 78 05 99 330 108 17",
			body: "1780599330108", key: "17", formatted: "1 78 05 99 330 108 17",
			sex: Male, year: 78, month: time.May,
			department: "99", commune: "330", place: "99330", order: "108", abroad: true,
		},
		{
			name: "13 characters, no key", input: "2840275123456",
			body: "2840275123456", key: "24", formatted: "2 84 02 75 123 456 24",
			sex: Female, year: 84, month: time.February,
			department: "75", commune: "123", place: "75123", order: "456",
		},
		{
			name: "Corse-du-Sud 2A with key", input: "185022A12345682",
			body: "185022A123456", key: "82", formatted: "1 85 02 2A 123 456 82",
			sex: Male, year: 85, month: time.February,
			department: "2A", commune: "123", place: "2A123", order: "456",
		},
		{
			name: "Corse-du-Sud lower case, dots", input: "1.76.12.2a.004.018.35",
			body: "176122A004018", key: "35", formatted: "1 76 12 2A 004 018 35",
			sex: Male, year: 76, month: time.December,
			department: "2A", commune: "004", place: "2A004", order: "018",
		},
		{
			name: "Haute-Corse 2B, dashes", input: "2-91-07-2B-033-112-76",
			body: "291072B033112", key: "76", formatted: "2 91 07 2B 033 112 76",
			sex: Female, year: 91, month: time.July,
			department: "2B", commune: "033", place: "2B033", order: "112",
		},
		{
			name: "Guadeloupe 971, no-break spaces", input: "2\u00a084\u00a002\u00a0971\u00a005\u00a0123\u00a012",
			body: "2840297105123", key: "12", formatted: "2 84 02 97 105 123 12",
			sex: Female, year: 84, month: time.February,
			department: "971", commune: "05", place: "97105", order: "123",
		},
		{
			name: "Réunion 974, narrow no-break spaces", input: "1\u202f93\u202f07\u202f974\u202f11\u202f007\u202f46",
			body: "1930797411007", key: "46", formatted: "1 93 07 97 411 007 46",
			sex: Male, year: 93, month: time.July,
			department: "974", commune: "11", place: "97411", order: "007",
		},
		{
			name: "New Caledonia 988", input: "289039880704517",
			body: "2890398807045", key: "17", formatted: "2 89 03 98 807 045 17",
			sex: Female, year: 89, month: time.March,
			department: "988", commune: "07", place: "98807", order: "045",
		},
		{
			name: "Corsica before 1976 coded 20", input: "4010120123456 28",
			body: "4010120123456", key: "28", formatted: "4 01 01 20 123 456 28",
			sex: Female, provisional: true, year: 1, month: time.January,
			department: "20", commune: "123", place: "20123", order: "456",
		},
		{
			name: "fictitious month 22", input: "245220100100126",
			body: "2452201001001", key: "26", formatted: "2 45 22 01 001 001 26",
			sex: Female, year: 45,
			department: "01", commune: "001", place: "01001", order: "001",
		},
		{
			name: "temporary number 7", input: "782069935201438",
			body: "7820699352014", key: "38", formatted: "7 82 06 99 352 014 38",
			sex: Male, provisional: true, year: 82, month: time.June,
			department: "99", commune: "352", place: "99352", order: "014", abroad: true,
		},
		{
			name: "key below 10 keeps its leading zero", input: "1611299100045",
			body: "1611299100045", key: "68", formatted: "1 61 12 99 100 045 68",
			sex: Male, year: 61, month: time.December,
			department: "99", commune: "100", place: "99100", order: "045", abroad: true,
		},
		{
			name: "fictitious month 99, surrounding blanks and tab", input: " \t1999999999999 95\n",
			body: "1999999999999", key: "95", formatted: "1 99 99 99 999 999 95",
			sex: Male, year: 99,
			department: "99", commune: "999", place: "99999", order: "999", abroad: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse(tt.input)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			month, known := n.BirthMonth()
			got := []struct {
				field     string
				got, want any
			}{
				{"String", n.String(), tt.body},
				{"Key", n.Key(), tt.key},
				{"Formatted", n.Formatted(), tt.formatted},
				{"Sex", n.Sex(), tt.sex},
				{"Provisional", n.Provisional(), tt.provisional},
				{"BirthYear", n.BirthYear(), tt.year},
				{"BirthMonth", month, tt.month},
				{"BirthMonth known", known, tt.month != 0},
				{"Department", n.Department(), tt.department},
				{"Commune", n.Commune(), tt.commune},
				{"PlaceCode", n.PlaceCode(), tt.place},
				{"Order", n.Order(), tt.order},
				{"BornAbroad", n.BornAbroad(), tt.abroad},
			}
			for _, g := range got {
				if g.got != g.want {
					t.Errorf("%s = %v, want %v", g.field, g.got, g.want)
				}
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name, input string
		want        error
		position    int
		length      int
	}{
		{"empty", "", ErrLength, 0, 0},
		{"only separators", " . - ", ErrLength, 0, 0},
		{"12 characters", "284027512345", ErrLength, 0, 12},
		{"14 characters", "28402751234562", ErrLength, 0, 14},
		{"16 characters", "2840275123456244", ErrLength, 0, 16},
		{"letter in the body", "28402751234X6", ErrCharacters, 12, 0},
		{"symbol first", "+33284027512345", ErrCharacters, 1, 0},
		{"underscore is no separator", "2_840275123456", ErrCharacters, 2, 0},
		{"invalid UTF-8", "28402\xff75123456", ErrCharacters, 6, 0},
		{"A outside the department", "2840A75123456", ErrCharacters, 5, 13},
		{"A after a 1", "185021A123456", ErrCharacters, 7, 13},
		{"letter first in department", "18502A2123456", ErrCharacters, 6, 13},
		{"C is no Corsican department", "185022C123456", ErrCharacters, 7, 0},
		{"letter in key", "28402751234562A", ErrCharacters, 15, 15},
		{"letter first in key", "2840275123456A2", ErrCharacters, 14, 15},
		{"first digit 0", "0840275123456", ErrSex, 1, 13},
		{"first digit 5", "5840275123456", ErrSex, 1, 13},
		{"first digit 9", "9840275123456", ErrSex, 1, 13},
		{"month 00", "2840075123456", ErrMonth, 4, 13},
		{"month 13", "2841375123456", ErrMonth, 4, 13},
		{"month 19", "2841975123456", ErrMonth, 4, 13},
		{"month 43", "2844375123456", ErrMonth, 4, 13},
		{"month 49", "2844975123456", ErrMonth, 4, 13},
		{"department 00", "2840200123456", ErrDepartment, 6, 13},
		{"wrong key", "284027512345625", ErrKey, 0, 15},
		{"key 00", "284027512345600", ErrKey, 0, 15},
		{"key 98", "284027512345698", ErrKey, 0, 15},
		{"2A key used for 2B", "185022B12345682", ErrKey, 0, 15},
		{"two digits swapped", "248027512345624", ErrKey, 0, 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse(tt.input)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.input, err, tt.want)
			}
			if !n.IsZero() {
				t.Errorf("Parse returned a non-zero NIR with an error: %q", n.String())
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if e.Position != tt.position {
				t.Errorf("Position = %d, want %d", e.Position, tt.position)
			}
			if tt.length != 0 && e.Length != tt.length {
				t.Errorf("Length = %d, want %d", e.Length, tt.length)
			}
		})
	}
}

// Errors end up in logs: they must not repeat the number.
func TestErrorsDoNotContainTheNumber(t *testing.T) {
	for _, input := range []string{"284027512345625", "2840275123456789", "28402751234X6", "5840275123456", "2841375123456"} {
		_, err := Parse(input)
		if err == nil {
			t.Fatalf("Parse(%q) succeeded", input)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "nir: ") {
			t.Errorf("message %q lacks the package prefix", msg)
		}
		for i := 0; i+6 <= len(input); i++ {
			if strings.Contains(msg, input[i:i+6]) {
				t.Errorf("message %q contains part of the number %q", msg, input)
			}
		}
	}
}

func TestZeroValue(t *testing.T) {
	var n NIR
	if !n.IsZero() {
		t.Fatal("zero value is not IsZero")
	}
	for name, got := range map[string]string{
		"String": n.String(), "Key": n.Key(), "Formatted": n.Formatted(),
		"Department": n.Department(), "Commune": n.Commune(), "PlaceCode": n.PlaceCode(), "Order": n.Order(),
	} {
		if got != "" {
			t.Errorf("%s() = %q on the zero value, want empty", name, got)
		}
	}
	if n.BirthYear() != -1 {
		t.Errorf("BirthYear() = %d on the zero value, want -1", n.BirthYear())
	}
	if _, ok := n.BirthMonth(); ok {
		t.Error("BirthMonth() known on the zero value")
	}
	if n.Sex().String() != "unknown" || n.Provisional() || n.BornAbroad() {
		t.Error("zero value reports a sex, a provisional number or a birth abroad")
	}
	if parsed, _ := Parse("2840275123456"); parsed == n || parsed.IsZero() {
		t.Error("a parsed number equals the zero value")
	}
}

func TestSexString(t *testing.T) {
	for s, want := range map[Sex]string{Male: "male", Female: "female", 0: "unknown", 7: "unknown"} {
		if got := s.String(); got != want {
			t.Errorf("Sex(%d).String() = %q, want %q", s, got, want)
		}
	}
}

func TestProvisionalFirstDigits(t *testing.T) {
	for _, tt := range []struct {
		first       string
		sex         Sex
		provisional bool
	}{
		{"1", Male, false}, {"2", Female, false}, {"3", Male, true},
		{"4", Female, true}, {"7", Male, true}, {"8", Female, true},
	} {
		n, err := Parse(tt.first + "840275123456")
		if err != nil {
			t.Fatalf("first digit %s: %v", tt.first, err)
		}
		if n.Sex() != tt.sex || n.Provisional() != tt.provisional {
			t.Errorf("first digit %s: sex %v provisional %v, want %v %v", tt.first, n.Sex(), n.Provisional(), tt.sex, tt.provisional)
		}
	}
}

// Every month value INSEE issues parses; the others do not.
func TestMonths(t *testing.T) {
	for m := 0; m <= 99; m++ {
		input := "284" + formatKey(m) + "75123456"
		if m == 0 {
			input = "2840075123456"
		}
		_, err := Parse(input)
		want := (m >= 1 && m <= 12) || (m >= 20 && m <= 42) || m >= 50
		if (err == nil) != want {
			t.Errorf("month %02d: err = %v, want accepted %v", m, err, want)
		}
	}
}
