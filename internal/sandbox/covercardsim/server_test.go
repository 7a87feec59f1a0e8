package covercardsim

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuthorization(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name   string
		header string
		status int
	}{
		{"no header", "", 400},
		{"not bearer", "Basic Zm9vOmJhcg==", 401},
		{"empty bearer", "Bearer ", 401},
		{"unknown token", "Bearer forged", 401},
		{"token of another group", "Bearer other-group", 403},
		{"user token", "Bearer good#+token", 200},
		{"device token", "Bearer device+#tok", 200},
		{"scheme case", "bearer good#+token", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, h.servletURL()+"?"+query(cardZoe, "1").Encode(), nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	st := h.sim.Stats()
	if st.ByHINID["cmuster"] != 2 || st.ByHINID["ch.infopatient-cc"] != 1 || st.Refused != 5 || st.Answered != 3 {
		t.Errorf("stats %+v", st)
	}
}

func TestParameters(t *testing.T) {
	h := newHarness(t)
	with := func(k, v string) url.Values {
		q := query(cardZoe, "1")
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	tests := []struct {
		name   string
		method string
		q      url.Values
		status int
	}{
		{"GET", http.MethodGet, query(cardZoe, "1"), 200},
		{"POST form", http.MethodPost, query(cardZoe, "1"), 200},
		{"type lower case", http.MethodGet, with("type", "xml"), 200},
		{"no langue", http.MethodGet, with("langue", ""), 200},
		{"scanner suffix trimmed by the client, spaces by us", http.MethodGet, with("carte", " "+cardZoe+" "), 200},
		{"type HTML", http.MethodGet, with("type", "HTML"), 400},
		{"no type", http.MethodGet, with("type", ""), 400},
		{"other return type", http.MethodGet, with("ReturnType", "41"), 400},
		{"no card", http.MethodGet, with("carte", ""), 400},
		{"PUT", http.MethodPut, query(cardZoe, "1"), 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := h.send(tt.method, tt.q, "good#+token")
			if a.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.Status, tt.status, a.Body)
			}
		})
	}
}

func TestValidAnswer(t *testing.T) {
	h := newHarness(t)
	a := h.lookup(cardZoe, "2", "good#+token")
	if a.Status != 200 || a.Header.Get("Content-Type") != "text/xml; charset=windows-1252" {
		t.Fatalf("%d %q", a.Status, a.Header.Get("Content-Type"))
	}
	if !bytes.HasPrefix(a.Body, []byte(`<?xml version="1.0" encoding="windows-1252"?>`+"\n<!DOCTYPE ")) {
		t.Fatalf("prolog %q", a.Body[:80])
	}
	// windows-1252 bytes: é E9, ü FC, ’ 92 (not in ISO-8859-1); no UTF-8.
	for _, b := range [][]byte{{'Z', 'o', 0xE9}, {'M', 0xFC, 'l'}, {'l', 0x92, 'U'}} {
		if !bytes.Contains(a.Body, b) {
			t.Errorf("body lacks windows-1252 bytes %q", b)
		}
	}
	if bytes.Contains(a.Body, []byte("Zoé")) {
		t.Error("body is UTF-8")
	}
	doc, err := decode(a.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Directive, "SYSTEM") {
		t.Errorf("DOCTYPE %q has no external id", doc.Directive)
	}
	want := map[string]string{
		"cardNoVeka":     cardZoe,
		"validCard":      "0",
		"qualifyingDate": "2026-03-14",
		"CH-Baseinformation/identificationData/name/officialName":                                    "Müller-Dubois",
		"CH-Baseinformation/identificationData/name/firstName":                                       "Zoé",
		"CH-Baseinformation/identificationData/dateOfBirth/yearMonthDay":                             "1987-04-23",
		"CH-Baseinformation/identificationData/cardholderIdentifier":                                 "7561234567897",
		"CH-Baseinformation/identificationData/sex":                                                  "1",
		"CH-Baseinformation/administrativeData/issuingStateIdNumer":                                  "756",
		"CH-Baseinformation/administrativeData/nameOfTheInstitution":                                 "Caisse-maladie du Léman SA",
		"CH-Baseinformation/administrativeData/identificationNumberOfTheInstitution":                 "1560",
		"CH-Baseinformation/administrativeData/coverCardNo":                                          cardZoe,
		"CH-Baseinformation/administrativeData/insuredNumber":                                        "LEM-558-201",
		"CH-Baseinformation/administrativeData/expiryDate":                                           "2031-12-31",
		"CH-Baseinformation/nationalExtension/mailAddress/addressLine1":                              "Rue de l’Université 5",
		"CH-Baseinformation/nationalExtension/mailAddress/town":                                      "Lausanne",
		"CH-Baseinformation/nationalExtension/mailAddress/swissZipCode":                              "1005",
		"CH-Baseinformation/nationalExtension/KVGInformation/KVGBase":                                "1",
		"CH-Baseinformation/nationalExtension/KVGInformation/KVGModel":                               "02",
		"CH-Baseinformation/nationalExtension/KVGInformation/KVGModelText":                           "Modèle médecin de famille",
		"CH-Baseinformation/nationalExtension/KVGInformation/KVGcanton/KVGcanton":                    "VD",
		"CH-Baseinformation/nationalExtension/KVGInformation/KVGaccidentCoverage":                    "02",
		"CH-Baseinformation/nationalExtension/insurerInformation/contactNumberGerman/@local-code":    "021",
		"CH-Baseinformation/nationalExtension/insurerInformation/contactEmailAddress":                "prestations@leman-sante.example",
		"CH-Baseinformation/nationalExtension/VVGInformation/VVGinsurerInformation/nameOfVVGInsurer": "Léman Complémentaire SA",
		"CH-Baseinformation/nationalExtension/VVGInformation/VVGinsurerInformation/expiryDate":       "2031-12-31",
		"CH-Baseinformation/ofacExtension/medicalServiceCoverageRestriction":                         "00",
		"CH-Baseinformation/ofacExtension/validityDate":                                              "2026-03-14",
	}
	for path, v := range want {
		if got := doc.get(path); got != v {
			t.Errorf("%s = %q, want %q", path, got, v)
		}
	}
	for _, path := range []string{"ZSRno", "queryNumber", "codProv"} {
		if doc.get(path) == "" {
			t.Errorf("%s empty", path)
		}
	}
}

func TestModelTextFollowsLangue(t *testing.T) {
	h := newHarness(t)
	tests := map[string]string{
		"1": "Hausarztmodell", "2": "Modèle médecin de famille", "3": "Modello del medico di famiglia",
		"": "Hausarztmodell", "9": "Hausarztmodell",
	}
	for langue, want := range tests {
		doc, err := decode(h.lookup(cardZoe, langue, "good#+token").Body)
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.get("CH-Baseinformation/nationalExtension/KVGInformation/KVGModelText"); got != want {
			t.Errorf("langue %q: %q, want %q", langue, got, want)
		}
	}
	if got := modelText("42", "2"); got != "Inconnu" {
		t.Errorf("unknown model: %q", got)
	}
}

func TestScenarios(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		card      string
		validCard string
		base      bool
		check     func(t *testing.T, d document)
	}{
		{cardBrunner, "0", true, func(t *testing.T, d document) {
			if d.get("CH-Baseinformation/identificationData/sex") != "2" || d.has("CH-Baseinformation/nationalExtension/VVGInformation") {
				t.Error("Brunner: sex or VVG wrong")
			}
		}},
		{cardBlocked, "67", false, nil},
		{cardVVGOnly, "0", true, func(t *testing.T, d document) {
			if d.has("CH-Baseinformation/nationalExtension/KVGInformation/KVGBase") {
				t.Error("VVG-only card has KVGBase")
			}
			if d.get("CH-Baseinformation/nationalExtension/KVGInformation/languageRegion") != "3" {
				t.Error("languageRegion missing")
			}
			if d.get("CH-Baseinformation/nationalExtension/VVGInformation/VVGinsurerInformation/nameOfVVGInsurer") == "" {
				t.Error("no VVG insurer")
			}
		}},
		{cardExpired, "0", true, func(t *testing.T, d document) {
			if exp := d.get("CH-Baseinformation/administrativeData/expiryDate"); exp >= "2026-03-14" {
				t.Errorf("expiry %q not in the past", exp)
			}
		}},
		{cardSuspended, "0", true, func(t *testing.T, d document) {
			if d.get("CH-Baseinformation/ofacExtension/medicalServiceCoverageRestriction") != "04" {
				t.Error("restriction not 04")
			}
		}},
		{cardUnknown, validCardUnknown, false, nil},
		{"80756999999999999999", validCardUnknown, false, nil},
		{"12345", validCardUnknown, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.card, func(t *testing.T) {
			a := h.lookup(tt.card, "1", "good#+token")
			if a.Status != 200 {
				t.Fatalf("status %d", a.Status)
			}
			d, err := decode(a.Body)
			if err != nil {
				t.Fatal(err)
			}
			if d.get("validCard") != tt.validCard || d.get("cardNoVeka") != tt.card {
				t.Errorf("validCard %q cardNoVeka %q", d.get("validCard"), d.get("cardNoVeka"))
			}
			if got := d.has("CH-Baseinformation/identificationData/name/officialName"); got != tt.base {
				t.Errorf("CH-Baseinformation present = %v", got)
			}
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}

func TestMalformedScenario(t *testing.T) {
	h := newHarness(t)
	a := h.lookup(cardMalformed, "1", "good#+token")
	if a.Status != 200 || !bytes.HasPrefix(a.Body, []byte("<?xml")) {
		t.Fatalf("%d %q", a.Status, a.Body)
	}
	if _, err := decode(a.Body); err == nil {
		t.Fatal("malformed answer decodes")
	}
}

func TestCharactersOutsideWindows1252(t *testing.T) {
	cards := shippedCards(t)
	for i := range cards {
		if cards[i].Number == cardBrunner {
			p := *cards[i].Person
			p.FirstName = "Łukasz"
			cards[i].Person = &p
		}
	}
	h := newHarness(t, func(c *Config) { c.Cards = cards })
	a := h.lookup(cardBrunner, "1", "good#+token")
	if !bytes.Contains(a.Body, []byte("&#321;")) {
		t.Fatal("Ł not written as a character reference")
	}
	d, err := decode(a.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.get("CH-Baseinformation/identificationData/name/firstName"); got != "Łukasz" {
		t.Fatalf("first name %q", got)
	}
}

func TestQueryNumbersDiffer(t *testing.T) {
	h := newHarness(t)
	d1, _ := decode(h.lookup(cardZoe, "1", "good#+token").Body)
	d2, _ := decode(h.lookup(cardZoe, "1", "good#+token").Body)
	if d1.get("queryNumber") == d2.get("queryNumber") || !strings.HasPrefix(d1.get("queryNumber"), "SBX-20260314-") {
		t.Fatalf("query numbers %q %q", d1.get("queryNumber"), d2.get("queryNumber"))
	}
}

func TestDTDServedAndCounted(t *testing.T) {
	h := newHarness(t)
	doc, err := decode(h.lookup(cardZoe, "1", "good#+token").Body)
	if err != nil {
		t.Fatal(err)
	}
	if h.sim.Stats().DTDFetches != 0 {
		t.Fatal("decoding fetched the DTD")
	}
	// The DOCTYPE names a DTD on the simulator, so that a client that
	// fetches it is caught.
	i := strings.Index(doc.Directive, `"`)
	dtd := strings.Trim(doc.Directive[i:], `"`)
	if !strings.HasPrefix(dtd, h.srv.URL+"/sandbox/covercard/dtd/") {
		t.Fatalf("DTD %q", dtd)
	}
	resp, err := http.Get(dtd)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || h.sim.Stats().DTDFetches != 1 {
		t.Fatalf("DTD fetch: %d, counted %d", resp.StatusCode, h.sim.Stats().DTDFetches)
	}
	resp, err = http.Get(h.srv.URL + "/sandbox/other")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("other path: %d", resp.StatusCode)
	}
}

func TestStatsIsACopy(t *testing.T) {
	h := newHarness(t)
	h.lookup(cardZoe, "1", "good#+token")
	st := h.sim.Stats()
	st.ByHINID["cmuster"] = 99
	if h.sim.Stats().ByHINID["cmuster"] != 1 {
		t.Fatal("Stats shares its map")
	}
	if len(h.sim.Cards()) != len(shippedCards(t)) {
		t.Error("Cards lost some")
	}
}
