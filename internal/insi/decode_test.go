package insi

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func decodeFile(t *testing.T, name string) (*Result, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Decode(f)
}

func TestDecodeFound(t *testing.T) {
	res, err := decodeFile(t, "resp_adrun_00.xml")
	if err != nil {
		t.Fatal(err)
	}
	id := res.Identity
	if res.Code != CodeFound || res.Label != "OK" || id == nil {
		t.Fatalf("%+v", res)
	}
	if id.Active.Matricule != "2751263220749" || id.Active.Key != "74" || id.Active.Type != TypeNIR || id.Active.OID != OIDNIR {
		t.Errorf("active %+v", id.Active)
	}
	if id.BirthName != "ADRUN" || id.FirstName != "ZOE" || id.FirstNames != "ZOE" || id.Sex != "F" || id.BirthDate != "1975-12-31" || id.BirthPlace != "63220" {
		t.Errorf("traits %+v", id)
	}
	if got := id.Active.Formatted(); got != "2 75 12 63 220 749 74" {
		t.Errorf("formatted %q", got)
	}
}

func TestDecodeHistoryKeptAsReturned(t *testing.T) {
	res, err := decodeFile(t, "resp_ecetinsi_histo.xml")
	if err != nil {
		t.Fatal(err)
	}
	h := res.Identity.History
	if len(h) != 2 || h[0].Matricule != "2090763220834" || h[0].Key != "39" || h[0].From != "2019-03-01" || h[0].To != "2019-02-28" || h[1].Matricule != "2090663220123" {
		t.Errorf("history %+v", h)
	}
	if res.Identity.FirstName != "PIERRE-ALAIN" || res.Identity.FirstNames != "PIERRE-ALAIN MURIEL FLORIANT" {
		t.Errorf("first names %+v", res.Identity)
	}
}

func TestDecodeNIAAndCorsica(t *testing.T) {
	res, err := decodeFile(t, "resp_nia.xml")
	if err != nil || res.Identity.Active.Type != TypeNIA {
		t.Fatalf("%+v %v", res, err)
	}
	res, err = decodeFile(t, "resp_corse_2b.xml")
	if err != nil || res.Identity.Active.Matricule != "160012B020777" || res.Identity.BirthPlace != "2B020" {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestDecodeCodes(t *testing.T) {
	for file, code := range map[string]Code{"resp_cr01.xml": CodeNotFound, "resp_cr02.xml": CodeSeveral} {
		res, err := decodeFile(t, file)
		if err != nil || res.Code != code || res.Identity != nil {
			t.Errorf("%s: %+v %v", file, res, err)
		}
	}
}

func TestDecodeFaults(t *testing.T) {
	for file, want := range map[string]error{
		"fault_desir_550.xml":   ErrUnknownSoftware,
		"fault_desir_560.xml":   ErrAccessLevel,
		"fault_unavailable.xml": ErrUnavailable,
	} {
		_, err := decodeFile(t, file)
		var f *Fault
		if !errors.Is(err, want) || !errors.As(err, &f) {
			t.Errorf("%s: %v, want %v", file, err, want)
			continue
		}
		if f.Subcode == "" || f.Code == "" || f.Severity == "" || f.Reason == "" {
			t.Errorf("%s: fault %+v", file, f)
		}
	}
}

func TestDecodeRefusesNonINSiAnswers(t *testing.T) {
	for file, want := range map[string]error{
		"resp_hermann_bad_key.xml": ErrBadKey,
		"resp_soap11.xml":          ErrMalformed,
		"resp_wrong_ns.xml":        ErrMalformed,
		"resp_truncated.xml":       ErrMalformed,
	} {
		if _, err := decodeFile(t, file); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", file, err, want)
		}
	}
}

func TestDecodeChecksFields(t *testing.T) {
	ok, _ := os.ReadFile("testdata/resp_adrun_00.xml")
	for name, edit := range map[string][2]string{
		"bad key":       {"<Cle>74</Cle>", "<Cle>75</Cle>"},
		"no key":        {"<Cle>74</Cle>", ""},
		"unknown OID":   {"1.2.250.1.213.1.4.8", "1.2.3"},
		"short NIR":     {"2751263220749", "275126322074"},
		"unknown code":  {"<CodeCR>00</CodeCR>", "<CodeCR>07</CodeCR>"},
		"sex":           {"<Sexe>F</Sexe>", "<Sexe>X</Sexe>"},
		"date":          {"1975-12-31", "31/12/1975"},
		"no individual": {"<INDIVIDU>", "<X>"},
		"trailing":      {"</soap:Envelope>", "</soap:Envelope><x/>"},
		"charset":       {`encoding="UTF-8"`, `encoding="ISO-8859-1"`},
	} {
		doc := []byte(replaceOnce(string(ok), edit[0], edit[1]))
		if name == "no individual" {
			doc = []byte(replaceOnce(string(doc), "</INDIVIDU>", "</X>"))
		}
		_, err := Decode(bytesReader(doc))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrBadKey) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
