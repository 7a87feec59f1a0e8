package rights_test

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/rights"
)

func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fullRights is what testdata/response-full.xml says.
func fullRights() *rights.Rights {
	return &rights.Rights{
		ResponseDate: d("2026-03-02"), ReferenceDate: d("2026-03-01"),
		Beneficiary: rights.Beneficiary{
			UsualName: "MARTIN", BirthName: "DUPONT", GivenName: "CAMILLE",
			Address:      []string{"12 RUE DE VAUGIRARD", "75015 PARIS"},
			CertifiedNIR: "2840275115023", CertifiedNIRKey: "18",
			BirthDate: d("1984-02-11"), Rank: 1, Quality: "0",
		},
		Regime: "01", RegimeLabel: "Régime général", Caisse: "751", CaisseLabel: "CPAM de Paris", Centre: "9881",
		AMO: []rights.Period{{Start: d("2020-01-01"), End: d("2024-12-31")}, {Start: d("2025-01-01")}},
		Coverage: []rights.CoveragePeriod{
			{Period: rights.Period{Start: d("2025-06-01"), End: d("2030-05-31")}, Group: "1", ALDCode: "08", SituationCode: "0100", Nature: "AM"},
			{Period: rights.Period{Start: d("2019-01-01"), End: d("2019-09-30")}, Group: "2", Nature: "MAT"},
		},
		Complementary: []rights.Complementary{
			{Kind: rights.Mutuelle, Number: "75500017", Label: "Mutuelle Générale", Periods: []rights.Period{{Start: d("2026-01-01"), End: d("2026-12-31")}}},
			{Kind: rights.C2S, Periods: []rights.Period{{Start: d("2022-01-01"), End: d("2022-12-31")}}},
		},
		AttendingDoctor: rights.AttendingDoctor{Declared: true, Name: "Dr Virginie MEDECIN"},
	}
}

func TestDecodeFull(t *testing.T) {
	got, err := rights.Decode(bytes.NewReader(readFile(t, "response-full.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if want := fullRights(); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestDecodeUnknownAndFaults(t *testing.T) {
	_, err := rights.Decode(bytes.NewReader(readFile(t, "response-unknown.xml")))
	if !errors.Is(err, rights.ErrUnknownBeneficiary) {
		t.Errorf("unknown: %v", err)
	}
	tests := []struct {
		file, code, severity string
		want                 error
	}{
		{"fault-unavailable.xml", "insi_111", "fatale", rights.ErrUnavailable},
		{"fault-idam.xml", "desir_550", "erreur", rights.ErrRefused},
	}
	for _, tt := range tests {
		_, err := rights.Decode(bytes.NewReader(readFile(t, tt.file)))
		var fe *rights.FaultError
		if !errors.As(err, &fe) || !errors.Is(err, tt.want) || fe.Code != tt.code || fe.Severity != tt.severity {
			t.Errorf("%s: %v", tt.file, err)
		}
	}
}

// Each mutation of the full answer is refused as malformed, and the
// error names the field but none of the answer's personal data.
func TestDecodeMalformed(t *testing.T) {
	full := string(readFile(t, "response-full.xml"))
	tests := []struct{ name, old, new, field string }{
		{"not XML", "<soap:Body>", "<soap:Body", "XML syntax"},
		{"truncated", "</soap:Envelope>", "", "XML syntax"},
		{"other root", "soap:Envelope", "soap:Enveloppe", "SOAP envelope"},
		{"SOAP 1.1", "http://www.w3.org/2003/05/soap-envelope", "http://schemas.xmlsoap.org/soap/envelope/", "SOAP envelope"},
		{"other namespace", "urn:infopatient:adri:provisoire:1", "urn:autre", "reponseAcquerirLesDroits"},
		{"result code", "<adr:CodeCR>00", "<adr:CodeCR>07", "result code"},
		{"no reference date", "<adr:dateReference>2026-03-01</adr:dateReference>", "", "dateReference"},
		{"bad response date", "2026-03-02", "02/03/2026", "dateReponse"},
		{"bad birth date", "1984-02-11", "1984-02-31", "dateNaissance"},
		{"rank 0", "<adr:rangGemellaire>1", "<adr:rangGemellaire>0", "rangGemellaire"},
		{"rank letters", "<adr:rangGemellaire>1", "<adr:rangGemellaire>un", "rangGemellaire"},
		{"bad key", "2840275115023 18", "2840275115023 19", "noNIRCertifie"},
		{"quality", "<adr:qualite>0", "<adr:qualite>10", "qualite"},
		{"top MT", "<adr:topMedecinTraitant>1", "<adr:topMedecinTraitant>oui", "topMedecinTraitant"},
		{"AMO without start", "<adr:dateDebut>2020-01-01</adr:dateDebut>", "", "periodeAMO 1"},
		{"AMO reversed", "<adr:dateFin>2024-12-31", "<adr:dateFin>2019-12-31", "periodeAMO 1"},
		{"coverage date", "2030-05-31", "2030-13-31", "periodeCodeCouverture 1"},
		{"nature", "<adr:natureAssurance>MAT", "<adr:natureAssurance>XX", "natureAssurance"},
		{"regime", "<adr:codeRegime>01", "<adr:codeRegime>1", "codeRegime"},
		{"caisse", "<adr:codeCaisse>751", "<adr:codeCaisse>75A", "codeCaisse"},
		{"centre", "<adr:centrePrestation>9881", "<adr:centrePrestation>98810", "centrePrestation"},
		{"complementary kind", "<adr:typeComplementaire>C2S", "<adr:typeComplementaire>CMU", "typeComplementaire 2"},
		{"mutuelle period", "<adr:dateDebut>2026-01-01", "<adr:dateDebut>", "periodeMutuelle"},
		{"no globals", "<adr:infosGlobales>", "<adr:infosGlobalesX>", "XML syntax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(full, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			_, err := rights.Decode(strings.NewReader(strings.Replace(full, tt.old, tt.new, 1)))
			if !errors.Is(err, rights.ErrMalformed) || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("%v; want ErrMalformed about %s", err, tt.field)
			}
			for _, secret := range []string{"DUPONT", "2840275115023", "1984", "VAUGIRARD"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error shows %q: %v", secret, err)
				}
			}
		})
	}
	// A body with neither answer nor fault.
	_, err := rights.Decode(strings.NewReader(`<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body/></soap:Envelope>`))
	if !errors.Is(err, rights.ErrMalformed) {
		t.Errorf("empty body: %v", err)
	}
	// An answer without beneficiary.
	_, err = rights.Decode(strings.NewReader(`<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><reponseAcquerirLesDroits xmlns="urn:infopatient:adri:provisoire:1"><CR><CodeCR>00</CodeCR></CR><dateReference>2026-01-01</dateReference></reponseAcquerirLesDroits></soap:Body></soap:Envelope>`))
	if !errors.Is(err, rights.ErrMalformed) || !strings.Contains(err.Error(), "beneficiaireDeSoins") {
		t.Errorf("no beneficiary: %v", err)
	}
	// A declared encoding other than UTF-8 is refused, not guessed.
	_, err = rights.Decode(strings.NewReader(strings.Replace(full, `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1)))
	if !errors.Is(err, rights.ErrMalformed) {
		t.Errorf("latin-1: %v", err)
	}
}

func TestHelpers(t *testing.T) {
	r := fullRights()
	if !r.Open() || !r.OpenAt(d("2025-01-01")) || !r.OpenAt(d("2024-12-31")) || r.OpenAt(d("2019-12-31")) {
		t.Error("AMO open")
	}
	p, ok := r.AMOAt(d("2023-05-05"))
	if !ok || p.Start != d("2020-01-01") || p.Open() {
		t.Errorf("AMOAt 2023: %+v %v", p, ok)
	}
	if p, ok := r.AMOAt(d("2099-01-01")); !ok || !p.Open() {
		t.Errorf("AMOAt 2099: %+v %v", p, ok)
	}
	// A time late in the day still belongs to that day.
	if !(rights.Period{Start: d("2020-01-01"), End: d("2020-01-31")}).Contains(time.Date(2020, 1, 31, 23, 59, 0, 0, time.UTC)) {
		t.Error("the last day's evening is outside")
	}
	if cov := r.CoverageAt(r.ReferenceDate); len(cov) != 1 || cov[0].ALDCode != "08" || !r.HasALDAt(r.ReferenceDate) {
		t.Errorf("coverage at reference: %+v", cov)
	}
	if r.HasALDAt(d("2019-05-01")) || len(r.CoverageAt(d("2019-05-01"))) != 1 {
		t.Error("maternité 2019 is not an ALD")
	}
	if c := r.ComplementaryAt(r.ReferenceDate); len(c) != 1 || c[0].Kind != rights.Mutuelle {
		t.Errorf("complementary at reference: %+v", c)
	}
	if c := r.ComplementaryAt(d("2022-06-01")); len(c) != 1 || c[0].Kind != rights.C2S {
		t.Errorf("complementary 2022: %+v", c)
	}
	closed := &rights.Rights{ReferenceDate: d("2026-01-01"), AMO: []rights.Period{{Start: d("2009-01-01"), End: d("2012-12-31")}}}
	if closed.Open() {
		t.Error("rights closed in 2012 are open")
	}
}
