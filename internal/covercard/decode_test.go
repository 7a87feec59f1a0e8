package covercard

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fixtureDay is the day the fixtures were "queried".
var fixtureDay = time.Date(2026, time.March, 14, 10, 30, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// zoe is the person in the valid-* fixtures.
func zoe(addressLine string) *InsuredPerson {
	return &InsuredPerson{
		FamilyName: "Müller-Dubois", GivenName: "Zoé", BirthDate: date(1987, time.April, 23),
		Sex: SexFemale, AHVNumber: "7561234567897",
		Address:     Address{Line1: addressLine, ZipCode: "2000", Town: "Neuchâtel", Country: "CH"},
		InsurerName: "Caisse-maladie du Léman SA", InsurerBAGNumber: "1560",
		CardNumber: "80756015600012345678", InsuredPersonNumber: "0012345678", InsuredNumber: "LEM-558-201",
		CardExpiry: date(2030, time.December, 31),
		KVG: &KVGInfo{
			Base: "1", Model: ModelFamilyDoctor, ModelText: "Modèle médecin de famille",
			Canton: "NE", AccidentCoverage: AccidentNotCovered, LanguageRegion: "2",
		},
		VVG: []VVGInsurer{{
			Name: "Léman Complémentaire SA", BAGNumber: "1561", CardNumber: "80756015600012345678",
			InsuredPersonNumber: "0012345678", InsuredNumber: "LEC-77-4410", Expiry: date(2027, time.December, 31),
			Contact: Contact{Phone: "+41 21 310 20 30", Email: "complementaire@leman-sante.example", EAN: "7601003000122"},
		}},
		InsurerContact:      Contact{Phone: "+41 32 723 45 67", Email: "prestations@leman-sante.example", EAN: "7601003000115"},
		CoverageRestriction: RestrictionNone,
		ValidityDate:        date(2026, time.March, 14),
	}
}

func TestDecodeValidPersonInEveryEncoding(t *testing.T) {
	cp1252 := readFixture(t, "valid-windows-1252.xml")
	cp1252NoDecl := bytes.Replace(cp1252, []byte(`<?xml version="1.0" encoding="windows-1252"?>`), nil, 1)
	tests := []struct {
		name        string
		body        []byte
		contentType string
		address     string
	}{
		{"UTF-8, header says so", readFixture(t, "valid-utf8.xml"), "text/xml; charset=UTF-8", "Rue de l’Église 12"},
		{"UTF-8, no header", readFixture(t, "valid-utf8.xml"), "", "Rue de l’Église 12"},
		{"UTF-8 with byte order mark", append([]byte{0xEF, 0xBB, 0xBF}, readFixture(t, "valid-utf8.xml")...), "text/xml", "Rue de l’Église 12"},
		{"windows-1252 declared, bare header", cp1252, "text/xml", "Rue de l’Église 12"},
		{"windows-1252 declared, header ISO-8859-1", cp1252, "text/xml;charset=ISO-8859-1", "Rue de l’Église 12"},
		{"windows-1252 declared, header wrongly UTF-8", cp1252, "text/xml; charset=utf-8", "Rue de l’Église 12"},
		{"windows-1252 named by the header only", cp1252NoDecl, `application/xml; charset="windows-1252"`, "Rue de l’Église 12"},
		{"ISO-8859-1 declared", readFixture(t, "valid-iso-8859-1.xml"), "", "Rue de l'Église 12"},
		{"ISO-8859-1 declared, unknown header charset ignored", readFixture(t, "valid-iso-8859-1.xml"), "text/xml; charset=x-unheard-of", "Rue de l'Église 12"},
		{"ISO-8859-1 declared, unparseable header ignored", readFixture(t, "valid-iso-8859-1.xml"), "text/xml; charset", "Rue de l'Église 12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := DecodeAt(bytes.NewReader(tt.body), tt.contentType, fixtureDay)
			if err != nil {
				t.Fatalf("DecodeAt: %v", err)
			}
			if res.Outcome != Valid || res.ValidCardCode != "0" || res.QueryNumber != "CC-2026-0314-000042" || res.CardNumber != "80756015600012345678" {
				t.Errorf("result = %v code %q query %q card %q", res.Outcome, res.ValidCardCode, res.QueryNumber, res.CardNumber)
			}
			if want := zoe(tt.address); !reflect.DeepEqual(res.Person, want) {
				t.Errorf("person\n got %+v\nwant %+v", res.Person, want)
			}
		})
	}
}

func TestDecodeOutcomes(t *testing.T) {
	tests := []struct {
		file    string
		outcome Outcome
		code    string
		check   func(t *testing.T, p *InsuredPerson)
	}{
		{file: "blocked.xml", outcome: Blocked, code: "67"},
		{file: "unknown.xml", outcome: UnknownCard, code: "12"},
		// A code other than 0 and 67 keeps the person, as Elexis does.
		{file: "invalid.xml", outcome: Invalid, code: "3", check: func(t *testing.T, p *InsuredPerson) {
			if p.FamilyName != "Meier" || p.GivenName != "Anna" {
				t.Errorf("person = %+v", p)
			}
		}},
		{file: "billing.xml", outcome: Valid, code: "0", check: func(t *testing.T, p *InsuredPerson) {
			want := &Address{Line1: "Case postale 120", ZipCode: "2001", Town: "Neuchâtel", Country: "CH"}
			if !reflect.DeepEqual(p.InsurerContact.BillingAddress, want) || p.InsurerContact.EAN != "7601003000115" {
				t.Errorf("insurer contact = %+v", p.InsurerContact)
			}
			if len(p.VVG) != 1 || !reflect.DeepEqual(p.VVG[0].Contact.BillingAddress, &Address{Line1: "Service des prestations", ZipCode: "2501", Town: "Bienne"}) {
				t.Errorf("VVG = %+v", p.VVG)
			}
			wantDebtor := &Debtor{FamilyName: "Rochat", GivenName: "Marc", Address: Address{Line1: "Rue du Lac 3", ZipCode: "2000", Town: "Neuchâtel", Country: "CH"}}
			if !reflect.DeepEqual(p.Debtor, wantDebtor) || p.Invoicing() != InvoicingDebtor {
				t.Errorf("debtor = %+v, invoicing %v", p.Debtor, p.Invoicing())
			}
		}},
		{file: "vvg-only.xml", outcome: VVGOnly, code: "0", check: func(t *testing.T, p *InsuredPerson) {
			if p.KVG != nil {
				t.Errorf("KVG = %+v, want none", p.KVG)
			}
			if p.FamilyName != "Keller" || p.Sex != SexMale || p.Address.Town != "Zürich" || p.CoverageRestriction != RestrictionSuspended {
				t.Errorf("person = %+v", p)
			}
			want := []VVGInsurer{
				{Name: "Léman Complémentaire SA", BAGNumber: "1561", Expiry: date(2029, time.June, 30)},
				{Name: "Alpina Zusatz AG", BAGNumber: "1577", Expiry: date(2028, time.January, 31)},
			}
			if !reflect.DeepEqual(p.VVG, want) {
				t.Errorf("VVG = %+v, want %+v", p.VVG, want)
			}
		}},
		{file: "expired.xml", outcome: Expired, code: "0", check: func(t *testing.T, p *InsuredPerson) {
			if p.GivenName != "Léon" || !p.CardExpiry.Equal(date(2025, time.December, 31)) {
				t.Errorf("person = %+v", p)
			}
			want := &KVGInfo{Base: "1", Model: ModelStandard, Canton: "FR", AccidentCoverage: AccidentCovered}
			if !reflect.DeepEqual(p.KVG, want) {
				t.Errorf("KVG = %+v, want %+v", p.KVG, want)
			}
			if p.CoverageRestriction != RestrictionTiersGarant2 || p.CoverageRestriction.String() != "tiers_garant" {
				t.Errorf("restriction = %v", p.CoverageRestriction)
			}
			if p.Invoicing() != InvoicingTiersGarant || p.Debtor != nil || p.InsurerContact.BillingAddress != nil {
				t.Errorf("invoicing %v, debtor %+v, billing %+v", p.Invoicing(), p.Debtor, p.InsurerContact.BillingAddress)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := DecodeAt(bytes.NewReader(readFixture(t, tt.file)), "text/xml", fixtureDay)
			if err != nil {
				t.Fatalf("DecodeAt: %v", err)
			}
			if res.Outcome != tt.outcome || res.ValidCardCode != tt.code {
				t.Errorf("outcome %v code %q, want %v %q", res.Outcome, res.ValidCardCode, tt.outcome, tt.code)
			}
			if tt.check == nil {
				if res.Person != nil {
					t.Errorf("a %v answer keeps personal data: %+v", res.Outcome, res.Person)
				}
				return
			}
			if res.Person == nil {
				t.Fatal("no person")
			}
			tt.check(t, res.Person)
		})
	}
}

// Decode judges expiry against the current date.
func TestDecodeUsesTheCurrentDate(t *testing.T) {
	doc := `<r><validCard>0</validCard><CH-Baseinformation><administrativeData><expiryDate>%s</expiryDate></administrativeData>` +
		`<nationalExtension><KVGInformation><KVGBase>1</KVGBase></KVGInformation></nationalExtension></CH-Baseinformation></r>`
	for expiry, want := range map[string]Outcome{"2000-01-31": Expired, "": Valid, time.Now().AddDate(1, 0, 0).Format(time.DateOnly): Valid} {
		res, err := Decode(strings.NewReader(fmt.Sprintf(doc, expiry)), "application/xml")
		if err != nil || res.Outcome != want {
			t.Errorf("expiry %q: %+v, %v; want %v", expiry, res, err, want)
		}
	}
}

// A card is valid through its expiry day, in the caller's time zone.
func TestDecodeExpiryBoundary(t *testing.T) {
	zurich := time.FixedZone("CET", 3600)
	tests := []struct {
		now  time.Time
		want Outcome
	}{
		{time.Date(2025, time.December, 31, 23, 59, 59, 0, zurich), Valid},
		{time.Date(2026, time.January, 1, 0, 0, 1, 0, zurich), Expired},
		{time.Date(2026, time.January, 1, 0, 30, 0, 0, zurich).UTC(), Valid}, // still Dec 31 in UTC
		{time.Date(2024, time.June, 1, 12, 0, 0, 0, time.UTC), Valid},
	}
	doc := string(readFixture(t, "expired.xml"))
	for _, tt := range tests {
		res, err := DecodeAt(strings.NewReader(doc), "", tt.now)
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != tt.want {
			t.Errorf("at %v: %v, want %v", tt.now, res.Outcome, tt.want)
		}
	}
}

// An expired card that only has supplementary insurance is Expired: the
// card itself is the first thing to fix.
func TestDecodeExpiredWinsOverVVGOnly(t *testing.T) {
	doc := strings.Replace(string(readFixture(t, "vvg-only.xml")), "<expiryDate>2029-06-30</expiryDate>\n    </administrativeData>", "<expiryDate>2026-03-13</expiryDate>\n    </administrativeData>", 1)
	res, err := DecodeAt(strings.NewReader(doc), "", fixtureDay)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != Expired || res.Person == nil || res.Person.KVG != nil {
		t.Errorf("outcome %v person %+v", res.Outcome, res.Person)
	}
}

func TestDecodeValidCardCodes(t *testing.T) {
	tests := []struct {
		validCard string // "-" for no element
		base      bool
		want      Outcome
	}{
		{"0", true, Valid},
		{"00", true, Valid},
		{" 0 ", true, Valid},
		{"-", true, Valid}, // absent: the base information decides
		{"", true, Valid},
		{"67", true, Blocked},
		{"067", false, Blocked},
		{"67", false, Blocked},
		{"1", true, Invalid},
		{"99", true, Invalid},
		{"E", true, Invalid},
		{"0", false, UnknownCard},
		{"-", false, UnknownCard}, // neither: see TestDecodeMalformed
		{"5", false, UnknownCard},
	}
	for _, tt := range tests {
		var b strings.Builder
		b.WriteString(`<r xmlns="http://www.ofac.ch/XEDO">`)
		if tt.validCard != "-" {
			fmt.Fprintf(&b, "<validCard>%s</validCard>", tt.validCard)
		}
		if tt.base {
			b.WriteString("<CH-Baseinformation><nationalExtension><KVGInformation><KVGBase>1</KVGBase></KVGInformation></nationalExtension></CH-Baseinformation>")
		}
		b.WriteString("</r>")
		res, err := DecodeAt(strings.NewReader(b.String()), "", fixtureDay)
		if tt.validCard == "-" && !tt.base {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("no validCard, no base: err = %v, want ErrMalformed", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q base=%v: %v", tt.validCard, tt.base, err)
		}
		if res.Outcome != tt.want {
			t.Errorf("validCard %q base=%v: %v, want %v", tt.validCard, tt.base, res.Outcome, tt.want)
		}
	}
}

// Elements match on local names: any namespace prefix, or none, and any
// root element name.
func TestDecodeMatchesLocalNames(t *testing.T) {
	docs := map[string]string{
		"prefixed": `<x:answer xmlns:x="http://www.ofac.ch/XEDO"><x:validCard>0</x:validCard><x:CH-Baseinformation>` +
			`<x:identificationData><x:name><x:officialName>Müller-Dubois</x:officialName><x:firstName>Zoé</x:firstName></x:name></x:identificationData>` +
			`<x:nationalExtension><x:KVGInformation><x:KVGBase>1</x:KVGBase></x:KVGInformation></x:nationalExtension></x:CH-Baseinformation></x:answer>`,
		"no namespace": `<CaValidation><validCard>0</validCard><CH-Baseinformation>` +
			`<identificationData><name><officialName>Müller-Dubois</officialName><firstName>Zoé</firstName></name></identificationData>` +
			`<nationalExtension><KVGInformation><KVGBase>1</KVGBase></KVGInformation></nationalExtension></CH-Baseinformation></CaValidation>`,
	}
	for name, doc := range docs {
		res, err := DecodeAt(strings.NewReader(doc), "", fixtureDay)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Outcome != Valid || res.Person.FamilyName != "Müller-Dubois" || res.Person.GivenName != "Zoé" {
			t.Errorf("%s: %v %+v", name, res.Outcome, res.Person)
		}
	}
}

func TestDecodeMalformed(t *testing.T) {
	valid := string(readFixture(t, "valid-utf8.xml"))
	tests := map[string]string{
		"truncated fixture":      string(readFixture(t, "malformed.xml")),
		"empty":                  "",
		"declaration only":       `<?xml version="1.0"?>`,
		"plain text":             "Service Temporarily Unavailable",
		"HTML error page":        "<html><body><h1>Internal Server Error</h1></body></html>",
		"text before the root":   "oops<r><validCard>0</validCard></r>",
		"two root elements":      "<r><validCard>0</validCard></r><r><validCard>67</validCard></r>",
		"text after the root":    "<r><validCard>0</validCard></r>trailing",
		"stray end element":      "</r>",
		"invalid UTF-8":          "<r><validCard>0</validCard><CH-Baseinformation><identificationData><name><officialName>M\xfcller</officialName></name></identificationData></CH-Baseinformation></r>",
		"unknown encoding":       `<?xml version="1.0" encoding="x-klingon"?><r><validCard>0</validCard></r>`,
		"unknown long encoding":  `<?xml version="1.0" encoding="` + strings.Repeat("x", 200) + `"?><r><validCard>0</validCard></r>`,
		"undeclared entity":      "<r><validCard>&zero;</validCard></r>",
		"HTML entity":            "<r><validCard>0</validCard><CH-Baseinformation><identificationData><name><firstName>Zo&eacute;</firstName></name></identificationData></CH-Baseinformation></r>",
		"birth date not a date":  strings.Replace(valid, "1987-04-23", "23.04.1987", 1),
		"expiry date impossible": strings.Replace(valid, "2030-12-31", "2030-13-31", 1),
		"validity date garbage":  strings.Replace(valid, "<validityDate>2026-03-14", "<validityDate>2026-03-14x", 1),
		"VVG date not a date":    strings.Replace(valid, "2027-12-31T00:00:00", "Dec 31 2027", 1),
		"mismatched tags":        "<r><validCard>0</CH-Baseinformation></r>",
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			res, err := DecodeAt(strings.NewReader(doc), "", fixtureDay)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v (result %+v), want ErrMalformed", err, res)
			}
			if res != nil {
				t.Errorf("result %+v returned with an error", res)
			}
			for _, secret := range []string{"1987", "Müller", "M\xfcller", "Dec 31", "Zo"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q quotes the document (%q)", err, secret)
				}
			}
		})
	}
}

// A DOCTYPE is tolerated and never fetched; entities are never expanded,
// whether they point to the network or to a file.
func TestDecodeNeverFetchesOrExpandsEntities(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `<!ENTITY leak "LEAKED">`)
	}))
	defer srv.Close()
	body := `<r><validCard>0</validCard><CH-Baseinformation><identificationData><name><officialName>%s</officialName></name></identificationData>` +
		`<nationalExtension><KVGInformation><KVGBase>1</KVGBase></KVGInformation></nationalExtension></CH-Baseinformation></r>`

	dtdOnly := `<?xml version="1.0"?><!DOCTYPE r SYSTEM "` + srv.URL + `/covercard.dtd">` + fmt.Sprintf(body, "Favre")
	res, err := DecodeAt(strings.NewReader(dtdOnly), "", fixtureDay)
	if err != nil || res.Person.FamilyName != "Favre" {
		t.Errorf("external DTD: err %v result %+v, want the DOCTYPE skipped", err, res)
	}

	attacks := map[string]string{
		"network entity":  `<!DOCTYPE r [<!ENTITY ext SYSTEM "` + srv.URL + `/secret">]>` + fmt.Sprintf(body, "&ext;"),
		"file entity":     `<!DOCTYPE r [<!ENTITY ext SYSTEM "file:///etc/passwd">]>` + fmt.Sprintf(body, "&ext;"),
		"parameter DTD":   `<!DOCTYPE r [<!ENTITY % dtd SYSTEM "` + srv.URL + `/evil.dtd"> %dtd;]>` + fmt.Sprintf(body, "&leak;"),
		"internal entity": `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` + fmt.Sprintf(body, "&b;"),
	}
	for name, doc := range attacks {
		res, err := DecodeAt(strings.NewReader(doc), "", fixtureDay)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err %v result %+v, want ErrMalformed", name, err, res)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the decoder reached the network %d times", n)
	}
}

func TestParseDate(t *testing.T) {
	want := date(2030, time.December, 31)
	for _, in := range []string{"2030-12-31", " 2030-12-31 ", "2030-12-31T00:00:00", "2030-12-31T23:59:59+01:00", "2030-12-31 00:00:00.0", "2030-12-31+01:00", "2030-12-31-05:00", "2030-12-31Z"} {
		got, err := parseDate("f", in)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if got, err := parseDate("f", ""); err != nil || !got.IsZero() {
		t.Errorf("parseDate(empty) = %v, %v; want zero", got, err)
	}
	for _, in := range []string{"31.12.2030", "2030-13-01", "2030-02-30", "2030-12-31X", "2030-12", "20301231", "2030/12/31"} {
		if _, err := parseDate("expiryDate", in); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "expiryDate") {
			t.Errorf("parseDate(%q) error = %v, want ErrMalformed naming the field", in, err)
		}
	}
}

func TestComposePhone(t *testing.T) {
	tests := []struct{ intl, local, number, want string }{
		{"41", "032", "723 45 67", "+41 32 723 45 67"},
		{"+41", "21", "310 20 30", "+41 21 310 20 30"},
		{"0041", "58", "277 77 77", "+41 58 277 77 77"},
		{"", "032", "723 45 67", "032 723 45 67"},
		{"", "", "0800 80 90 80", "0800 80 90 80"},
		{"41", "", "800 80 90 80", "+41 800 80 90 80"},
		{"41", "32", "", ""},
	}
	for _, tt := range tests {
		if got := composePhone(tt.intl, tt.local, tt.number); got != tt.want {
			t.Errorf("composePhone(%q, %q, %q) = %q, want %q", tt.intl, tt.local, tt.number, got, tt.want)
		}
	}
}

func TestDeclaredEncoding(t *testing.T) {
	tests := map[string]string{
		`<?xml version="1.0" encoding="windows-1252"?><r/>`:        "windows-1252",
		`<?xml version='1.0' encoding='ISO-8859-1' ?><r/>`:         "ISO-8859-1",
		`<?xml version="1.0" encoding = "utf-8" standalone="no"?>`: "utf-8",
		`<?xml version="1.0"?><r encoding="latin1"/>`:              "",
		`<r/>`:                                  "",
		` <?xml version="1.0" encoding="x"?>`:   "", // a declaration must come first
		`<?xml version="1.0" encoding=latin1?>`: "",
		`<?xml version="1.0" encoding="latin1`:  "",
	}
	for in, want := range tests {
		if got := declaredEncoding([]byte(in)); got != want {
			t.Errorf("declaredEncoding(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	body := readFixture(b, "valid-windows-1252.xml")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeAt(bytes.NewReader(body), "text/xml", fixtureDay); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCardCodeMeaning(t *testing.T) {
	for code, want := range map[string]string{
		"": "absent", " ": "absent", "0": "valid", "00": "valid", "67": "blocked", " 67 ": "blocked",
		"3": "not_valid", "12": "not_valid", "9999": "not_valid", "E": "unreadable", "12345": "unreadable", "-1": "unreadable",
	} {
		if got := CardCodeMeaning(code); got != want {
			t.Errorf("CardCodeMeaning(%q) = %q, want %q", code, got, want)
		}
	}
	for m, want := range map[InvoicingMode]string{InvoicingNotStated: "not_stated", InvoicingTiersGarant: "tiers_garant", InvoicingDebtor: "debtor"} {
		if m.String() != want {
			t.Errorf("%d: %q", m, m.String())
		}
	}
	if (&InsuredPerson{CoverageRestriction: RestrictionNone}).Invoicing() != InvoicingNotStated {
		t.Error("no restriction, no debtor: invoicing stated")
	}
}

// An invalid card whose data is unreadable is still reported invalid,
// without the person, rather than as a broken answer.
func TestInvalidCardWithUnreadableDataIsInvalid(t *testing.T) {
	doc := `<r><validCard>5</validCard><CH-Baseinformation><identificationData><dateOfBirth><yearMonthDay>31.12.1980</yearMonthDay></dateOfBirth></identificationData></CH-Baseinformation></r>`
	res, err := DecodeAt(strings.NewReader(doc), "text/xml", fixtureDay)
	if err != nil || res.Outcome != Invalid || res.Person != nil {
		t.Fatalf("%+v %v", res, err)
	}
	doc = strings.Replace(doc, ">5<", ">0<", 1)
	if _, err := DecodeAt(strings.NewReader(doc), "text/xml", fixtureDay); !errors.Is(err, ErrMalformed) {
		t.Errorf("valid card with a bad date: %v", err)
	}
}
