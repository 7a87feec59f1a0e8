package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/covercard"
	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/views"
)

// Audit outcomes of a card lookup that got no answer from Covercard.
const (
	outcomeServiceError = "service_error"
	outcomeReauth       = "reauth"
	outcomeForbidden    = "forbidden"
)

// swissPatient asks Covercard about a Swiss insurance card.
func (s *Server) swissPatient(c echo.Context, value string) error {
	ctx := c.Request().Context()
	card, err := covercard.ParseCardNumber(value)
	if err != nil {
		return s.identifyError(c, http.StatusUnprocessableEntity, value, "card", "identify.error.card_format")
	}
	if s.Covercard == nil {
		return s.identifyError(c, http.StatusUnprocessableEntity, value, "card", "identify.error.card_off")
	}
	tokens, via, ok := s.covercardTokens(ctx)
	if !ok {
		return s.identifyError(c, http.StatusUnprocessableEntity, value, "card", "identify.error.card_off")
	}
	start := s.Now()
	res, err := s.Covercard.Lookup(ctx, card, tokens)
	if err != nil {
		outcome, status, key := outcomeServiceError, http.StatusBadGateway, "identify.error.card_service"
		switch {
		case errors.Is(err, hin.ErrReauthRequired), errors.Is(err, covercard.ErrUnauthorized):
			outcome, status, key = outcomeReauth, http.StatusUnauthorized, "identify.error.card_reauth"
		case errors.Is(err, covercard.ErrForbidden):
			outcome, status, key = outcomeForbidden, http.StatusForbidden, "identify.error.card_forbidden"
		}
		s.Logger.WarnContext(ctx, "covercard lookup failed", slog.String("outcome", outcome), slog.Any("err", err))
		s.Metrics.CovercardLookup(outcome, s.Now().Sub(start))
		if aerr := s.recordLookup(c, "card", card, outcome); aerr != nil {
			return aerr
		}
		return s.identifyError(c, status, value, "card", key)
	}
	s.Metrics.CovercardLookup(res.Outcome.String(), s.Now().Sub(start))
	if err := s.recordLookup(c, "card", card, res.Outcome.String()); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.SwissPatientPage(swissView(res, card, via)))
}

func swissView(res *covercard.Result, card, via string) views.SwissPatientView {
	v := views.SwissPatientView{Outcome: res.Outcome.String(), Code: res.ValidCardCode, CardNumber: formatCard(card), Via: via}
	p := res.Person
	if p == nil {
		return v
	}
	sp := &views.SwissPerson{
		FamilyName: p.FamilyName, GivenName: p.GivenName, BirthDate: p.BirthDate,
		Sex: p.Sex.String(), AHV: p.AHVFormatted(),
		AddressLine: p.Address.Line1, Zip: p.Address.ZipCode, Town: p.Address.Town, Country: p.Address.Country,
		InsurerName: p.InsurerName, InsurerBAG: p.InsurerBAGNumber,
		InsuredNumber: p.InsuredNumber, InsuredPersonNumber: p.InsuredPersonNumber,
		CardExpiry: p.CardExpiry, Accident: "unknown", Restriction: p.CoverageRestriction.String(),
		InsurerPhone: p.InsurerContact.Phone, InsurerEmail: p.InsurerContact.Email,
	}
	if k := p.KVG; k != nil {
		sp.KVG = true
		sp.KVGModelKey = k.Model.String()
		// The insurer's own name for the model only when the code says
		// nothing more precise (it comes in Covercard's query language).
		if sp.KVGModelKey == "other" || sp.KVGModelKey == "unknown" {
			sp.KVGModel = k.ModelText
		}
		sp.KVGCanton = k.Canton
		sp.Accident = k.AccidentCoverage.String()
	}
	for _, vvg := range p.VVG {
		sp.VVG = append(sp.VVG, views.SwissVVG{Name: vvg.Name, Expiry: vvg.Expiry})
	}
	v.Person = sp
	return v
}

// formatCard groups the 20 digits by five, as printed on the card.
func formatCard(card string) string {
	if len(card) != 20 {
		return card
	}
	return card[:5] + " " + card[5:10] + " " + card[10:15] + " " + card[15:]
}
