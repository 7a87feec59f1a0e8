package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/vigilance"
	"github.com/infopatient/infopatient/views"
)

// maxUsedName bounds a nom or prénom utilisé, in characters.
const maxUsedName = 100

func identityPath(id int64) string { return "/identite/" + strconv.FormatInt(id, 10) }

// identityPage shows a patient identity with its vigilance status, and
// the one-time notice a previous step left.
func (s *Server) identityPage(c echo.Context) error {
	p, err := s.identityParam(c)
	if err != nil {
		return err
	}
	return s.showIdentity(c, http.StatusOK, p, s.session(c.Request().Context()).PopFlash(), "")
}

// identityParam reads the identity of the URL; 404 when there is none.
func (s *Server) identityParam(c echo.Context) (store.PatientIdentity, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return store.PatientIdentity{}, echo.ErrNotFound
	}
	p, err := s.INSIdentities.PatientIdentityByID(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return p, echo.ErrNotFound
	}
	return p, err
}

func (s *Server) showIdentity(c echo.Context, status int, p store.PatientIdentity, notice, errKey string) error {
	v, err := s.identityView(c, p)
	if err != nil {
		return err
	}
	v.Notice, v.Error = notice, errKey
	answerAs(c, identityPath(p.ID))
	return s.render(c, status, views.IdentityPage(v))
}

// identityView is what the page shows of a kept identity: the effective
// status (douteuse or fictive show provisoire), the INS shareable only
// when qualified, who qualified it.
func (s *Server) identityView(c echo.Context, p store.PatientIdentity) (views.PatientIdentityView, error) {
	vig := p.Vigilance()
	v := views.PatientIdentityView{
		ID: p.ID, Status: string(vig.Effective()),
		Homonyme: p.Attributes.Homonyme, Douteuse: p.Attributes.Douteuse, Fictive: p.Attributes.Fictive,
		BirthName: p.BirthName, FirstGivenName: p.FirstGivenName, GivenNames: p.GivenNames, Sex: p.Sex,
		BirthDate: p.BirthDate, BirthPlace: p.BirthPlace, BirthPlaceName: s.communeName(p.BirthPlace),
		UsedName: p.UsedName, UsedGivenName: p.UsedGivenName,
		HasINS: p.INS.Matricule != "", Matricule: vigilance.FormatMatricule(p.INS.Matricule, p.INS.Key),
		MatriculeType: string(vigilance.TypeOf(p.INS.OID)), OID: p.INS.OID, Shareable: vig.Shareable(),
		SourceCode: p.INSiCode, SourceAt: p.RetrievedAt,
		CanQualify: vig.Effective() == vigilance.Recuperee && vig.CanQueryINSi() == nil,
		Location:   s.loc,
	}
	if v.FirstGivenName == "" {
		v.FirstGivenName = vigilance.FirstGiven(p.GivenNames)
	}
	for _, d := range vigilance.HighTrust {
		v.Documents = append(v.Documents, string(d))
	}
	for _, h := range p.History {
		v.History = append(v.History, views.INSHistoryRow{
			Matricule: vigilance.FormatMatricule(h.Matricule, h.Key), OID: h.OID,
			Type: string(vigilance.TypeOf(h.OID)), From: h.Start, To: h.End,
		})
	}
	if q := p.Qualification; q != nil {
		qv := &views.QualificationView{Document: string(q.Document), At: q.At}
		if a, err := s.Accounts.AccountByID(c.Request().Context(), q.AccountID); err == nil {
			qv.By = strings.TrimSpace(a.GivenName + " " + a.FamilyName)
		} else if !errors.Is(err, store.ErrNotFound) {
			return v, err
		}
		v.Qualification = qv
	}
	return v, nil
}

// qualify records that the professional checked the traits against a
// high-trust document: who, when and which are kept, the status becomes
// qualifiée, and the attempt is audited whatever its outcome.
func (s *Server) qualify(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.identityParam(c)
	if err != nil {
		return err
	}
	doc := vigilance.Document(c.FormValue("document"))
	switch {
	case doc == "":
		return s.showIdentity(c, http.StatusUnprocessableEntity, p, "", "insi.error.qualify.document")
	case c.FormValue("traits_match") != "yes":
		return s.showIdentity(c, http.StatusUnprocessableEntity, p, "", "insi.error.qualify.match")
	}
	q, err := s.INSIdentities.QualifyIdentity(ctx, p.ID, doc, s.accountID(ctx))
	if err != nil {
		status, key := http.StatusConflict, ""
		switch {
		case errors.Is(err, vigilance.ErrBlocked):
			key = "insi.error.qualify.blocked"
		case errors.Is(err, vigilance.ErrLowTrust), errors.Is(err, vigilance.ErrUnknownDocument):
			status, key = http.StatusUnprocessableEntity, "insi.error.qualify.low_trust"
		case errors.Is(err, vigilance.ErrNotRetrieved):
			key = "insi.error.qualify.not_retrieved"
		case errors.Is(err, vigilance.ErrAlreadyQualified):
			key = "insi.error.qualify.already"
		default:
			return err
		}
		return s.showIdentity(c, status, p, "", key)
	}
	s.session(ctx).SetFlash("insi.notice.qualified")
	return c.Redirect(http.StatusSeeOther, identityPath(q.ID))
}

// markIdentity sets the homonyme, douteuse and fictive attributes.
func (s *Server) markIdentity(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.identityParam(c)
	if err != nil {
		return err
	}
	a := vigilance.Attributes{
		Homonyme: c.FormValue("homonyme") == "yes",
		Douteuse: c.FormValue("douteuse") == "yes",
		Fictive:  c.FormValue("fictive") == "yes",
	}
	if _, err := s.INSIdentities.MarkIdentity(ctx, p.ID, a, s.accountID(ctx)); err != nil {
		if errors.Is(err, vigilance.ErrAttributes) {
			return s.showIdentity(c, http.StatusUnprocessableEntity, p, "", "insi.error.mark.combination")
		}
		return err
	}
	s.session(ctx).SetFlash("insi.notice.marked")
	return c.Redirect(http.StatusSeeOther, identityPath(p.ID))
}

// usedNames records the nom and prénom utilisés as typed: never derived
// from the birth traits.
func (s *Server) usedNames(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.identityParam(c)
	if err != nil {
		return err
	}
	name, given := strings.TrimSpace(c.FormValue("used_name")), strings.TrimSpace(c.FormValue("used_given_name"))
	if !plainText(name) || !plainText(given) {
		return s.showIdentity(c, http.StatusUnprocessableEntity, p, "", "insi.error.used_names")
	}
	if err := s.INSIdentities.SetUsedNames(ctx, p.ID, name, given); err != nil {
		return err
	}
	s.session(ctx).SetFlash("insi.notice.used_names")
	return c.Redirect(http.StatusSeeOther, identityPath(p.ID))
}

// plainText: valid UTF-8, no control character, at most maxUsedName
// characters.
func plainText(s string) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxUsedName {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
