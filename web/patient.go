package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/ahv"
	"github.com/infopatient/infopatient/internal/covercard"
	"github.com/infopatient/infopatient/internal/nir"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/views"
)

// Audit outcomes of a lookup.
const (
	lookupFound    = "found"
	lookupNotFound = "not_found"
)

// patient answers the identification form: it recognises the number and
// makes the lookup, which answers with its page (see lookups.go). A number
// that cannot be looked up is shown again in the form, with what is
// wrong; nothing is recorded then. Patient data never appears in a URL,
// so it stays out of logs and history.
func (s *Server) patient(c echo.Context) error {
	value := strings.TrimSpace(c.FormValue("identifier"))
	if value == "" {
		key := "identify.error.empty"
		if s.swissEnabled() {
			key = "identify.error.empty.both"
		}
		return s.identifyError(c, http.StatusUnprocessableEntity, views.IdentifyForm{Value: value, Error: key})
	}
	if ahv.Is(value) {
		// A Swiss social security number: no lookup can use it, and it is
		// no NIR. Say which number is needed.
		return s.identifyError(c, http.StatusUnprocessableEntity, views.IdentifyForm{Value: value, Recognised: "ahv", Error: "identify.error.ahv"})
	}
	if covercard.LooksLikeCardNumber(value) {
		return s.swissLookup(c, value)
	}
	return s.frenchLookup(c, value)
}

// frenchLookup looks a NIR up in the local data, records the lookup, and
// answers with its page.
func (s *Server) frenchLookup(c echo.Context, value string) error {
	ctx := c.Request().Context()
	n, err := nir.Parse(value)
	if err != nil {
		return s.identifyError(c, http.StatusUnprocessableEntity, views.IdentifyForm{Value: value, Recognised: "nir", Error: nirErrorKey(err)})
	}
	p, err := s.Patients.PatientByNIR(ctx, n.String())
	l := store.Lookup{Kind: lookupKindNIR, Identifier: n.String(), Outcome: lookupFound}
	switch {
	case errors.Is(err, store.ErrNotFound):
		l.Outcome = lookupNotFound
	case err != nil:
		return err
	default:
		l.PatientName = frenchName(p)
	}
	// The lookup is recorded before anything is shown: no record, no data.
	id, err := s.newLookup(c, l)
	if err != nil {
		return err
	}
	if l.Outcome == lookupNotFound {
		// The form shows the number again as it was typed.
		s.handoff.put(id, typedNumber(value), s.Now())
	}
	return s.seeLookup(c, id)
}

// typedNumber is a number as typed, handed to the lookup's page.
type typedNumber string

// showFrench shows a NIR lookup: the patient, or the form with the number
// and "no patient".
func (s *Server) showFrench(c echo.Context, l store.Lookup) error {
	n, err := nir.Parse(l.Identifier)
	if err != nil {
		return echo.ErrNotFound // not a lookup this page made
	}
	p, err := s.Patients.PatientByNIR(c.Request().Context(), n.String())
	if errors.Is(err, store.ErrNotFound) {
		value := n.Formatted()
		if typed, ok := s.handoff.take(l.ID, s.Now()); ok {
			if typed, ok := typed.(typedNumber); ok {
				value = string(typed)
			}
		}
		return s.render(c, http.StatusNotFound, s.identifyPageOf(c.Request().Context(), views.IdentifyForm{Value: value, Recognised: "nir", Error: "identify.error.not_found"}))
	}
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	share, err := s.shareOffer(ctx, n)
	if err != nil {
		return err
	}
	if share != nil {
		share.Notice = s.session(ctx).PopFlash()
	}
	return s.render(c, http.StatusOK, views.PatientPage(views.FrenchPatient{
		Patient:      patientFacts(p),
		NIRFormatted: n.Formatted(),
		RightsOpen:   p.RightsUntil.IsZero() || !p.RightsUntil.Before(s.Now()),
		Share:        share,
	}))
}

// frenchName is the name the French patient page shows first.
func frenchName(p store.Patient) string {
	return strings.TrimSpace(p.FamilyName + " " + p.GivenNames)
}

// identifyError shows the identification form again, with what went wrong
// (f: the value typed, what it was recognised as, the message): no
// lookup was made, and the page's language links lead to the
// identification page.
func (s *Server) identifyError(c echo.Context, status int, f views.IdentifyForm) error {
	s.session(c.Request().Context()).ForgetLastLookup()
	answerAs(c, homePath)
	return s.render(c, status, s.identifyPageOf(c.Request().Context(), f))
}

func nirErrorKey(err error) string {
	switch {
	case errors.Is(err, nir.ErrLength):
		return "identify.error.nir_length"
	case errors.Is(err, nir.ErrCharacters):
		return "identify.error.nir_characters"
	case errors.Is(err, nir.ErrKey):
		return "identify.error.nir_key"
	default:
		return "identify.error.nir_invalid"
	}
}
