package web

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/rights"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// French patients: their rights are read from the ADRi-shaped service
// (internal/rights) as the Swiss page reads Covercard, from the assuré's
// NIR (for a child, the parent's), the beneficiary's date of birth and
// rank.
//
// Post/redirect/get: POST /patient calls ADRi, records the call in the
// audit trail, keeps what the page shows (the inputs and the answer, or
// the failure) sealed in the session, and answers 303 to GET /patient,
// which shows it. A reload or a language switch is that GET: it neither
// calls ADRi again nor adds an audit row. A sign-in, a logout, another
// lookup or an input refused before any call forget it.

// Audit trail of ADRi calls (lookups table): kind "adri"; the identifier
// names the beneficiary asked and the call (see rightsAuditIdentifier).
const lookupKindRights = "adri"

// lookupRefused: the service refused this software or certificate.
const lookupRefused = "refused"

// rightsShown is what the French rights page showed: the inputs as
// typed, and either the answer or the failure (a message key, its field
// and the status). It is kept sealed in the session for GET /patient.
type rightsShown struct {
	MessageID string `json:"id"`
	NIR       string `json:"nir"`
	BirthDate string `json:"birth_date"`
	Rank      string `json:"rank"`

	Error  string `json:"error,omitempty"`
	Field  string `json:"field,omitempty"`
	Status int    `json:"status,omitempty"`

	Rights *rights.Rights `json:"rights,omitempty"`
}

// frenchRights answers the identification form for a NIR: it checks the
// inputs (nothing is called nor recorded when one is refused), asks ADRi,
// records the call, and redirects to the page showing the outcome.
func (s *Server) frenchRights(c echo.Context, value string) error {
	return s.rightsLookup(c, value, strings.TrimSpace(c.FormValue(views.FieldBirthDate)), strings.TrimSpace(c.FormValue(views.FieldRank)))
}

// reopenRights asks ADRi again for the beneficiary of a recorded rights
// lookup (Historique's "reopen"): a new call, recorded as such.
func (s *Server) reopenRights(c echo.Context, l store.Lookup) error {
	fields := strings.Fields(l.Identifier) // NIR, date of birth, rank, message id
	if len(fields) < 3 {
		return echo.ErrNotFound
	}
	return s.rightsLookup(c, fields[0], fields[1], fields[2])
}

// rightsLookup is a French rights lookup of value (the assuré's NIR), the
// beneficiary's date of birth and rank, as typed.
func (s *Server) rightsLookup(c echo.Context, value, birthDate, rank string) error {
	ctx := c.Request().Context()
	f := views.IdentifyForm{
		Value:      value,
		Recognised: "nir",
		BirthDate:  birthDate,
		Rank:       rank,
	}
	req, err := rights.NewRequest(value, isoDate(f.BirthDate), f.Rank)
	if err == nil && req.BirthDate.After(s.today()) {
		err = &rights.InputError{Field: rights.FieldBirthDate, Err: errFuture}
	}
	if err != nil {
		f.Error, f.ErrorField = rightsInputError(err, f.BirthDate)
		return s.identifyError(c, http.StatusUnprocessableEntity, f)
	}
	if s.Rights == nil {
		f.Error = "rights.error.off"
		return s.identifyError(c, http.StatusServiceUnavailable, f)
	}
	req.ReferenceDate = s.today()
	req.MessageID = "uuid:" + uuid.NewString()
	if s.Rights.Auth() == rights.AuthPSC {
		p, err := s.rightsProfessional(ctx)
		switch {
		case errors.Is(err, psc.ErrUnavailable):
			f.Error = "rights.error.unavailable"
			return s.identifyError(c, http.StatusServiceUnavailable, f)
		case err != nil:
			// A local sign-in, or a token PSC no longer renews: a PSC
			// sign-in again, the portal session kept.
			s.Logger.InfoContext(ctx, "adri psc mode: no PSC sign-in to call as", slog.Any("err", err))
			f.Error, f.PSCSignInAgain = "rights.error.psc", "/auth/psc/login?return=%2Fidentification"
			return s.identifyError(c, http.StatusForbidden, f)
		}
		req.Professional = p
	}

	r, err := s.Rights.Acquire(ctx, req)
	shown := rightsShown{MessageID: req.MessageID, NIR: value, BirthDate: f.BirthDate, Rank: f.Rank, Rights: r}
	outcome := lookupFound
	if err != nil {
		failure := classifyRightsError(err)
		outcome, shown.Error, shown.Status, shown.Rights = failure.outcome, failure.key, failure.status, nil
		// Never the inputs: the error's text names none (rights.errors).
		level := slog.LevelWarn
		if outcome == lookupNotFound {
			level = slog.LevelInfo // an answer, not a failure
		}
		s.Logger.Log(ctx, level, "adri call failed", slog.String("outcome", outcome),
			slog.String("message_id", req.MessageID), slog.Any("err", err))
	}
	// The call is recorded before anything is shown: no record, no data.
	l := store.Lookup{Kind: lookupKindRights, Identifier: rightsAuditIdentifier(req), Outcome: outcome}
	if r != nil {
		// The name the page shows first (views.RightsBeneficiary.Name).
		l.PatientName = strings.TrimSpace(cmp.Or(r.Beneficiary.UsualName, r.Beneficiary.BirthName) + " " + r.Beneficiary.GivenName)
	}
	id, err := s.newLookup(c, l)
	if err != nil {
		return err
	}
	sealed, err := s.sealRights(ctx, shown)
	if err != nil {
		return err
	}
	s.session(ctx).SetLastRights(sealed)
	// The lookup's page (post/redirect/get) shows this call's page, on
	// any instance (see stampCookie).
	return s.seeLookup(c, id)
}

// rightsCallOf is the ADRi call a rights lookup recorded: the message id,
// last of the audit identifier (see rightsAuditIdentifier).
func rightsCallOf(l store.Lookup) string {
	fields := strings.Fields(l.Identifier)
	if len(fields) == 0 {
		return ""
	}
	return fields[len(fields)-1]
}

// rightsAuditIdentifier names an ADRi call in the audit trail: the
// assuré's NIR, the beneficiary's date of birth and rank, and the call's
// message id ("2840275115023 1984-02-11 1 uuid:…").
func rightsAuditIdentifier(req rights.Request) string {
	return req.Assure.String() + " " + req.BirthDate.Format(time.DateOnly) + " " + strconv.Itoa(req.Rank) + " " + req.MessageID
}

// rightsProfessional is the signed-in professional as psc mode sends
// them: their PSC idNat, N° d'Assurance Maladie and the access token of
// their PSC sign-in, refreshed if need be. psc.ErrReauthRequired: not a
// PSC sign-in, or PSC no longer renews its token; psc.ErrUnavailable: PSC
// could not be reached to renew it.
func (s *Server) rightsProfessional(ctx context.Context) (*rights.Professional, error) {
	if s.session(ctx).Authority() != authorityPSC {
		return nil, psc.ErrReauthRequired
	}
	p, err := s.pscSessionProfile(ctx)
	if err != nil {
		return nil, err
	}
	if p == nil || p.Professional.IDNat == "" {
		return nil, psc.ErrReauthRequired
	}
	acct, err := s.Accounts.AccountByID(ctx, s.accountID(ctx))
	if err != nil {
		return nil, err
	}
	who := &rights.Professional{IDNat: p.Professional.IDNat, BillingID: acct.Login}
	if s.PSCTokens != nil {
		if who.AccessToken, err = s.PSCTokens.Token(ctx, s.session(ctx).Token()); err != nil {
			return nil, err
		}
	}
	return who, nil
}

// today is the current date in France, at midnight UTC (the dates of
// ADRi are calendar days).
func (s *Server) today() time.Time {
	y, m, d := s.Now().In(s.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
