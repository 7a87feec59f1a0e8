package covercard

import "testing"

// The machine names are stored in the audit table and used as metric
// labels and message keys: they must not change.
func TestStableNames(t *testing.T) {
	tests := []struct {
		got  interface{ String() string }
		want string
	}{
		{Valid, "valid"}, {Blocked, "blocked"}, {Expired, "expired"}, {UnknownCard, "unknown"},
		{VVGOnly, "vvg_only"}, {Invalid, "invalid"}, {Outcome(42), "outcome(42)"},
		{SexFemale, "female"}, {SexMale, "male"}, {SexUnknown, "unknown"}, {Sex(9), "unknown"},
		{ModelStandard, "standard"}, {ModelFamilyDoctor, "family_doctor"}, {ModelHMO, "hmo"},
		{ModelList, "list"}, {ModelOther, "other"}, {ModelUnknown, "unknown"}, {ModelNone, "unknown"}, {KVGModel(7), "unknown"},
		{AccidentCovered, "yes"}, {AccidentNotCovered, "no"}, {AccidentUnknown, "unknown"},
		{RestrictionNone, "none"}, {RestrictionTiersGarant1, "tiers_garant"}, {RestrictionTiersGarant2, "tiers_garant"},
		{RestrictionTiersGarant3, "tiers_garant"}, {RestrictionSuspended, "suspended"}, {RestrictionUnknown, "unknown"},
	}
	for _, tt := range tests {
		if s := tt.got.String(); s != tt.want {
			t.Errorf("%T(%v).String() = %q, want %q", tt.got, tt.got, s, tt.want)
		}
	}
}

func TestCodes(t *testing.T) {
	tests := []struct{ got, want string }{
		{ModelFamilyDoctor.Code(), "02"}, {ModelUnknown.Code(), "99"}, {ModelNone.Code(), ""},
		{RestrictionNone.Code(), "00"}, {RestrictionSuspended.Code(), "04"}, {RestrictionUnknown.Code(), ""}, {Restriction(12).Code(), ""},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestParseCodes(t *testing.T) {
	sexes := map[string]Sex{"1": SexFemale, "01": SexFemale, " 2 ": SexMale, "0": SexUnknown, "9": SexUnknown, "": SexUnknown, "F": SexUnknown}
	for in, want := range sexes {
		if got := parseSex(in); got != want {
			t.Errorf("parseSex(%q) = %v, want %v", in, got, want)
		}
	}
	restrictions := map[string]Restriction{
		"00": RestrictionNone, "0": RestrictionNone, "01": RestrictionTiersGarant1, "03": RestrictionTiersGarant3,
		"04": RestrictionSuspended, "05": RestrictionUnknown, "": RestrictionUnknown, "-1": RestrictionUnknown, "x": RestrictionUnknown,
	}
	for in, want := range restrictions {
		if got := parseRestriction(in); got != want {
			t.Errorf("parseRestriction(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestAHVFormatted(t *testing.T) {
	tests := map[string]string{
		"7561234567897":    "756.1234.5678.97",
		"756.1234.5678.97": "756.1234.5678.97",
		"756123456789":     "756123456789",
		"75612345678AB":    "75612345678AB",
		"":                 "",
	}
	for in, want := range tests {
		p := &InsuredPerson{AHVNumber: in}
		if got := p.AHVFormatted(); got != want {
			t.Errorf("AHVFormatted(%q) = %q, want %q", in, got, want)
		}
	}
}
