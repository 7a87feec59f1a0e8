package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/nir"
	"github.com/infopatient/infopatient/views"
)

// rightsOf is the page of call kept in the session. A GET that follows
// its POST to another instance finds the session as the POST left it
// (see stampCookie).
func (s *Server) rightsOf(ctx context.Context, call string) (rightsShown, bool) {
	shown, ok := s.openRights(ctx)
	return shown, ok && call != "" && shown.MessageID == call
}

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
