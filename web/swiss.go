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
	"github.com/infopatient/infopatient/internal/store"
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

// swissLookup asks Covercard about a Swiss insurance card, records the
// lookup, and answers with its page; what Covercard said is handed to
// that page rather than asked again.
func (s *Server) swissLookup(c echo.Context, value string) error {
	ctx := c.Request().Context()
	card, err := covercard.ParseCardNumber(value)
	if err != nil {
		return s.identifyError(c, http.StatusUnprocessableEntity, views.IdentifyForm{Value: value, Recognised: "card", Error: "identify.error.card_format"})
	}
	tokens, via, ok := s.covercardTokens(ctx)
	if s.Covercard == nil || !ok {
		return s.identifyError(c, http.StatusUnprocessableEntity, views.IdentifyForm{Value: value, Recognised: "card", Error: "identify.error.card_off"})
	}
	res, failure := s.askCovercard(c, card, tokens, via)
	l := store.Lookup{Kind: lookupKindCard, Identifier: card}
	var shown any
	if failure != nil {
		l.Outcome, shown = failure.outcome, *failure
	} else {
		l.Outcome, shown = res.Outcome.String(), swissAnswer{res: res, via: via}
		if p := res.Person; p != nil {
			l.PatientName = strings.TrimSpace(p.FamilyName + " " + p.GivenName)
			if res.Outcome == covercard.Valid && p.CoverageRestriction.String() == "suspended" {
				l.Shown = "suspended"
			}
		}
	}
	// The lookup is recorded before anything is shown: no record, no data.
	id, err := s.newLookup(c, l)
	if err != nil {
		return err
	}
	s.handoff.put(id, shown, s.Now())
	return s.seeLookup(c, id)
}

// swissAnswer is what Covercard answered, and whose token asked.
type swissAnswer struct {
	res *covercard.Result
	via lookupVia
}

// askCovercard looks a card up, counting and logging how it went; a
// failure says how to record and tell it.
func (s *Server) askCovercard(c echo.Context, card string, tokens hin.TokenSource, via lookupVia) (*covercard.Result, *lookupFailure) {
	ctx := c.Request().Context()
	start := s.Now()
	res, err := s.Covercard.Lookup(ctx, card, tokens)
	if err != nil {
		failure := classifyLookupError(err, via)
		s.Logger.WarnContext(ctx, "covercard lookup failed", slog.String("outcome", failure.outcome), slog.String("via", string(via)), slog.Any("err", err))
		s.Metrics.CovercardLookup(failure.outcome, s.Now().Sub(start))
		return nil, &failure
	}
	s.Metrics.CovercardLookup(res.Outcome.String(), s.Now().Sub(start))
	return res, nil
}

// showSwiss shows a card lookup: what its POST got, handed over; else a
// failure as recorded, or Covercard asked again (a reload, a language
// switch: the consultation recorded, shown again, with no new row).
func (s *Server) showSwiss(c echo.Context, l store.Lookup) error {
	ctx := c.Request().Context()
	if v, ok := s.handoff.take(l.ID, s.Now()); ok {
		switch v := v.(type) {
		case lookupFailure:
			return s.showCardFailure(c, l.Identifier, v)
		case swissAnswer:
			return s.showCardAnswer(c, l.Identifier, v)
		}
	}
	tokens, via, ok := s.covercardTokens(ctx)
	if f, failed := recordedFailure(l.Outcome, via); failed {
		return s.showCardFailure(c, l.Identifier, f)
	}
	if s.Covercard == nil || !ok {
		return s.render(c, http.StatusUnprocessableEntity, s.identifyPageOf(c.Request().Context(), views.IdentifyForm{Value: views.FormatCard(l.Identifier), Recognised: "card", Error: "identify.error.card_off"}))
	}
	res, failure := s.askCovercard(c, l.Identifier, tokens, via)
	if failure != nil {
		return s.showCardFailure(c, l.Identifier, *failure)
	}
	return s.showCardAnswer(c, l.Identifier, swissAnswer{res: res, via: via})
}

// showCardAnswer shows Covercard's answer: the patient page, or — for a
// card Covercard does not know or has blocked — the form with the number
// and what is wrong under it, as for an unknown NIR.
func (s *Server) showCardAnswer(c echo.Context, card string, a swissAnswer) error {
	f := views.IdentifyForm{Value: views.FormatCard(card), Recognised: "card"}
	switch {
	case a.res.Outcome == covercard.UnknownCard:
		f.Error = "swiss.message.unknown"
		return s.render(c, http.StatusNotFound, s.identifyPageOf(c.Request().Context(), f))
	case a.res.Outcome == covercard.Blocked && a.res.Person == nil:
		f.Error, f.ErrorArgs = "swiss.message.blocked", []any{a.res.ValidCardCode}
		return s.render(c, http.StatusOK, s.identifyPageOf(c.Request().Context(), f))
	}
	return s.render(c, http.StatusOK, views.SwissPatientPage(swissView(a.res, card, a.via)))
}

// showCardFailure shows a lookup Covercard did not answer: the form with
// the number and what happened.
func (s *Server) showCardFailure(c echo.Context, card string, failure lookupFailure) error {
	f := views.IdentifyForm{Value: views.FormatCard(card), Recognised: "card", Error: failure.key}
	if failure.outcome == lookupReauth {
		f.SignInAgain = "/auth/hin/login?" + url.Values{"return": {homePath}}.Encode()
	}
	return s.render(c, failure.status, s.identifyPageOf(c.Request().Context(), f))
}

// recordedFailure tells again a failure as recorded, when the page is
// shown again after its handover: the professional looks up again from
// the form rather than by reloading.
func recordedFailure(outcome string, via lookupVia) (lookupFailure, bool) {
	switch outcome {
	case lookupServiceError:
		return lookupFailure{lookupServiceError, http.StatusBadGateway, "identify.error.card_service"}, true
	case lookupMalformed:
		return lookupFailure{lookupMalformed, http.StatusBadGateway, "identify.error.card_malformed"}, true
	case lookupReauth:
		return lookupFailure{lookupReauth, http.StatusUnauthorized, "identify.error.card_reauth"}, true
	case lookupForbidden:
		if via == viaHIN {
			return lookupFailure{lookupForbidden, http.StatusForbidden, "identify.error.card_forbidden"}, true
		}
		return lookupFailure{lookupForbidden, http.StatusBadGateway, "identify.error.card_practice"}, true
	}
	return lookupFailure{}, false
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
