package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/covercard"
	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/views"
)

// Audit outcomes of a card lookup that got no answer from Covercard.
const (
	lookupServiceError = "service_error"
	lookupMalformed    = "malformed" // Covercard answered, but not a readable document
	lookupReauth       = "reauth"
	lookupForbidden    = "forbidden"
)

// lookupVia is whose token calls Covercard.
type lookupVia string

const (
	viaHIN     lookupVia = "hin"     // the professional's own, after a HIN sign-in
	viaService lookupVia = "service" // the practice's client-credentials access
)

// covercardTokens chooses whose token calls Covercard: the professional's
// own HIN token after a HIN sign-in, else the practice's access.
func (s *Server) covercardTokens(ctx context.Context) (ts hin.TokenSource, via lookupVia, ok bool) {
	if s.session(ctx).Authority() == authorityHIN && s.HINTokens != nil {
		return s.HINTokens.For(s.accountID(ctx)), viaHIN, true
	}
	if s.ServiceTokens != nil {
		return s.ServiceTokens, viaService, true
	}
	return nil, "", false
}

// swissPatient asks Covercard about a Swiss insurance card; record says
// whether this is a new consultation (see frenchPatient).
func (s *Server) swissPatient(c echo.Context, value string, record bool) error {
	ctx := c.Request().Context()
	card, err := covercard.ParseCardNumber(value)
	if err != nil {
		return s.identifyError(c, http.StatusUnprocessableEntity, views.IdentifyForm{Value: value, Recognised: "card", Error: "identify.error.card_format"})
	}
	if s.Covercard == nil {
		return s.identifyError(c, http.StatusUnprocessableEntity, views.IdentifyForm{Value: value, Recognised: "card", Error: "identify.error.card_off"})
	}
	tokens, via, ok := s.covercardTokens(ctx)
	if !ok {
		return s.identifyError(c, http.StatusUnprocessableEntity, views.IdentifyForm{Value: value, Recognised: "card", Error: "identify.error.card_off"})
	}
	start := s.Now()
	res, err := s.Covercard.Lookup(ctx, card, tokens)
	if err != nil {
		failure := classifyLookupError(err, via)
		s.Logger.WarnContext(ctx, "covercard lookup failed", slog.String("outcome", failure.outcome), slog.String("via", string(via)), slog.Any("err", err))
		s.Metrics.CovercardLookup(failure.outcome, s.Now().Sub(start))
		if record {
			if aerr := s.recordLookup(c, "card", card, failure.outcome); aerr != nil {
				return aerr
			}
		}
		f := views.IdentifyForm{Value: value, Recognised: "card", Error: failure.key}
		if failure.outcome == lookupReauth {
			f.SignInAgain = "/auth/hin/login?" + url.Values{"return": {homePath}}.Encode()
		}
		return s.identifyError(c, failure.status, f)
	}
	s.Metrics.CovercardLookup(res.Outcome.String(), s.Now().Sub(start))
	if record {
		if err := s.recordLookup(c, "card", card, res.Outcome.String()); err != nil {
			return err
		}
	}
	s.rememberPatient(c, "card", card)
	return s.render(c, http.StatusOK, views.SwissPatientPage(swissView(res, card, via)))
}

// lookupFailure is how a lookup that got no answer is recorded and told.
type lookupFailure struct {
	outcome string // audit outcome
	status  int
	key     string // message key
}

// classifyLookupError maps a failed lookup to what the professional can
// do. A refused token is theirs to renew only when it is their own HIN
// token; the practice's access being refused is the administrator's
// business.
func classifyLookupError(err error, via lookupVia) lookupFailure {
	refused := errors.Is(err, hin.ErrReauthRequired) || errors.Is(err, covercard.ErrUnauthorized)
	switch {
	case via == viaHIN && errors.Is(err, hin.ErrRejected):
		// HIN refused to renew the professional's own token (401, 404:
		// the grant or the client no longer allowed): theirs to sign in
		// again; the practice's access has nothing to do with it.
		return lookupFailure{lookupReauth, http.StatusUnauthorized, "identify.error.card_hin_refused"}
	case via == viaHIN && refused:
		return lookupFailure{lookupReauth, http.StatusUnauthorized, "identify.error.card_reauth"}
	case via == viaHIN && errors.Is(err, covercard.ErrForbidden):
		return lookupFailure{lookupForbidden, http.StatusForbidden, "identify.error.card_forbidden"}
	case refused, errors.Is(err, covercard.ErrForbidden), errors.Is(err, hin.ErrInvalidGrant), errors.Is(err, hin.ErrRejected):
		return lookupFailure{lookupForbidden, http.StatusBadGateway, "identify.error.card_practice"}
	case errors.Is(err, covercard.ErrMalformed):
		// Covercard answered, with something that is no Covercard
		// document: not the same as no answer at all.
		return lookupFailure{lookupMalformed, http.StatusBadGateway, "identify.error.card_malformed"}
	}
	return lookupFailure{lookupServiceError, http.StatusBadGateway, "identify.error.card_service"}
}

func swissView(res *covercard.Result, card string, via lookupVia) views.SwissPatientView {
	v := views.SwissPatientView{Outcome: res.Outcome.String(), Code: res.ValidCardCode, CardNumber: views.FormatCard(card), Via: string(via)}
	if res.Outcome == covercard.Invalid {
		// A code other than 0 and 67: what it means, as far as is known.
		v.CodeMeaning = covercard.CardCodeMeaning(res.ValidCardCode)
	}
	p := res.Person
	if p == nil {
		return v
	}
	sp := &views.SwissPerson{
		FamilyName: p.FamilyName, GivenName: p.GivenName, BirthDate: p.BirthDate,
		Sex: p.Sex.String(), AHV: p.AHVFormatted(),
		AddressLine: p.Address.Line1, Zip: p.Address.ZipCode, Town: p.Address.Town, Country: p.Address.Country,
		InsurerName: p.InsurerName, InsurerBAG: p.InsurerBAGNumber, InsurerGLN: p.InsurerContact.EAN,
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
	swissInvoicing(sp, p)
	v.Person = sp
	return v
}

// swissInvoicing adds the insurer's billing address, the invoicing mode
// and the debtor, when the answer says them.
func swissInvoicing(sp *views.SwissPerson, p *covercard.InsuredPerson) {
	if a := p.InsurerContact.BillingAddress; a != nil {
		sp.BillingAddress = &views.SwissAddress{Line: a.Line1, Zip: a.ZipCode, Town: a.Town, Country: a.Country}
	}
	if m := p.Invoicing(); m != covercard.InvoicingNotStated {
		sp.Invoicing = m.String()
	}
	if d := p.Debtor; d != nil {
		sp.Debtor = &views.SwissDebtor{
			Name:    strings.TrimSpace(d.GivenName + " " + d.FamilyName),
			Address: views.SwissAddress{Line: d.Address.Line1, Zip: d.Address.ZipCode, Town: d.Address.Town, Country: d.Address.Country},
		}
	}
}
