package insi

import (
	"errors"
	"testing"
)

func TestCheckBirthName(t *testing.T) {
	for _, ok := range []string{"ADRUN", "DE VINCI", "D'ARTAGNAN DE L'HERAULT", "PAT-TROIS", "MARTIN--DURAND"} {
		if err := CheckBirthName(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for in, want := range map[string]LexicalError{
		"Adrun":   {Field: FieldBirthName, Reason: ReasonCharacter, Char: 'd', Pos: 1},
		"D’ÆION":  {Field: FieldBirthName, Reason: ReasonCharacter, Char: '’', Pos: 1},
		"CŒUR":    {Field: FieldBirthName, Reason: ReasonCharacter, Char: 'Œ', Pos: 1},
		"HÉLÈNE":  {Field: FieldBirthName, Reason: ReasonCharacter, Char: 'É', Pos: 1},
		"DE  X":   {Field: FieldBirthName, Reason: ReasonShape},
		"-DUPONT": {Field: FieldBirthName, Reason: ReasonShape},
		"DUPONT'": {Field: FieldBirthName, Reason: ReasonShape},
		"A---B":   {Field: FieldBirthName, Reason: ReasonShape},
		"A -B":    {Field: FieldBirthName, Reason: ReasonShape},
		"":        {Field: FieldBirthName, Reason: ReasonEmpty},
	} {
		err := CheckBirthName(in)
		var le *LexicalError
		if !errors.Is(err, ErrLexical) || !errors.As(err, &le) || *le != want {
			t.Errorf("%q: %#v, want %#v", in, err, want)
		}
	}
	if err := CheckFirstNames("JEAN--PIERRE"); err == nil {
		t.Error("a double hyphen is for family names only")
	}
	if err := CheckFirstNames("PIERRE-ALAIN MURIEL"); err != nil {
		t.Error(err)
	}
}

func TestLexicalErrorNamesTheCharacterOnly(t *testing.T) {
	err := CheckBirthName("DUPONTé")
	if got := err.Error(); got != `insi: birth_name: character 'é' (U+00E9) at position 6 is not allowed (A–Z, space, apostrophe, hyphen)` {
		t.Errorf("%s", got)
	}
}

func TestNormalise(t *testing.T) {
	for in, want := range map[string]string{
		" dupont ":      "DUPONT",
		"d’artagnan":    "D'ARTAGNAN",
		"Hélène  Marie": "HELENE MARIE",
		"cœur":          "COEUR",
		"Lætitia":       "LAETITIA",
		"jean-françois": "JEAN-FRANCOIS",
		"de\tl'hérault": "DE L'HERAULT",
		"ADRUN":         "ADRUN",
	} {
		got, err := Normalise(FieldBirthName, in)
		if err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
	// No equivalent: refused, never dropped.
	for in, char := range map[string]rune{"MÜLLER3": '3', "ŁUKASZ": 'Ł', "X_Y": '_'} {
		_, err := Normalise(FieldFirstNames, in)
		var le *LexicalError
		if !errors.As(err, &le) || le.Char != char || le.Field != FieldFirstNames {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestTraitsValidate(t *testing.T) {
	good := Traits{BirthName: "ADRUN", FirstNames: []string{"ZOE"}, Sex: "F", BirthDate: "1975-12-31", BirthPlace: "63220"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*Traits){
		"sex":        func(t *Traits) { t.Sex = "X" },
		"date":       func(t *Traits) { t.BirthDate = "1975-02-30" },
		"cog":        func(t *Traits) { t.BirthPlace = "632" },
		"first name": func(t *Traits) { t.FirstNames = []string{"Zoé"} },
		"name":       func(t *Traits) { t.BirthName = "" },
	} {
		tr := good
		tr.FirstNames = append([]string(nil), good.FirstNames...)
		edit(&tr)
		if err := tr.Validate(); !errors.Is(err, ErrLexical) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestKeys(t *testing.T) {
	for body, key := range map[string]string{
		"2751263220749": "74", "297022A020778": "78", "160012B020777": "13", "2360663220836": "56",
		"1090763220834": "89", "2090763220834": "39", "180032B020401": "23", "1090763220888": "35", "2790351215189": "89",
	} {
		if !KeyValid(body, key) {
			k, _ := KeyOf(body)
			t.Errorf("%s: key %s, computed %s", body, key, k)
		}
	}
	// HERMANN GATIEN's published keys do not verify (76 and 26 computed).
	if KeyValid("1810363220456", "60") || KeyValid("2810363220456", "10") {
		t.Error("HERMANN's keys verified")
	}
	if _, ok := KeyOf("27512632207"); ok {
		t.Error("short body accepted")
	}
}

func TestTypeOf(t *testing.T) {
	for oid, want := range map[string]MatriculeType{OIDNIR: TypeNIR, OIDNIA: TypeNIA, OIDTestNIR: TypeTestNIR, OIDDemoNIR: TypeDemoNIR} {
		if got, ok := TypeOf(oid); !ok || got != want {
			t.Errorf("%s: %s", oid, got)
		}
	}
	if _, ok := TypeOf("1.2.250.1.213.1.4.1"); ok {
		t.Error("unknown OID typed")
	}
}
