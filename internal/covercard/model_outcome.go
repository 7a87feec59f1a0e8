package covercard

import (
	"strconv"
	"strings"
)

// Outcome is what Covercard said about a card, in the order it is
// decided: a blocked card says nothing more; a card without base
// information is unknown; another non-zero validCard is invalid; an
// expired card is expired even when it would be VVG only.
type Outcome int

// Outcomes of a lookup.
const (
	// Valid: the card is valid and carries basic (KVG) insurance.
	Valid Outcome = iota
	// Blocked: validCard 67, the insurer blocked the card; the person is
	// asked to contact the insurer. No personal data is kept.
	Blocked
	// Expired: the card's expiry date is before today.
	Expired
	// UnknownCard: no CH-Baseinformation, Covercard does not know the card.
	UnknownCard
	// VVGOnly: no KVGBase, the card carries supplementary (VVG) insurance
	// only.
	VVGOnly
	// Invalid: any other non-zero validCard; Result.ValidCardCode keeps
	// it and CardCodeMeaning says what it means. As Elexis does, the
	// person's data is kept (Result.Person) when the answer carries it.
	Invalid
)

// String returns a stable machine name, used in the audit table and in
// metrics: "valid", "blocked", "expired", "unknown", "vvg_only", "invalid".
func (o Outcome) String() string {
	switch o {
	case Valid:
		return "valid"
	case Blocked:
		return "blocked"
	case Expired:
		return "expired"
	case UnknownCard:
		return "unknown"
	case VVGOnly:
		return "vvg_only"
	case Invalid:
		return "invalid"
	}
	return "outcome(" + strconv.Itoa(int(o)) + ")"
}

// CardCodeMeaning says what a validCard code means, as a stable
// description key. Covercard publishes no list of codes (the reference
// found none): 0 is a valid card, 67 a card blocked by the insurer
// ("contact the insurer"); any other number means the card is not valid
// for a reason Covercard does not name here.
//
//	""            → "absent"
//	"0", "00"     → "valid"
//	"67"          → "blocked"
//	other digits  → "not_valid"
//	anything else → "unreadable"
func CardCodeMeaning(code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return "absent"
	}
	n, ok := parseCode(code)
	switch {
	case !ok:
		return "unreadable"
	case n == 0:
		return "valid"
	case n == blockedCode:
		return "blocked"
	}
	return "not_valid"
}
