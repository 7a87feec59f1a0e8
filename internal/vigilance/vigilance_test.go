package vigilance_test

import (
	"errors"
	"testing"

	"github.com/infopatient/infopatient/internal/vigilance"
)

func TestParseStatus(t *testing.T) {
	for _, s := range vigilance.Statuses {
		got, err := vigilance.ParseStatus(string(s))
		if err != nil || got != s {
			t.Errorf("%s: %q, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "qual", "QUALIFIEE", "PROV "} {
		if _, err := vigilance.ParseStatus(bad); !errors.Is(err, vigilance.ErrUnknownStatus) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestStatusRules(t *testing.T) {
	tests := []struct {
		s                        vigilance.Status
		label                    string
		shareable, warn, fromINS bool
	}{
		{vigilance.Provisoire, "Identité provisoire", false, true, false},
		{vigilance.Recuperee, "Identité récupérée", false, true, true},
		{vigilance.Validee, "Identité validée", false, true, false},
		{vigilance.Qualifiee, "Identité qualifiée", true, false, true},
	}
	for _, tt := range tests {
		if tt.s.Label() != tt.label || tt.s.Shareable() != tt.shareable || tt.s.NeedsWarning() != tt.warn || tt.s.FromINSi() != tt.fromINS {
			t.Errorf("%s: label %q shareable %v warn %v fromINSi %v", tt.s, tt.s.Label(), tt.s.Shareable(), tt.s.NeedsWarning(), tt.s.FromINSi())
		}
	}
}

var (
	none      = vigilance.Attributes{}
	homonyme  = vigilance.Attributes{Homonyme: true}
	douteuse  = vigilance.Attributes{Douteuse: true}
	fictive   = vigilance.Attributes{Fictive: true}
	douteHomo = vigilance.Attributes{Douteuse: true, Homonyme: true}
	fictHomo  = vigilance.Attributes{Fictive: true, Homonyme: true}
	fictDoute = vigilance.Attributes{Fictive: true, Douteuse: true}
)

func TestAttributes(t *testing.T) {
	tests := []struct {
		a       vigilance.Attributes
		ok      bool
		blocked bool
	}{
		{none, true, false}, {homonyme, true, false}, {douteuse, true, true}, {fictive, true, true},
		{douteHomo, true, true}, {fictHomo, false, true}, {fictDoute, false, true},
	}
	for _, tt := range tests {
		if err := tt.a.Check(); (err == nil) != tt.ok || (err != nil && !errors.Is(err, vigilance.ErrAttributes)) {
			t.Errorf("%+v: Check %v", tt.a, err)
		}
		if tt.a.Blocked() != tt.blocked {
			t.Errorf("%+v: Blocked %v", tt.a, tt.a.Blocked())
		}
	}
}

func TestRetrieved(t *testing.T) {
	tests := []struct {
		in   vigilance.Identity
		want vigilance.Status
		err  error
	}{
		{vigilance.Identity{Status: vigilance.Provisoire}, vigilance.Recuperee, nil},
		{vigilance.Identity{}, vigilance.Recuperee, nil},
		{vigilance.Identity{Status: vigilance.Validee}, vigilance.Qualifiee, nil},
		{vigilance.Identity{Status: vigilance.Recuperee}, vigilance.Recuperee, nil},
		{vigilance.Identity{Status: vigilance.Qualifiee}, vigilance.Qualifiee, nil},
		{vigilance.Identity{Status: vigilance.Recuperee, Attributes: homonyme}, vigilance.Recuperee, nil},
		{vigilance.Identity{Status: vigilance.Provisoire, Attributes: douteuse}, "", vigilance.ErrBlocked},
		{vigilance.Identity{Status: vigilance.Provisoire, Attributes: fictive}, "", vigilance.ErrBlocked},
		{vigilance.Identity{Status: vigilance.Provisoire, Attributes: douteHomo}, "", vigilance.ErrBlocked},
		{vigilance.Identity{Status: vigilance.Provisoire, Attributes: fictHomo}, "", vigilance.ErrAttributes},
		{vigilance.Identity{Status: "NOPE"}, "", vigilance.ErrUnknownStatus},
	}
	for _, tt := range tests {
		got, err := tt.in.Retrieved()
		if tt.err != nil {
			if !errors.Is(err, tt.err) || got != tt.in {
				t.Errorf("%+v: %+v, %v; want %v and no change", tt.in, got, err, tt.err)
			}
			if err := tt.in.CanQueryINSi(); !errors.Is(err, tt.err) && tt.err != vigilance.ErrUnknownStatus {
				t.Errorf("%+v: CanQueryINSi %v", tt.in, err)
			}
			continue
		}
		if err != nil || got.Status != tt.want || got.Attributes != tt.in.Attributes {
			t.Errorf("%+v: %+v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestValidateAndQualify(t *testing.T) {
	tests := []struct {
		in       vigilance.Identity
		doc      vigilance.Document
		validate vigilance.Status // "" when refused
		vErr     error
		qualify  vigilance.Status
		qErr     error
	}{
		{vigilance.Identity{Status: vigilance.Recuperee}, vigilance.CarteIdentite, vigilance.Qualifiee, nil, vigilance.Qualifiee, nil},
		{vigilance.Identity{Status: vigilance.Recuperee, Attributes: homonyme}, vigilance.Passeport, vigilance.Qualifiee, nil, vigilance.Qualifiee, nil},
		{vigilance.Identity{Status: vigilance.Provisoire}, vigilance.Passeport, vigilance.Validee, nil, "", vigilance.ErrNotRetrieved},
		{vigilance.Identity{Status: vigilance.Validee}, vigilance.CarteSejour, vigilance.Validee, nil, "", vigilance.ErrNotRetrieved},
		{vigilance.Identity{Status: vigilance.Qualifiee}, vigilance.CarteIdentite, "", vigilance.ErrAlreadyQualified, "", vigilance.ErrAlreadyQualified},
		{vigilance.Identity{Status: vigilance.Recuperee}, vigilance.PermisConduire, "", vigilance.ErrLowTrust, "", vigilance.ErrLowTrust},
		{vigilance.Identity{Status: vigilance.Recuperee}, vigilance.CarteMilitaire, "", vigilance.ErrLowTrust, "", vigilance.ErrLowTrust},
		{vigilance.Identity{Status: vigilance.Recuperee}, "XX", "", vigilance.ErrUnknownDocument, "", vigilance.ErrUnknownDocument},
		{vigilance.Identity{Status: vigilance.Recuperee}, "", "", vigilance.ErrUnknownDocument, "", vigilance.ErrUnknownDocument},
		{vigilance.Identity{Status: vigilance.Recuperee, Attributes: douteuse}, vigilance.CarteIdentite, "", vigilance.ErrBlocked, "", vigilance.ErrBlocked},
		{vigilance.Identity{Status: vigilance.Recuperee, Attributes: fictive}, vigilance.CarteIdentite, "", vigilance.ErrBlocked, "", vigilance.ErrBlocked},
		{vigilance.Identity{Status: vigilance.Qualifiee, Attributes: douteHomo}, vigilance.CarteIdentite, "", vigilance.ErrBlocked, "", vigilance.ErrBlocked},
	}
	for _, tt := range tests {
		got, err := tt.in.Validate(tt.doc)
		if tt.vErr != nil {
			if !errors.Is(err, tt.vErr) || got != tt.in {
				t.Errorf("Validate %+v %s: %+v, %v; want %v", tt.in, tt.doc, got, err, tt.vErr)
			}
		} else if err != nil || got.Status != tt.validate {
			t.Errorf("Validate %+v %s: %+v, %v; want %s", tt.in, tt.doc, got, err, tt.validate)
		}
		got, err = tt.in.Qualify(tt.doc)
		if tt.qErr != nil {
			if !errors.Is(err, tt.qErr) || got != tt.in {
				t.Errorf("Qualify %+v %s: %+v, %v; want %v", tt.in, tt.doc, got, err, tt.qErr)
			}
		} else if err != nil || got.Status != tt.qualify {
			t.Errorf("Qualify %+v %s: %+v, %v; want %s", tt.in, tt.doc, got, err, tt.qualify)
		}
	}
}

func TestHighTrustDocuments(t *testing.T) {
	for _, d := range vigilance.HighTrust {
		if err := d.CheckHighTrust(); err != nil {
			t.Errorf("%s: %v", d, err)
		}
	}
	if len(vigilance.HighTrust) != 8 {
		t.Errorf("%d high-trust documents", len(vigilance.HighTrust))
	}
	for _, d := range []vigilance.Document{vigilance.PermisConduire, vigilance.CarnetCirculation, vigilance.CarteMilitaire, vigilance.TiersDeConfiance} {
		if err := d.CheckHighTrust(); !errors.Is(err, vigilance.ErrLowTrust) {
			t.Errorf("%s: %v", d, err)
		}
	}
	if err := vigilance.Document("cn").CheckHighTrust(); !errors.Is(err, vigilance.ErrUnknownDocument) {
		t.Errorf("lower case accepted: %v", err)
	}
}

func TestMarkAndEffective(t *testing.T) {
	q := vigilance.Identity{Status: vigilance.Qualifiee}
	if !q.Shareable() || q.Effective() != vigilance.Qualifiee {
		t.Fatalf("qualified: %+v", q)
	}
	for _, a := range []vigilance.Attributes{douteuse, fictive, douteHomo} {
		// Recorded as qualifiée but marked: shown as provisoire, not shareable.
		marked := vigilance.Identity{Status: vigilance.Qualifiee, Attributes: a}
		if marked.Shareable() || marked.Effective() != vigilance.Provisoire {
			t.Errorf("%+v: shareable %v effective %s", a, marked.Shareable(), marked.Effective())
		}
		got, err := q.Mark(a)
		if err != nil || got.Status != vigilance.Provisoire || got.Attributes != a {
			t.Errorf("Mark %+v: %+v, %v", a, got, err)
		}
	}
	got, err := q.Mark(homonyme)
	if err != nil || got.Status != vigilance.Qualifiee || !got.Shareable() {
		t.Errorf("Mark homonyme: %+v, %v", got, err)
	}
	if got, err := q.Mark(fictHomo); !errors.Is(err, vigilance.ErrAttributes) || got != q {
		t.Errorf("Mark fictive+homonyme: %+v, %v", got, err)
	}
}

func TestFormatMatricule(t *testing.T) {
	tests := []struct{ num, key, want string }{
		{"2751263220749", "74", "2 75 12 63 220 749 74"},
		{"160012B020777", "13", "1 60 01 2B 020 777 13"},
		{" 2751263220749 ", " 74", "2 75 12 63 220 749 74"},
		{"2751263220749", "", "2 75 12 63 220 749"},
		{"12345", "67", "12345 67"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := vigilance.FormatMatricule(tt.num, tt.key); got != tt.want {
			t.Errorf("%q %q: %q, want %q", tt.num, tt.key, got, tt.want)
		}
	}
}

func TestTraitOrder(t *testing.T) {
	want := []vigilance.Trait{vigilance.BirthName, vigilance.FirstGivenName, vigilance.GivenNames, vigilance.Sex, vigilance.BirthDate, vigilance.BirthPlace}
	if len(vigilance.BirthTraits) != len(want) {
		t.Fatalf("%v", vigilance.BirthTraits)
	}
	for i := range want {
		if vigilance.BirthTraits[i] != want[i] {
			t.Fatalf("order %v, want %v", vigilance.BirthTraits, want)
		}
	}
	for _, u := range vigilance.UsedTraits {
		for _, b := range vigilance.BirthTraits {
			if u == b {
				t.Errorf("used trait %d among the birth traits", u)
			}
		}
	}
}

func TestFirstGiven(t *testing.T) {
	tests := map[string]string{
		"PIERRE-ALAIN MURIEL FLORIANT": "PIERRE-ALAIN",
		"CATARINA BELLA":               "CATARINA",
		"  ZOE ":                       "ZOE",
		"":                             "",
	}
	for in, want := range tests {
		if got := vigilance.FirstGiven(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestTypeOf(t *testing.T) {
	tests := map[string]vigilance.MatriculeType{
		"1.2.250.1.213.1.4.8": vigilance.TypeNIR, "1.2.250.1.213.1.4.9": vigilance.TypeNIA,
		"1.2.250.1.213.1.4.10": vigilance.TypeTestNIR, "1.2.250.1.213.1.4.11": vigilance.TypeDemoNIR,
		"1.2.250.1.213.1.4.1": "", "": "",
	}
	for oid, want := range tests {
		if got := vigilance.TypeOf(oid); got != want {
			t.Errorf("%q: %q, want %q", oid, got, want)
		}
	}
}
