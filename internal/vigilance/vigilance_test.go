package vigilance_test

import (
	"errors"
	"testing"

	. "github.com/infopatient/infopatient/internal/vigilance"
)

func TestParseStatus(t *testing.T) {
	for _, s := range Statuses {
		got, err := ParseStatus(string(s))
		if err != nil || got != s {
			t.Errorf("%s: %q, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "qual", "QUALIFIEE", "PROV "} {
		if _, err := ParseStatus(bad); !errors.Is(err, ErrUnknownStatus) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestStatusRules(t *testing.T) {
	tests := []struct {
		s                        Status
		label                    string
		shareable, warn, fromINS bool
	}{
		{Provisoire, "Identité provisoire", false, true, false},
		{Recuperee, "Identité récupérée", false, true, true},
		{Validee, "Identité validée", false, true, false},
		{Qualifiee, "Identité qualifiée", true, false, true},
	}
	for _, tt := range tests {
		if tt.s.Label() != tt.label || tt.s.Shareable() != tt.shareable || tt.s.NeedsWarning() != tt.warn || tt.s.FromINSi() != tt.fromINS {
			t.Errorf("%s: label %q shareable %v warn %v fromINSi %v", tt.s, tt.s.Label(), tt.s.Shareable(), tt.s.NeedsWarning(), tt.s.FromINSi())
		}
	}
}

var (
	none      = Attributes{}
	homonyme  = Attributes{Homonyme: true}
	douteuse  = Attributes{Douteuse: true}
	fictive   = Attributes{Fictive: true}
	douteHomo = Attributes{Douteuse: true, Homonyme: true}
	fictHomo  = Attributes{Fictive: true, Homonyme: true}
	fictDoute = Attributes{Fictive: true, Douteuse: true}
)

func TestAttributes(t *testing.T) {
	tests := []struct {
		a       Attributes
		ok      bool
		blocked bool
	}{
		{none, true, false}, {homonyme, true, false}, {douteuse, true, true}, {fictive, true, true},
		{douteHomo, true, true}, {fictHomo, false, true}, {fictDoute, false, true},
	}
	for _, tt := range tests {
		if err := tt.a.Check(); (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrAttributes)) {
			t.Errorf("%+v: Check %v", tt.a, err)
		}
		if tt.a.Blocked() != tt.blocked {
			t.Errorf("%+v: Blocked %v", tt.a, tt.a.Blocked())
		}
	}
}

func TestRetrieved(t *testing.T) {
	tests := []struct {
		in   Identity
		want Status
		err  error
	}{
		{Identity{Status: Provisoire}, Recuperee, nil},
		{Identity{}, Recuperee, nil},
		{Identity{Status: Validee}, Qualifiee, nil},
		{Identity{Status: Recuperee}, Recuperee, nil},
		{Identity{Status: Qualifiee}, Qualifiee, nil},
		{Identity{Status: Recuperee, Attributes: homonyme}, Recuperee, nil},
		{Identity{Status: Provisoire, Attributes: douteuse}, "", ErrBlocked},
		{Identity{Status: Provisoire, Attributes: fictive}, "", ErrBlocked},
		{Identity{Status: Provisoire, Attributes: douteHomo}, "", ErrBlocked},
		{Identity{Status: Provisoire, Attributes: fictHomo}, "", ErrAttributes},
		{Identity{Status: "NOPE"}, "", ErrUnknownStatus},
	}
	for _, tt := range tests {
		got, err := tt.in.Retrieved()
		if tt.err != nil {
			if !errors.Is(err, tt.err) || got != tt.in {
				t.Errorf("%+v: %+v, %v; want %v and no change", tt.in, got, err, tt.err)
			}
			if err := tt.in.CanQueryINSi(); !errors.Is(err, tt.err) && tt.err != ErrUnknownStatus {
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
		in       Identity
		doc      Document
		validate Status // "" when refused
		vErr     error
		qualify  Status
		qErr     error
	}{
		{Identity{Status: Recuperee}, CarteIdentite, Qualifiee, nil, Qualifiee, nil},
		{Identity{Status: Recuperee, Attributes: homonyme}, Passeport, Qualifiee, nil, Qualifiee, nil},
		{Identity{Status: Provisoire}, Passeport, Validee, nil, "", ErrNotRetrieved},
		{Identity{Status: Validee}, CarteSejour, Validee, nil, "", ErrNotRetrieved},
		{Identity{Status: Qualifiee}, CarteIdentite, "", ErrAlreadyQualified, "", ErrAlreadyQualified},
		{Identity{Status: Recuperee}, PermisConduire, "", ErrLowTrust, "", ErrLowTrust},
		{Identity{Status: Recuperee}, CarteMilitaire, "", ErrLowTrust, "", ErrLowTrust},
		{Identity{Status: Recuperee}, "XX", "", ErrUnknownDocument, "", ErrUnknownDocument},
		{Identity{Status: Recuperee}, "", "", ErrUnknownDocument, "", ErrUnknownDocument},
		{Identity{Status: Recuperee, Attributes: douteuse}, CarteIdentite, "", ErrBlocked, "", ErrBlocked},
		{Identity{Status: Recuperee, Attributes: fictive}, CarteIdentite, "", ErrBlocked, "", ErrBlocked},
		{Identity{Status: Qualifiee, Attributes: douteHomo}, CarteIdentite, "", ErrBlocked, "", ErrBlocked},
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
	for _, d := range HighTrust {
		if err := d.CheckHighTrust(); err != nil {
			t.Errorf("%s: %v", d, err)
		}
	}
	if len(HighTrust) != 8 {
		t.Errorf("%d high-trust documents", len(HighTrust))
	}
	for _, d := range []Document{PermisConduire, CarnetCirculation, CarteMilitaire, TiersDeConfiance} {
		if err := d.CheckHighTrust(); !errors.Is(err, ErrLowTrust) {
			t.Errorf("%s: %v", d, err)
		}
	}
	if err := Document("cn").CheckHighTrust(); !errors.Is(err, ErrUnknownDocument) {
		t.Errorf("lower case accepted: %v", err)
	}
}

func TestMarkAndEffective(t *testing.T) {
	q := Identity{Status: Qualifiee}
	if !q.Shareable() || q.Effective() != Qualifiee {
		t.Fatalf("qualified: %+v", q)
	}
	for _, a := range []Attributes{douteuse, fictive, douteHomo} {
		// Recorded as qualifiée but marked: shown as provisoire, not shareable.
		marked := Identity{Status: Qualifiee, Attributes: a}
		if marked.Shareable() || marked.Effective() != Provisoire {
			t.Errorf("%+v: shareable %v effective %s", a, marked.Shareable(), marked.Effective())
		}
		got, err := q.Mark(a)
		if err != nil || got.Status != Provisoire || got.Attributes != a {
			t.Errorf("Mark %+v: %+v, %v", a, got, err)
		}
	}
	got, err := q.Mark(homonyme)
	if err != nil || got.Status != Qualifiee || !got.Shareable() {
		t.Errorf("Mark homonyme: %+v, %v", got, err)
	}
	if got, err := q.Mark(fictHomo); !errors.Is(err, ErrAttributes) || got != q {
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
		if got := FormatMatricule(tt.num, tt.key); got != tt.want {
			t.Errorf("%q %q: %q, want %q", tt.num, tt.key, got, tt.want)
		}
	}
}

func TestTraitOrder(t *testing.T) {
	want := []Trait{BirthName, FirstGivenName, GivenNames, Sex, BirthDate, BirthPlace}
	if len(BirthTraits) != len(want) {
		t.Fatalf("%v", BirthTraits)
	}
	for i := range want {
		if BirthTraits[i] != want[i] {
			t.Fatalf("order %v, want %v", BirthTraits, want)
		}
	}
	for _, u := range UsedTraits {
		for _, b := range BirthTraits {
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
		if got := FirstGiven(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestTypeOf(t *testing.T) {
	tests := map[string]MatriculeType{
		"1.2.250.1.213.1.4.8": TypeNIR, "1.2.250.1.213.1.4.9": TypeNIA,
		"1.2.250.1.213.1.4.10": TypeTestNIR, "1.2.250.1.213.1.4.11": TypeDemoNIR,
		"1.2.250.1.213.1.4.1": "", "": "",
	}
	for oid, want := range tests {
		if got := TypeOf(oid); got != want {
			t.Errorf("%q: %q, want %q", oid, got, want)
		}
	}
}
