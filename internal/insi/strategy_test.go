package insi

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// table answers by the first names sent; it stands for INSi in the
// strategy's unit tests (the sandbox tests run it against the simulator).
type table map[string]Code

func (tb table) SearchTraits(_ context.Context, t Traits, _ *Professional) (*Result, error) {
	names := strings.Join(t.FirstNames, " ")
	if names == "FAIL" {
		return nil, ErrUnavailable
	}
	c, ok := tb[names]
	if !ok {
		c = CodeNotFound
	}
	res := &Result{Code: c, MessageID: "uuid:" + names}
	if c == CodeFound {
		res.Identity = &Identity{FirstNames: names}
	}
	return res, nil
}

func TestFindByTraits(t *testing.T) {
	base := Traits{BirthName: "TCHITCHI", Sex: "F", BirthDate: "1936-06-21"}
	cases := []struct {
		name     string
		given    []string
		place    string
		answers  table
		code     Code
		attempts []string
		need     Need
	}{
		{"second first name found", []string{"OLA CATARINA BELLA"}, "", table{"CATARINA": CodeFound}, CodeFound, []string{"OLA", "CATARINA"}, NeedNothing},
		{"whole list found", []string{"PIERRE", "PAUL"}, "", table{"PIERRE PAUL": CodeFound}, CodeFound, []string{"PIERRE", "PAUL", "PIERRE PAUL"}, NeedNothing},
		{"none", []string{"PIERRE PAUL JACQUES"}, "", table{}, CodeNotFound, []string{"PIERRE", "PAUL", "JACQUES", "PIERRE PAUL JACQUES"}, NeedNothing},
		{"several, one name", []string{"LEONARDO"}, "", table{"LEONARDO": CodeSeveral}, CodeSeveral, []string{"LEONARDO"}, NeedMoreFirstNames},
		{"several, all names", []string{"LEONARDO", "PIERO"}, "", table{"LEONARDO": CodeSeveral}, CodeSeveral, []string{"LEONARDO", "PIERO", "LEONARDO PIERO"}, NeedBirthPlace},
		{"several with place", []string{"LEONARDO", "PIERO"}, "63220", table{"LEONARDO": CodeSeveral}, CodeSeveral, []string{"LEONARDO", "PIERO", "LEONARDO PIERO"}, NeedMoreFirstNames},
		{"no first name", nil, "", table{"": CodeFound}, CodeFound, []string{""}, NeedNothing},
	}
	for _, tc := range cases {
		tr := base
		tr.FirstNames, tr.BirthPlace = tc.given, tc.place
		out, err := FindByTraits(context.Background(), tc.answers, tr, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var sent []string
		for _, a := range out.Attempts {
			sent = append(sent, a.FirstNames)
		}
		if out.Result.Code != tc.code || strings.Join(sent, "|") != strings.Join(tc.attempts, "|") || out.Need != tc.need {
			t.Errorf("%s: code %s, sent %q, need %q", tc.name, out.Result.Code, sent, out.Need)
		}
	}
	// Refused traits: no call at all; an error keeps the attempts so far.
	tr := base
	tr.FirstNames = []string{"Ola"}
	if out, err := FindByTraits(context.Background(), table{}, tr, nil); !errors.Is(err, ErrLexical) || len(out.Attempts) != 0 {
		t.Errorf("lexical: %v", err)
	}
	tr.FirstNames = []string{"OLA", "FAIL"}
	if out, err := FindByTraits(context.Background(), table{}, tr, nil); !errors.Is(err, ErrUnavailable) || len(out.Attempts) != 1 {
		t.Errorf("failure: %v %+v", err, out)
	}
}
