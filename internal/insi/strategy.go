package insi

import (
	"context"
	"strings"
)

// Need says what a search by traits lacks when it ended without an
// identity.
type Need string

// What the user is asked for after FindByTraits.
const (
	// NeedNothing: an identity was found, or no identity exists for these
	// traits (change them).
	NeedNothing Need = ""
	// NeedMoreFirstNames: several identities (02); add the other first
	// names of the identity document.
	NeedMoreFirstNames Need = "more_first_names"
	// NeedBirthPlace: several identities even with every first name; add
	// the birthplace COG.
	NeedBirthPlace Need = "birth_place"
)

// Attempt is one call of the strategy: the first names sent and the code.
type Attempt struct {
	FirstNames string
	Code       Code
	MessageID  string
}

// Outcome is the end of FindByTraits.
type Outcome struct {
	// Result is the last answer: 00 with the identity, or 01/02.
	Result *Result
	// Attempts are every call made, in order (for the audit trail).
	Attempts []Attempt
	// Need is what to ask the user for when Result is 02.
	Need Need
}

// FindByTraits runs INSi's first-name strategy: each first name alone,
// then the whole list, stopping at the first 00. A 02 asks for more first
// names, or, when the birthplace is already the only thing missing (all
// first names sent), for the birthplace COG. The traits are checked once
// before any call. An error ends the strategy; Outcome holds the attempts
// made so far.
func FindByTraits(ctx context.Context, s Searcher, t Traits, who *Professional) (*Outcome, error) {
	if err := t.Validate(); err != nil {
		return &Outcome{}, err
	}
	tries := firstNameTries(t.FirstNames)
	out := &Outcome{}
	several := false
	for _, names := range tries {
		q := t
		q.FirstNames = names
		res, err := s.SearchTraits(ctx, q, who)
		if err != nil {
			return out, err
		}
		out.Result = res
		out.Attempts = append(out.Attempts, Attempt{FirstNames: strings.Join(names, " "), Code: res.Code, MessageID: res.MessageID})
		switch res.Code {
		case CodeFound:
			return out, nil
		case CodeSeveral:
			several = true
		}
	}
	if several {
		// Any 02 means more than one identity answers some of the first
		// names; report it even when the last try said 01.
		if out.Result.Code != CodeSeveral {
			out.Result = &Result{Code: CodeSeveral, Label: "Plusieurs identites trouvees", MessageID: out.Result.MessageID}
		}
		out.Need = NeedMoreFirstNames
		if len(tries) > 1 && t.BirthPlace == "" {
			out.Need = NeedBirthPlace
		}
	}
	return out, nil
}

// firstNameTries lists the first-name sets to send: each name (split on
// spaces, as a list typed in one box is), then the whole list when it has
// more than one; duplicates are sent once. No first name: one call without.
func firstNameTries(given []string) [][]string {
	var names []string
	for _, g := range given {
		names = append(names, strings.Fields(g)...)
	}
	if len(names) == 0 {
		return [][]string{nil}
	}
	seen := map[string]bool{}
	var tries [][]string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			tries = append(tries, []string{n})
		}
	}
	if len(names) > 1 {
		tries = append(tries, names)
	}
	return tries
}
