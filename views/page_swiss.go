package views

import (
	"context"
)

// outcomeLevel grades a Covercard outcome — "success", "warning" or
// "error" — for its badge and its alert alike.
func outcomeLevel(outcome string) string {
	switch outcome {
	case "valid":
		return "success"
	case "expired", "vvg_only":
		return "warning"
	default:
		return "error"
	}
}

// suspended says whether Covercard vouches for the card while the insurer
// has suspended its benefits: valid, but not a card to treat on as usual.
func suspended(v SwissPatientView) bool {
	return v.Outcome == "valid" && v.Person != nil && v.Person.Restriction == "suspended"
}

// swissLevel grades a card's page — its badge and its alert: a valid card
// whose benefits are suspended is a warning, not a success.
func swissLevel(v SwissPatientView) string {
	if suspended(v) {
		return "warning"
	}
	return outcomeLevel(v.Outcome)
}

// swissBadge names a card's outcome on its badge.
func swissBadge(ctx context.Context, v SwissPatientView) string {
	if suspended(v) {
		return t(ctx, "swiss.suspended.badge")
	}
	return t(ctx, "swiss.outcome."+v.Outcome)
}

// outcomeMessage explains a Covercard outcome; blocked and refused cards
// quote Covercard's code, which the insurer will ask for.
func outcomeMessage(ctx context.Context, v SwissPatientView) string {
	if suspended(v) {
		return t(ctx, "swiss.suspended.message")
	}
	if v.Outcome == "blocked" || v.Outcome == "invalid" {
		return t(ctx, "swiss.message."+v.Outcome, v.Code)
	}
	return t(ctx, "swiss.message."+v.Outcome)
}

// FormatCard groups a Swiss card's 20 digits by five, as printed on the
// card: "80756 00000 00000 00001".
func FormatCard(card string) string {
	if len(card) != 20 {
		return card
	}
	return card[:5] + " " + card[5:10] + " " + card[10:15] + " " + card[15:]
}
