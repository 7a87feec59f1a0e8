package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/nir"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/pscctx"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/vigilance"
	"github.com/infopatient/infopatient/views"
)

// Context sharing ("Partager avec mes logiciels", "Reprendre le patient
// partagé") through ANS's context-sharing API, with the professional's
// PSC access token: only after a Pro Santé Connect sign-in. Swiss
// patients are never offered: schema patient-info requires an INS, which
// they do not have.

// Audit kinds and outcomes of context sharing (lookups table).
const (
	auditShare       = "psc-share"
	auditSharedRead  = "psc-read"
	shareDone        = "shared"
	shareRead        = "read"
	shareNoContext   = "no_context"
	shareReauth      = "psc_reauth"
	shareRefused     = "refused"
	shareUnavailable = "service_error"
)

// sharingOn says whether this session may share: signed in with PSC, and
// the API configured.
func (s *Server) sharingOn(ctx context.Context) bool {
	return s.PSCContext != nil && s.PSCTokens != nil && s.session(ctx).Authority() == authorityPSC
}

// insOIDs are the OIDs an INS matricule may be kept under.
var insOIDs = []string{vigilance.OIDNIR, vigilance.OIDNIA, vigilance.OIDTestNIR, vigilance.OIDDemoNIR}

// identityOfINS is the identity vigilance keeps of the INS whose
// matricule is n, under any of the INS OIDs; ok is false when none.
func (s *Server) identityOfINS(ctx context.Context, n nir.NIR) (id store.PatientIdentity, ok bool, err error) {
	if s.ShareableIdentities == nil {
		return id, false, nil
	}
	for _, oid := range insOIDs {
		id, err = s.ShareableIdentities.PatientIdentityByINS(ctx, n.String(), oid)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		return id, err == nil, err
	}
	return store.PatientIdentity{}, false, nil
}

// shareableIdentity is the identity vigilance keeps for the patient of
// NIR n, and why its INS may not be shared ("" when it may).
func (s *Server) shareableIdentity(ctx context.Context, n nir.NIR) (store.PatientIdentity, string, error) {
	id, ok, err := s.identityOfINS(ctx, n)
	switch v := id.Vigilance(); {
	case err != nil:
		return id, "", err
	case !ok:
		return id, "psc.share.why.no_identity", nil
	case v.Attributes.Blocked():
		return id, "psc.share.why.blocked", nil
	case !v.Shareable():
		return id, "psc.share.why.not_qualified", nil
	}
	return id, "", nil
}

// shareOffer is what the French patient page says of sharing.
func (s *Server) shareOffer(ctx context.Context, n nir.NIR) (*views.ShareOffer, error) {
	if !s.sharingOn(ctx) {
		return nil, nil
	}
	id, why, err := s.shareableIdentity(ctx, n)
	if err != nil {
		return nil, err
	}
	o := &views.ShareOffer{Allowed: why == "", Why: why}
	if why == "psc.share.why.not_qualified" {
		o.Status = id.Status.Label()
	}
	return o, nil
}

// sharePatient answers "Partager avec mes logiciels": the patient this
// session shows (never a number from the form) is shared, if its identity
// is qualified; every attempt is audited. The browser then goes back to
// the patient page, which says how it went (post/redirect/get).
func (s *Server) sharePatient(c echo.Context) error {
	ctx := c.Request().Context()
	if !s.sharingOn(ctx) {
		return echo.ErrForbidden
	}
	// The patient the session shows: the French rights page last shown.
	shown, ok := s.openRights(ctx)
	n, isPatient := shown.patientNIR()
	if !ok || !isPatient {
		return c.Redirect(http.StatusSeeOther, homePath)
	}
	id, why, err := s.shareableIdentity(ctx, n)
	if err != nil {
		return err
	}
	outcome, notice := s.share(ctx, id, why)
	if err := s.recordAudit(c, auditShare, n.String(), outcome); err != nil {
		return err
	}
	s.session(ctx).SetFlash(notice)
	return c.Redirect(http.StatusSeeOther, "/patient")
}

// share calls the API; it returns the audit outcome and the notice key.
func (s *Server) share(ctx context.Context, id store.PatientIdentity, why string) (outcome, notice string) {
	if why != "" {
		return shareRefused, why
	}
	pro, err := s.pscSessionProfile(ctx)
	if err != nil || pro == nil || pro.Professional.IDNat == "" {
		return shareReauth, "psc.share.reauth"
	}
	token, err := s.PSCTokens.For(s.session(ctx).Token()).Token(ctx)
	if err != nil {
		return s.sharingFailed(ctx, "share", err)
	}
	r := pro.Professional
	info := pscctx.PatientInfo{
		PS: &pscctx.PS{NationalID: r.IDNat, ProfessionalFirstName: r.GivenName, ProfessionalLastName: r.FamilyName, ProfessionCode: r.ProfessionCode},
		Patient: pscctx.Patient{
			INS: id.INS.Matricule + id.INS.Key, FirstName: id.FirstGivenName, LastName: id.BirthName,
			DOB: id.BirthDate.Format(pscctx.DateLayout),
		},
	}
	if _, err := s.PSCContext.SharePatient(ctx, token, r.IDNat, info); err != nil {
		return s.sharingFailed(ctx, "share", err)
	}
	s.Logger.InfoContext(ctx, "patient shared", slog.Int64("account", s.accountID(ctx)))
	return shareDone, "psc.share.done"
}

// sharingFailed maps a failure of the token or the API to its audit
// outcome and message. A refused refresh, or a token the API finds
// inactive, asks for a new e-CPS sign-in; the portal session goes on.
func (s *Server) sharingFailed(ctx context.Context, op string, err error) (outcome, notice string) {
	s.Logger.WarnContext(ctx, "context sharing failed", slog.String("op", op), slog.Any("err", err))
	switch {
	case errors.Is(err, psc.ErrReauthRequired), errors.Is(err, pscctx.ErrTokenInactive), errors.Is(err, pscctx.ErrNoToken):
		return shareReauth, "psc.share.reauth"
	case errors.Is(err, pscctx.ErrNoContext), errors.Is(err, pscctx.ErrForeignContext):
		return shareNoContext, "psc.read.none"
	case errors.Is(err, pscctx.ErrSchemaRefused):
		return shareRefused, "psc.share.refused"
	}
	return shareUnavailable, "psc.share.unavailable"
}

// readSharedPatient answers "Reprendre le patient partagé": the patient
// another of the professional's applications shared is read back and
// looked up as if its INS had been typed (a lookup, audited as such),
// after the read itself is audited.
func (s *Server) readSharedPatient(c echo.Context) error {
	ctx := c.Request().Context()
	if !s.sharingOn(ctx) {
		return echo.ErrForbidden
	}
	outcome, notice, patient := s.readShared(ctx)
	ins := patient.INS
	var number string
	n, perr := nir.Parse(ins)
	if ins != "" && perr == nil {
		number = n.String()
	}
	if err := s.recordAudit(c, auditSharedRead, number, outcome); err != nil {
		return err
	}
	if outcome != shareRead {
		f := views.IdentifyForm{Error: notice}
		status := http.StatusServiceUnavailable
		switch outcome {
		case shareNoContext:
			status = http.StatusNotFound
		case shareReauth:
			status = http.StatusUnauthorized
			f.PSCSignInAgain = "/auth/psc/login?return=%2Fidentification"
		}
		return s.identifyError(c, status, f)
	}
	if perr != nil {
		return s.identifyError(c, http.StatusUnprocessableEntity, views.IdentifyForm{Error: "psc.read.bad_ins"})
	}
	// The INS opens the identity vigilance keeps of it, if any; else the
	// form waits, number and date of birth filled in from the shared
	// context, for the professional to ask for the rights (an ADRi query
	// is the professional's act, not a side effect of reading).
	if id, ok, err := s.identityOfINS(ctx, n); err != nil {
		return err
	} else if ok {
		return c.Redirect(http.StatusSeeOther, identityPath(id.ID))
	}
	f := views.IdentifyForm{Value: n.Formatted(), Recognised: "nir", Notice: "psc.read.found"}
	if _, err := time.Parse(pscctx.DateLayout, patient.DOB); err == nil {
		f.BirthDate = patient.DOB
	}
	return s.render(c, http.StatusOK, s.identifyPageOf(ctx, f))
}

// readShared reads the professional's context: the patient shared.
func (s *Server) readShared(ctx context.Context) (outcome, notice string, patient pscctx.Patient) {
	pro, err := s.pscSessionProfile(ctx)
	if err != nil || pro == nil || pro.Professional.IDNat == "" {
		return shareReauth, "psc.share.reauth", patient
	}
	token, err := s.PSCTokens.For(s.session(ctx).Token()).Token(ctx)
	if err != nil {
		outcome, notice = s.sharingFailed(ctx, "read", err)
		return outcome, notice, patient
	}
	info, err := s.PSCContext.ReadPatient(ctx, token, pro.Professional.IDNat)
	if err != nil {
		outcome, notice = s.sharingFailed(ctx, "read", err)
		return outcome, notice, patient
	}
	s.Logger.InfoContext(ctx, "shared patient read", slog.Int64("account", s.accountID(ctx)))
	return shareRead, "", info.Patient
}
