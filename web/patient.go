package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

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

// patient answers the identification form: it recognises the number,
// looks the patient up, records the lookup, and shows the patient page (a
// NIR's: see rights.go).
// Patient data never appears in a URL, so it stays out of logs and history.
func (s *Server) patient(c echo.Context) error {
	value := strings.TrimSpace(c.FormValue("identifier"))
	if value == "" {
		key := "identify.error.empty"
		if s.swissEnabled() {
			key = "identify.error.empty.both"
		}
		return s.identifyError(c, http.StatusUnprocessableEntity, views.IdentifyForm{Value: value, Error: key})
	}
	if covercard.LooksLikeCardNumber(value) {
		return s.swissPatient(c, value, true)
	}
	return s.frenchRights(c, value)
}

// lastPatient answers GET /patient: the last patient shown in this
// session, shown again in the page's language (a Swiss card looked up
// again; French rights as kept, see rights.go); the
// identification page when there is none. It is the consultation already
// recorded, displayed again (a language switch, a reload): no new row in
// the audit trail.
func (s *Server) lastPatient(c echo.Context) error {
	if call := c.QueryParam("call"); call != "" {
		// The page of a rights call just made (see frenchRights).
		return s.showRights(c, call)
	}
	kind, identifier, ok := s.session(c.Request().Context()).LastPatient()
	switch {
	case ok && kind == lookupKindRights:
		return s.showRights(c, identifier)
	case ok && kind == "card":
		return s.swissPatient(c, identifier, false)
	}
	return c.Redirect(http.StatusSeeOther, homePath)
}

// rememberPatient records which patient the page shows (a session write
// only when it changes).
func (s *Server) rememberPatient(c echo.Context, kind, identifier string) {
	s.session(c.Request().Context()).SetLastPatient(kind, identifier)
}

// identifyError shows the identification form again, with what went wrong
// (f: the value typed, what it was recognised as, the message): no
// patient is shown, so none is remembered, and the page's language links
// lead to the identification page.
func (s *Server) identifyError(c echo.Context, status int, f views.IdentifyForm) error {
	s.session(c.Request().Context()).ForgetLastPatient()
	answerAs(c, homePath)
	return s.render(c, status, s.identifyPageOf(f))
}

func (s *Server) recordLookup(c echo.Context, kind, identifier, result string) error {
	return s.Audit.RecordLookup(c.Request().Context(), store.Lookup{
		AccountID:  s.accountID(c.Request().Context()),
		At:         s.Now(),
		Kind:       kind,
		Identifier: identifier,
		Outcome:    result,
	})
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
