package insisim_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/insi"
	"github.com/infopatient/infopatient/internal/sandbox/insisim"
)

func newSim(t *testing.T, mode insisim.Mode) (*insisim.Server, string) {
	t.Helper()
	ids, err := insisim.LoadIdentities(data.Files, "sandbox/insi-identities.json")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := insisim.New(insisim.Config{Identities: ids, Mode: mode, SlowDelay: 2 * time.Second,
		KnownIDNat: func(id string) bool { return id == "810002909371" }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv.URL + "/sandbox" + insisim.Path
}

func client(t *testing.T, url string, mutate func(*insi.Config)) *insi.Client {
	t.Helper()
	cfg := insi.Config{URL: url, Auth: insi.AuthMTLS, SandboxCN: insi.CNAuto, IDAM: insisim.DefaultIDAM, InstanceID: "test-instance", Timeout: time.Second}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := insi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func traits(name, first, sex, date string) insi.Traits {
	return insi.Traits{BirthName: name, FirstNames: strings.Fields(first), Sex: sex, BirthDate: date}
}

// TestPersonas runs each public persona through the real client and the
// first-name strategy against the simulator.
func TestPersonas(t *testing.T) {
	_, url := newSim(t, insisim.ModeEither)
	c := client(t, url, nil)
	ctx := context.Background()
	type want struct {
		code      insi.Code
		matricule string
		typ       insi.MatriculeType
		history   int
		attempts  int
		need      insi.Need
	}
	for name, tc := range map[string]struct {
		t insi.Traits
		w want
	}{
		"ADRUN ZOE":                  {traits("ADRUN", "ZOE", "F", "1975-12-31"), want{insi.CodeFound, "2751263220749", insi.TypeNIR, 0, 1, ""}},
		"ADRTROIS DOMINIQUE":         {traits("ADRTROIS", "DOMINIQUE", "F", "1997-02-26"), want{insi.CodeFound, "297022A020778", insi.TypeNIR, 0, 1, ""}},
		"ADRTROIS TOUSSAINT":         {traits("ADRTROIS", "TOUSSAINT", "M", "1960-01-01"), want{insi.CodeFound, "160012B020777", insi.TypeNIR, 0, 1, ""}},
		"TCHITCHI":                   {traits("TCHITCHI", "OLA CATARINA BELLA", "F", "1936-06-21"), want{insi.CodeFound, "2360663220836", insi.TypeNIR, 0, 2, ""}},
		"ECETINSI":                   {traits("ECETINSI", "PIERRE-ALAIN", "M", "2009-07-14"), want{insi.CodeFound, "1090763220834", insi.TypeNIR, 2, 1, ""}},
		"CORSE ANTHONY":              {traits("CORSE", "ANTHONY", "M", "1980-03-02"), want{insi.CodeFound, "180032B020401", insi.TypeNIR, 1, 1, ""}},
		"NESSI":                      {traits("NESSI", "MICHELANGELO", "M", "2010-08-07"), want{insi.CodeFound, "1100863220830", insi.TypeNIR, 0, 1, ""}},
		"NIA":                        {traits("PROVISOIRE", "MATRICULE", "M", "2009-07-01"), want{insi.CodeFound, "1090763220888", insi.TypeNIA, 0, 1, ""}},
		"D'ARTAGNAN":                 {traits("D'ARTAGNAN DE L'HERAULT", "PIERRE-ALAIN", "M", "2001-06-17"), want{insi.CodeFound, "1010663220999", insi.TypeTestNIR, 0, 1, ""}},
		"PAT-TROIS":                  {traits("PAT-TROIS", "DOMINIQUE MARIE-LOUISE", "F", "1979-03-28"), want{insi.CodeFound, "2790351215189", insi.TypeTestNIR, 0, 1, ""}},
		"HOUILLES":                   {traits("HOUILLES", "PIERRE PAUL JACQUES", "M", "1993-01-27"), want{insi.CodeNotFound, "", "", 0, 4, ""}},
		"DE VINCI":                   {traits("DE VINCI", "LEONARDO", "M", "2014-02-01"), want{insi.CodeSeveral, "", "", 0, 1, insi.NeedMoreFirstNames}},
		"unknown":                    {traits("INCONNU", "PERSONNE", "M", "2000-01-01"), want{insi.CodeNotFound, "", "", 0, 1, ""}},
		"DE VINCI, more first names": {traits("DE VINCI", "LEONARDO PIERO", "M", "2014-02-01"), want{insi.CodeFound, "1140275056123", insi.TypeTestNIR, 0, 2, ""}},
		"DE VINCI, birthplace": {func() insi.Traits {
			t := traits("DE VINCI", "LEONARDO", "M", "2014-02-01")
			t.BirthPlace = "69123"
			return t
		}(), want{insi.CodeFound, "1140269123045", insi.TypeTestNIR, 0, 1, ""}},
	} {
		out, err := insi.FindByTraits(ctx, c, tc.t, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		w := tc.w
		if out.Result.Code != w.code || len(out.Attempts) != w.attempts || out.Need != w.need {
			t.Errorf("%s: code %s, %d attempts, need %q", name, out.Result.Code, len(out.Attempts), out.Need)
		}
		if w.code == insi.CodeFound {
			id := out.Result.Identity
			if id.Active.Matricule != w.matricule || id.Active.Type != w.typ || len(id.History) != w.history || id.BirthName != tc.t.BirthName {
				t.Errorf("%s: %+v", name, id)
			}
		}
	}
	// TCHITCHI: OLA alone answers 01 first.
	out, _ := insi.FindByTraits(ctx, c, traits("TCHITCHI", "OLA CATARINA BELLA", "F", "1936-06-21"), nil)
	if out.Attempts[0].FirstNames != "OLA" || out.Attempts[0].Code != insi.CodeNotFound || out.Attempts[1].Code != insi.CodeFound {
		t.Errorf("TCHITCHI attempts %+v", out.Attempts)
	}
	// HERMANN: the answer's key does not verify.
	if _, err := c.SearchTraits(ctx, traits("HERMANN", "GATIEN", "M", "1981-03-24"), nil); !errors.Is(err, insi.ErrBadKey) {
		t.Errorf("HERMANN: %v", err)
	}
	// Carte Vitale: the beneficiary's matricule and birth traits.
	res, err := c.SearchCard(ctx, insi.Card{HolderNIR: "2751263220749", BirthName: "ADRUN", BirthDate: "1975-12-31", Rank: "1"}, nil)
	if err != nil || res.Code != insi.CodeFound || res.Identity.Active.Matricule != "2751263220749" {
		t.Errorf("card: %+v %v", res, err)
	}
	res, err = c.SearchCard(ctx, insi.Card{HolderNIR: "2751263220749", BirthName: "ADRUN", BirthDate: "1975-12-30", Rank: "1"}, nil)
	if err != nil || res.Code != insi.CodeNotFound {
		t.Errorf("card, other date: %+v %v", res, err)
	}
}

func TestCallerChecks(t *testing.T) {
	ctx := context.Background()
	zoe := traits("ADRUN", "ZOE", "F", "1975-12-31")
	pro := &insi.Professional{IDNat: "810002909371", BillingID: "123456789", AccessToken: "tok"}

	_, url := newSim(t, insisim.ModeMTLS)
	if _, err := client(t, url, func(c *insi.Config) { c.IDAM = "UNKNOWN" }).SearchTraits(ctx, zoe, nil); !errors.Is(err, insi.ErrUnknownSoftware) {
		t.Errorf("unknown IDAM: %v", err)
	}
	if _, err := client(t, url, func(c *insi.Config) { c.SandboxCN = "INSI-OTHER" }).SearchTraits(ctx, zoe, nil); !errors.Is(err, insi.ErrAccessLevel) {
		t.Errorf("wrong CN: %v", err)
	}
	// psc mode: the assertion must name a known professional.
	_, url = newSim(t, insisim.ModePSC)
	psc := client(t, url, func(c *insi.Config) { c.Auth = insi.AuthPSC })
	if res, err := psc.SearchTraits(ctx, zoe, pro); err != nil || res.Code != insi.CodeFound {
		t.Errorf("psc: %+v %v", res, err)
	}
	stranger := *pro
	stranger.IDNat = "899999999999"
	if _, err := psc.SearchTraits(ctx, zoe, &stranger); !errors.Is(err, insi.ErrAccessLevel) {
		t.Errorf("unknown professional: %v", err)
	}
	if _, err := client(t, url, nil).SearchTraits(ctx, zoe, nil); !errors.Is(err, insi.ErrAccessLevel) {
		t.Errorf("mtls caller in psc mode: %v", err)
	}
}

func TestMisbehaviour(t *testing.T) {
	sim, url := newSim(t, insisim.ModeEither)
	c := client(t, url, nil)
	ctx := context.Background()
	zoe := traits("ADRUN", "ZOE", "F", "1975-12-31")
	for f, want := range map[insisim.Fault]error{
		insisim.FaultUnavailable: insi.ErrUnavailable,
		insisim.FaultMalformed:   insi.ErrMalformed,
		insisim.FaultSlow:        context.DeadlineExceeded,
		insisim.FaultUnknownIDAM: insi.ErrUnknownSoftware,
		insisim.FaultWrongCN:     insi.ErrAccessLevel,
	} {
		sim.Misbehave(f, 1)
		if _, err := c.SearchTraits(ctx, zoe, nil); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", f, err, want)
		}
	}
	sim.Misbehave(insisim.FaultUnavailable, 3)
	sim.Behave()
	if res, err := c.SearchTraits(ctx, zoe, nil); err != nil || res.Code != insi.CodeFound {
		t.Errorf("after Behave: %v", err)
	}
}

func TestPSCTokenChecked(t *testing.T) {
	ids, _ := insisim.LoadIdentities(data.Files, "sandbox/insi-identities.json")
	sim, _ := insisim.New(insisim.Config{Identities: ids, Mode: insisim.ModePSC,
		CheckToken: func(tok string) (string, bool) { return "810002909371", tok == "good" }})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	c := client(t, srv.URL+insisim.Path, func(c *insi.Config) { c.Auth = insi.AuthPSC })
	zoe := traits("ADRUN", "ZOE", "F", "1975-12-31")
	for tok, want := range map[string]error{"good": nil, "forged": insi.ErrAccessLevel} {
		_, err := c.SearchTraits(context.Background(), zoe, &insi.Professional{IDNat: "810002909371", AccessToken: tok})
		if !errors.Is(err, want) {
			t.Errorf("%s: %v", tok, err)
		}
	}
	_, err := c.SearchTraits(context.Background(), zoe, &insi.Professional{IDNat: "899999999999", AccessToken: "good"})
	if !errors.Is(err, insi.ErrAccessLevel) {
		t.Errorf("another professional's token: %v", err)
	}
}

// TestRefusesBadRequests: what INSi refuses, posted raw, gets a SOAP
// fault, never a result.
func TestRefusesBadRequests(t *testing.T) {
	_, url := newSim(t, insisim.ModeEither)
	good := `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:ctxbam="urn:siram:bam:ctxbam" xmlns:ctxlps="urn:siram:lps:ctxlps"><soap:Header><ctxbam:ContexteBAM Version="01_02"><ctxbam:Id>1</ctxbam:Id></ctxbam:ContexteBAM><ctxlps:ContexteLPS><ctxlps:LPS><ctxlps:IDAM R="4">` + insisim.DefaultIDAM + `</ctxlps:IDAM></ctxlps:LPS></ctxlps:ContexteLPS><wsa:Action>` + insisim.ActionTraits + `</wsa:Action><wsa:MessageID>uuid:1</wsa:MessageID></soap:Header><soap:Body><RECSANSVITALE xmlns="http://www.cnamts.fr/INSiRecSans"><NomNaissance>ADRUN</NomNaissance><Prenom>ZOE</Prenom><Sexe>F</Sexe><DateNaissance>1975-12-31</DateNaissance></RECSANSVITALE></soap:Body></soap:Envelope>`
	post := func(body, ct string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set(insisim.SandboxCNHeader, "INSI-AUTO")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String()
	}
	if code, body := post(good, "application/soap+xml; charset=utf-8"); code != 200 || !strings.Contains(body, "2751263220749") {
		t.Fatalf("good request: %d %s", code, body)
	}
	for name, body := range map[string]string{
		"accent":      strings.Replace(good, ">ZOE<", ">ZOÉ<", 1),
		"lower case":  strings.Replace(good, ">ADRUN<", ">Adrun<", 1),
		"no action":   strings.Replace(good, insisim.ActionTraits, "urn:other", 1),
		"no msg id":   strings.Replace(good, "uuid:1", "", 1),
		"soap 1.1":    strings.ReplaceAll(good, "http://www.w3.org/2003/05/soap-envelope", "http://schemas.xmlsoap.org/soap/envelope/"),
		"body ns":     strings.Replace(good, "INSiRecSans", "Other", 1),
		"bad date":    strings.Replace(good, "1975-12-31", "31/12/1975", 1),
		"not xml":     "hello",
		"card action": strings.Replace(good, insisim.ActionTraits, insisim.ActionCard, 1),
	} {
		code, resp := post(body, "application/soap+xml; charset=utf-8")
		if code != http.StatusInternalServerError || !strings.Contains(resp, "siram:Erreur") {
			t.Errorf("%s: %d %s", name, code, resp)
		}
	}
	if code, _ := post(good, "text/xml"); code != http.StatusInternalServerError {
		t.Errorf("SOAP 1.1 media type: %d", code)
	}
	if resp, _ := http.Get(url); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
	}
}
