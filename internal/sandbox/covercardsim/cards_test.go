package covercardsim

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestShippedCards(t *testing.T) {
	cards := shippedCards(t)
	byNumber := map[string]Card{}
	scenarios := map[Scenario]int{}
	pattern := regexp.MustCompile(`^80756\d{15}$`)
	for _, c := range cards {
		byNumber[c.Number] = c
		scenarios[c.Scenario]++
		if !pattern.MatchString(c.Number) {
			t.Errorf("%s is not a card number", c.Number)
		}
		if c.Note == "" {
			t.Errorf("%s has no note for presenters", c.Number)
		}
	}
	for _, s := range []Scenario{ScenarioValid, ScenarioBlocked, ScenarioVVGOnly, ScenarioExpired, ScenarioUnknown, ScenarioMalformed, ScenarioInvalid} {
		if scenarios[s] == 0 {
			t.Errorf("no %s card", s)
		}
	}
	if scenarios[ScenarioValid] < 2 {
		t.Error("fewer than two valid cards")
	}
	zoe := byNumber[cardZoe].Person
	if zoe == nil || zoe.FirstName+" "+zoe.OfficialName != "Zoé Müller-Dubois" || zoe.Address.Town != "Lausanne" {
		t.Fatalf("Zoé: %+v", zoe)
	}
	if zoe.KVG == nil || len(zoe.VVG) == 0 || zoe.Insurer.BAGNumber == "" || zoe.InsuredNumber == "" {
		t.Errorf("Zoé's insurance is incomplete: %+v", zoe)
	}
	if byNumber[cardExpired].Person.CardExpiry >= testNow.Format("2006-01-02") {
		t.Error("the expired card is not expired")
	}
	for _, n := range []string{cardZoe, cardBrunner, cardSuspended} {
		if byNumber[n].Person.CardExpiry <= "2029-01-01" {
			t.Errorf("%s expires too soon for demos", n)
		}
	}
}

func TestLoadCardsRejects(t *testing.T) {
	person := `"person":{"official_name":"A","first_name":"B","birth_date":"1980-01-01","ahv":"7561234567897","sex":1,"card_expiry":"2030-01-01","coverage_restriction":"00"`
	kvg := `,"kvg":{"model":"01","accident_coverage":"01"}`
	tests := []struct {
		name, json, want string
	}{
		{"not JSON", `[`, "unexpected EOF"},
		{"unknown field", `[{"number":"80756000000000000001","scenario":"blocked","colour":"red"}]`, "unknown field"},
		{"short number", `[{"number":"8075600000000000001","scenario":"blocked"}]`, "not a Swiss card number"},
		{"foreign number", `[{"number":"80276000000000000001","scenario":"blocked"}]`, "not a Swiss card number"},
		{"twice", `[{"number":"80756000000000000001","scenario":"blocked"},{"number":"80756000000000000001","scenario":"unknown"}]`, "twice"},
		{"unknown scenario", `[{"number":"80756000000000000001","scenario":"lost"}]`, "unknown scenario"},
		{"valid without person", `[{"number":"80756000000000000001","scenario":"valid"}]`, "needs a person"},
		{"valid without KVG", `[{"number":"80756000000000000001","scenario":"valid",` + person + `}}]`, "KVG"},
		{"vvg_only with KVG", `[{"number":"80756000000000000001","scenario":"vvg_only",` + person + kvg + `}}]`, "without KVG"},
		{"unknown with person", `[{"number":"80756000000000000001","scenario":"unknown",` + person + `}}]`, "no person"},
		{"bad AHV check digit", `[{"number":"80756000000000000001","scenario":"valid",` + strings.Replace(person, "7561234567897", "7561234567890", 1) + kvg + `}}]`, "check digit"},
		{"bad birth date", `[{"number":"80756000000000000001","scenario":"valid",` + strings.Replace(person, "1980-01-01", "01.01.1980", 1) + kvg + `}}]`, "birth_date"},
		{"bad sex", `[{"number":"80756000000000000001","scenario":"valid",` + strings.Replace(person, `"sex":1`, `"sex":3`, 1) + kvg + `}}]`, "sex"},
		{"bad KVG model", `[{"number":"80756000000000000001","scenario":"valid",` + person + `,"kvg":{"model":"2","accident_coverage":"01"}}}]`, "two-digit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadCards(fstest.MapFS{"c.json": {Data: []byte(tt.json)}}, "c.json")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := LoadCards(fstest.MapFS{}, "none.json"); err == nil {
		t.Fatal("missing file accepted")
	}
}

func TestValidAHV(t *testing.T) {
	tests := map[string]bool{
		"7561234567897":    true,
		"7569876543217":    true,
		"7561234567890":    false, // check digit
		"7571234567897":    false, // not Swiss
		"756123456789":     false, // short
		"75612345678970":   false, // long
		"756.1234.5678.97": false,
		"756123456789x":    false,
	}
	for in, want := range tests {
		if got := validAHV(in); got != want {
			t.Errorf("validAHV(%q) = %v", in, got)
		}
	}
}

func TestNewRequiresTokens(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Fatal("no token checker accepted")
	}
	if _, err := New(Config{Tokens: testTokens, Cards: []Card{{Number: "1", Scenario: ScenarioBlocked}}}); err == nil {
		t.Fatal("bad card accepted")
	}
}
