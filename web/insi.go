package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/commune"
	"github.com/infopatient/infopatient/internal/insi"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/vigilance"
	"github.com/infopatient/infopatient/views"
)

// PatientIdentities keeps the identities retrieved from INSi with their
// identity-vigilance status; each change writes its own audit row.
type PatientIdentities interface {
	SaveINSiResult(ctx context.Context, r store.INSiResult) (store.PatientIdentity, error)
	QualifyIdentity(ctx context.Context, id int64, doc vigilance.Document, accountID int64) (store.PatientIdentity, error)
	MarkIdentity(ctx context.Context, id int64, a vigilance.Attributes, accountID int64) (store.PatientIdentity, error)
	SetUsedNames(ctx context.Context, id int64, usedName, usedGivenName string) error
	PatientIdentityByID(ctx context.Context, id int64) (store.PatientIdentity, error)
}

// Audit kinds and outcomes of INSi calls (lookups.kind, .outcome): the
// operation, then the result code or the failure; the identifier is the
// call's wsa:MessageID, never a trait.
const (
	auditINSiTraits     = "insi-traits"
	auditINSiDemo       = "insi-demo" // the demo identity seeded at start-up
	insiUnavailable     = "unavailable"
	insiTimeout         = "timeout"
	insiUnknownSoftware = "unknown_software"
	insiAccessLevel     = "access_level"
	insiRefused         = "refused"
	insiMalformed       = "malformed"
	insiBadKey          = "bad_key"
)

// insiEnabled says whether the search by traits is offered.
func (s *Server) insiEnabled() bool { return s.INSi != nil }

// traits answers the « Par traits d'identité » form. step "check" (the
// form) normalises and shows what will be sent; "edit" goes back to the
// form; "search" (the confirmation) calls INSi with exactly the values
// confirmed, which must already be in INSi's form.
func (s *Server) traits(c echo.Context) error {
	if !s.insiEnabled() {
		return echo.ErrNotFound
	}
	switch c.FormValue("step") {
	case "edit":
		return s.traitsError(c, http.StatusOK, views.TraitsForm{
			BirthName: c.FormValue("typed_birth_name"), FirstNames: c.FormValue("typed_first_names"),
			Sex: c.FormValue("sex"), BirthDate: c.FormValue("birth_date"), BirthPlace: c.FormValue("typed_birth_place"),
		})
	case "search":
		return s.traitsSearch(c)
	}
	return s.traitsCheck(c)
}

// traitsCheck normalises the typed traits and shows them for
// confirmation; a trait INSi would refuse is named, with the character.
func (s *Server) traitsCheck(c echo.Context) error {
	typed := views.TraitsForm{
		BirthName: c.FormValue("birth_name"), FirstNames: c.FormValue("first_names"),
		Sex: strings.TrimSpace(c.FormValue("sex")), BirthDate: strings.TrimSpace(c.FormValue("birth_date")),
		BirthPlace: strings.TrimSpace(c.FormValue("birth_place")),
	}
	norm := typed
	var err error
	if norm.BirthName, err = normaliseName(insi.FieldBirthName, typed.BirthName, insi.CheckBirthName); err != nil {
		return s.traitsError(c, http.StatusUnprocessableEntity, withMessage(typed, lexicalMessage(err)))
	}
	if norm.FirstNames, err = normaliseName(insi.FieldFirstNames, typed.FirstNames, insi.CheckFirstNames); err != nil {
		return s.traitsError(c, http.StatusUnprocessableEntity, withMessage(typed, lexicalMessage(err)))
	}
	if norm.Sex != "F" && norm.Sex != "M" {
		return s.traitsError(c, http.StatusUnprocessableEntity, withMessage(typed, views.TraitsMessage{Key: "insi.error.empty", Field: "sex", Alert: true}))
	}
	d, ok := parseBirthDate(typed.BirthDate, s.Now())
	if !ok {
		key := "insi.error.format"
		if typed.BirthDate == "" {
			key = "insi.error.empty"
		}
		return s.traitsError(c, http.StatusUnprocessableEntity, withMessage(typed, views.TraitsMessage{Key: key, Field: "birth_date", Alert: true}))
	}
	norm.BirthDate = d
	conf := views.TraitsConfirm{
		Typed: typed, Normalised: norm,
		BirthNameChanged:  norm.BirthName != strings.TrimSpace(typed.BirthName),
		FirstNamesChanged: norm.FirstNames != strings.TrimSpace(typed.FirstNames),
	}
	switch place := strings.ToUpper(typed.BirthPlace); {
	case place == "":
	case commune.LooksLikeCode(place):
		conf.Normalised.BirthPlace = place
		conf.BirthPlaceName = s.communeName(place)
	default:
		conf.Normalised.BirthPlace = ""
		conf.Communes = s.communeOptions(typed.BirthPlace)
		conf.NoCommune = len(conf.Communes) == 0
	}
	answerAs(c, homePath)
	return s.render(c, http.StatusOK, views.TraitsConfirmPage(conf))
}

// normaliseName proposes INSi's form of a typed name and checks its shape.
func normaliseName(f insi.Field, typed string, check func(string) error) (string, error) {
	n, err := insi.Normalise(f, typed)
	if err != nil {
		return "", err
	}
	return n, check(n)
}

// parseBirthDate reads YYYY-MM-DD (the date input) or DD/MM/YYYY (typed
// where the browser has no date input); a date to come is refused.
func parseBirthDate(s string, now time.Time) (string, bool) {
	for _, layout := range []string{time.DateOnly, "02/01/2006"} {
		if d, err := time.Parse(layout, s); err == nil && d.Year() >= 1800 && !d.After(now) {
			return d.Format(time.DateOnly), true
		}
	}
	return "", false
}

// traitsSearch runs INSi's first-name strategy on the confirmed traits.
// Every call is audited before anything is shown; a 00 keeps the identity
// (récupérée) and shows it; 01 and 02 keep the form with what to change.
func (s *Server) traitsSearch(c echo.Context) error {
	ctx := c.Request().Context()
	form := views.TraitsForm{
		BirthName: c.FormValue("birth_name"), FirstNames: c.FormValue("first_names"),
		Sex: c.FormValue("sex"), BirthDate: c.FormValue("birth_date"), BirthPlace: c.FormValue("birth_place"),
	}
	t := insi.Traits{
		BirthName: form.BirthName, FirstNames: strings.Fields(form.FirstNames),
		Sex: form.Sex, BirthDate: form.BirthDate, BirthPlace: form.BirthPlace,
	}
	if err := t.Validate(); err != nil {
		return s.traitsError(c, http.StatusUnprocessableEntity, withMessage(form, lexicalMessage(err)))
	}
	who, err := s.insiProfessional(ctx)
	if err != nil {
		return err
	}
	out, err := insi.FindByTraits(ctx, s.INSi, t, who)
	if errors.Is(err, insi.ErrConfig) && len(out.Attempts) == 0 {
		// psc mode without the professional's token: nothing was sent.
		key := "insi.error.psc_required"
		if s.session(ctx).Authority() == authorityPSC {
			key = "insi.error.psc_token"
		}
		return s.traitsError(c, http.StatusForbidden, withMessage(form, views.TraitsMessage{Key: key, Alert: true}))
	}
	// Every call made is recorded, the 00 with the identity it keeps.
	var final *insi.Attempt
	for i, a := range out.Attempts {
		if err == nil && a.Code == insi.CodeFound && i == len(out.Attempts)-1 {
			final = &out.Attempts[i]
			continue
		}
		if aerr := s.recordAudit(c, auditINSiTraits, a.MessageID, string(a.Code)); aerr != nil {
			return aerr
		}
	}
	if err != nil {
		status, outcome, key := classifyINSiError(err)
		s.Logger.WarnContext(ctx, "insi search failed", slog.String("outcome", outcome), slog.Any("err", err))
		if aerr := s.recordAudit(c, auditINSiTraits, faultMessageID(err), outcome); aerr != nil {
			return aerr
		}
		return s.traitsError(c, status, withMessage(form, views.TraitsMessage{Key: key, Alert: true}))
	}
	switch out.Result.Code {
	case insi.CodeFound:
		return s.keepINSiIdentity(c, form, final.MessageID, out.Result.Identity)
	case insi.CodeSeveral:
		m := views.TraitsMessage{Key: "insi.result.several.more_first_names", Field: "first_names"}
		if out.Need == insi.NeedBirthPlace {
			m = views.TraitsMessage{Key: "insi.result.several.birth_place", Field: "birth_place"}
		}
		return s.traitsError(c, http.StatusOK, withMessage(form, m))
	}
	return s.traitsError(c, http.StatusNotFound, withMessage(form, views.TraitsMessage{Key: "insi.result.not_found"}))
}

// keepINSiIdentity stores a 00 answer as a récupérée identity (the audit
// row goes with it) and shows its page.
func (s *Server) keepINSiIdentity(c echo.Context, form views.TraitsForm, messageID string, id *insi.Identity) error {
	ctx := c.Request().Context()
	birth, _ := time.Parse(time.DateOnly, id.BirthDate)
	p, err := s.INSIdentities.SaveINSiResult(ctx, store.INSiResult{
		AccountID: s.accountID(ctx), Operation: auditINSiTraits, MessageID: messageID, Code: string(insi.CodeFound),
		BirthName: id.BirthName, GivenNames: id.FirstNames, Sex: id.Sex, BirthDate: birth, BirthPlace: id.BirthPlace,
		INS: storeINS(id.Active), History: storeHistory(id.History),
	})
	if errors.Is(err, vigilance.ErrBlocked) {
		return s.traitsError(c, http.StatusConflict, withMessage(form, views.TraitsMessage{Key: "insi.error.blocked", Alert: true}))
	}
	if err != nil {
		return err
	}
	s.session(ctx).SetFlash("insi.notice.retrieved")
	return c.Redirect(http.StatusSeeOther, identityPath(p.ID))
}

func storeINS(n insi.INS) store.INS {
	in := store.INS{Matricule: n.Matricule, Key: n.Key, OID: n.OID, Type: n.TypeMatricule}
	in.Start, _ = time.Parse(time.DateOnly, n.From)
	in.End, _ = time.Parse(time.DateOnly, n.To)
	return in
}

func storeHistory(h []insi.INS) []store.INS {
	out := make([]store.INS, 0, len(h))
	for _, n := range h {
		out = append(out, storeINS(n))
	}
	return out
}

// insiProfessional is the signed-in professional as INSi's psc mode needs
// them: the PSC idNat of their linked identity, their billing number (the
// account's N° d'Assurance Maladie), and the access token of their PSC
// sign-in when this session is one. In mtls mode it only names the
// Emetteur. Without a token, psc mode refuses to call (insi.ErrConfig).
func (s *Server) insiProfessional(ctx context.Context) (*insi.Professional, error) {
	id := s.accountID(ctx)
	acct, err := s.Accounts.AccountByID(ctx, id)
	if err != nil {
		return nil, err
	}
	who := &insi.Professional{BillingID: acct.Login}
	ids, err := s.Identities.IdentitiesOf(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, i := range ids {
		if i.Provider == authorityPSC {
			who.IDNat = i.Subject
		}
	}
	sess := s.session(ctx)
	if s.PSCTokens != nil && sess.Authority() == authorityPSC {
		// A token PSC no longer renews leaves psc mode without one: the
		// page then asks for a PSC sign-in.
		if tok, err := s.PSCTokens.Token(ctx, sess.Token()); err == nil {
			who.AccessToken = tok
		}
	}
	return who, nil
}
