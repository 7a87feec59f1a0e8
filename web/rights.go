package web

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/nir"
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
	req.MessageID = "uuid:" + newUUID()
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

// rightsOf is the page of call kept in the session. A GET that follows
// its POST to another instance finds the session as the POST left it
// (see stampCookie).
func (s *Server) rightsOf(ctx context.Context, call string) (rightsShown, bool) {
	shown, ok := s.openRights(ctx)
	return shown, ok && call != "" && shown.MessageID == call
}

// isoDate reads a date as typed — JJ/MM/AAAA (also with dots or dashes,
// or the eight digits alone), or AAAA-MM-JJ as a date picker sends it —
// and writes it AAAA-MM-JJ. What it cannot read is returned as typed,
// for the request's own check to refuse.
func isoDate(typed string) string {
	s := strings.TrimSpace(typed)
	var d, m, y string
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		return s
	case len(s) == 10 && s[2] == s[5] && strings.ContainsRune("/.-", rune(s[2])):
		d, m, y = s[0:2], s[3:5], s[6:10]
	case len(s) == 8 && allDigits(s):
		d, m, y = s[0:2], s[2:4], s[4:8]
	default:
		return s
	}
	if !allDigits(d + m + y) {
		return s
	}
	return y + "-" + m + "-" + d
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// errFuture: a date of birth after today.
var errFuture = errors.New("in the future")

// showRights shows the French rights page last recorded in this session
// (GET /patient): the answer, or the form with the failure under it and
// the failure's status. messageID must name the call kept.
func (s *Server) showRights(c echo.Context, messageID string) error {
	ctx := c.Request().Context()
	shown, ok := s.rightsOf(ctx, messageID)
	if !ok {
		s.session(ctx).ForgetLastLookup()
		return c.Redirect(http.StatusSeeOther, homePath)
	}
	if shown.Rights == nil {
		f := views.IdentifyForm{Value: shown.NIR, Recognised: "nir", BirthDate: shown.BirthDate, Rank: shown.Rank,
			Error: shown.Error, ErrorField: shown.Field}
		return s.render(c, shown.Status, s.identifyPageOf(ctx, f))
	}
	v := s.rightsView(shown)
	if n, ok := shown.patientNIR(); ok {
		share, err := s.shareOffer(ctx, n)
		if err != nil {
			return err
		}
		if share != nil {
			share.Notice = s.session(ctx).PopFlash()
		}
		v.Share = share
	}
	return s.render(c, http.StatusOK, views.RightsPage(v))
}

// rightsSealAAD binds a sealed page to the account that made the call.
func rightsSealAAD(accountID int64) []byte {
	return []byte("infopatient last rights " + strconv.FormatInt(accountID, 10))
}

// sealRights seals what the page shows: the session store keeps no
// beneficiary's rights in clear.
func (s *Server) sealRights(ctx context.Context, shown rightsShown) (string, error) {
	b, err := json.Marshal(shown)
	if err != nil {
		return "", err
	}
	sealed, err := s.Box.Seal(b, rightsSealAAD(s.accountID(ctx)))
	if err != nil {
		return "", err
	}
	return base64.RawStdEncoding.EncodeToString(sealed), nil
}

// openRights opens the page kept in the session; ok is false when there
// is none or it does not open (another account's, a key rotated away).
func (s *Server) openRights(ctx context.Context) (rightsShown, bool) {
	raw := s.session(ctx).LastRights()
	if raw == "" {
		return rightsShown{}, false
	}
	sealed, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil {
		return rightsShown{}, false
	}
	b, err := s.Box.Open(sealed, rightsSealAAD(s.accountID(ctx)))
	if err != nil {
		return rightsShown{}, false
	}
	var shown rightsShown
	if err := json.Unmarshal(b, &shown); err != nil {
		return rightsShown{}, false
	}
	if shown.Rights == nil && (shown.Error == "" || shown.Status < 400) {
		return rightsShown{}, false
	}
	return shown, true
}

// rightsAuditIdentifier names an ADRi call in the audit trail: the
// assuré's NIR, the beneficiary's date of birth and rank, and the call's
// message id ("2840275115023 1984-02-11 1 uuid:…").
func rightsAuditIdentifier(req rights.Request) string {
	return req.Assure.String() + " " + req.BirthDate.Format(time.DateOnly) + " " + strconv.Itoa(req.Rank) + " " + req.MessageID
}

// rightsInputError is the message and field of a refused input.
func rightsInputError(err error, birthDate string) (key, field string) {
	var ie *rights.InputError
	if !errors.As(err, &ie) {
		return "identify.error.nir_invalid", ""
	}
	switch ie.Field {
	case rights.FieldNIR:
		return nirErrorKey(ie.Err), ""
	case rights.FieldBirthDate:
		switch {
		case birthDate == "":
			return "rights.error.birth_date_missing", views.FieldBirthDate
		case errors.Is(ie.Err, errFuture):
			return "rights.error.birth_date_future", views.FieldBirthDate
		}
		return "rights.error.birth_date_invalid", views.FieldBirthDate
	case rights.FieldRank:
		return "rights.error.rank", views.FieldRank
	}
	return "identify.error.nir_invalid", ""
}

// classifyRightsError maps a failed ADRi call to its audit outcome, its
// status and what the professional is told.
func classifyRightsError(err error) lookupFailure {
	switch {
	case errors.Is(err, rights.ErrUnknownBeneficiary):
		return lookupFailure{lookupNotFound, http.StatusNotFound, "rights.error.not_found"}
	case errors.Is(err, rights.ErrRefused):
		return lookupFailure{lookupRefused, http.StatusBadGateway, "rights.error.refused"}
	case errors.Is(err, rights.ErrMalformed):
		return lookupFailure{lookupMalformed, http.StatusBadGateway, "rights.error.malformed"}
	case timedOut(err):
		return lookupFailure{lookupServiceError, http.StatusGatewayTimeout, "rights.error.timeout"}
	}
	return lookupFailure{lookupServiceError, http.StatusBadGateway, "rights.error.unavailable"}
}

// timedOut says whether a call failed for want of an answer in time.
func timedOut(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
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

// rightsView builds the page from an answer.
func (s *Server) rightsView(shown rightsShown) views.FrenchRightsView {
	r := shown.Rights
	ref := r.ReferenceDate
	if ref.IsZero() {
		ref = s.today()
	}
	v := views.FrenchRightsView{
		ReferenceDate: ref, Answered: r.ResponseDate, Open: r.OpenAt(ref),
		Regime: r.Regime, RegimeLabel: r.RegimeLabel, Caisse: r.Caisse, CaisseLabel: r.CaisseLabel, Centre: r.Centre,
		DoctorDeclared: r.AttendingDoctor.Declared, DoctorName: r.AttendingDoctor.Name,
	}
	if n, err := nir.Parse(shown.NIR); err == nil {
		v.AssureNIR = n.Formatted()
	}
	b := r.Beneficiary
	v.Beneficiary = views.RightsBeneficiary{
		UsualName: b.UsualName, BirthName: b.BirthName, GivenName: b.GivenName, Address: b.Address,
		BirthDate: b.BirthDate, Age: ageAt(b.BirthDate, ref), Rank: b.Rank, Quality: b.Quality,
	}
	if b.CertifiedNIR != "" {
		if n, err := nir.Parse(b.CertifiedNIR + b.CertifiedNIRKey); err == nil {
			v.Beneficiary.CertifiedNIR = n.Formatted()
		} else {
			v.Beneficiary.CertifiedNIR = b.CertifiedNIR + " " + b.CertifiedNIRKey
		}
	}
	for _, p := range r.AMO {
		v.AMO = append(v.AMO, views.RightsPeriod{Start: p.Start, End: p.End, Current: p.Contains(ref)})
	}
	for _, c := range r.Coverage {
		cur := c.Contains(ref)
		v.Coverage = append(v.Coverage, views.RightsCoverage{
			RightsPeriod: views.RightsPeriod{Start: c.Start, End: c.End, Current: cur},
			ALDCode:      c.ALDCode, SituationCode: c.SituationCode, Group: c.Group, Nature: c.Nature,
		})
		if cur && c.ALDCode != "" {
			v.ALDNow = append(v.ALDNow, c.ALDCode)
		}
	}
	for _, c := range r.Complementary {
		rc := views.RightsComplementary{Kind: string(c.Kind), Number: c.Number, Label: c.Label}
		for _, p := range c.Periods {
			cur := p.Contains(ref)
			rc.Current = rc.Current || cur
			rc.Periods = append(rc.Periods, views.RightsPeriod{Start: p.Start, End: p.End, Current: cur})
		}
		v.Complementary = append(v.Complementary, rc)
	}
	name := b.BirthName
	if name == "" {
		name = b.UsualName
	}
	v.RetrieveINS = views.TraitsPrefill{BirthName: name, FirstNames: b.GivenName}
	if !b.BirthDate.IsZero() {
		v.RetrieveINS.BirthDate = b.BirthDate.Format(time.DateOnly)
	}
	return v
}

// newUUID is a random (version 4) UUID, for a call's message id.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ageAt is the age in whole years on day at, -1 when unknown.
func ageAt(birth, at time.Time) int {
	if birth.IsZero() || at.Before(birth) {
		return -1
	}
	age := at.Year() - birth.Year()
	if at.Month() < birth.Month() || (at.Month() == birth.Month() && at.Day() < birth.Day()) {
		age--
	}
	return age
}

// patientNIR is the beneficiary's own NIR, whose INS sharing is about:
// the certified one when the answer gives it, else the assuré's when the
// beneficiary is the assuré. A child on a parent's NIR has none here.
func (shown rightsShown) patientNIR() (nir.NIR, bool) {
	if shown.Rights == nil {
		return nir.NIR{}, false
	}
	b := shown.Rights.Beneficiary
	number := b.CertifiedNIR
	if number == "" && b.Quality == "0" {
		number = shown.NIR
	}
	n, err := nir.Parse(number)
	return n, number != "" && err == nil
}
