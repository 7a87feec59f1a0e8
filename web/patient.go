package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/ahv"
	"github.com/infopatient/infopatient/internal/covercard"
	"github.com/infopatient/infopatient/internal/nir"
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
	if ahv.Is(value) {
		// A Swiss social security number: no lookup can use it, and it is
		// no NIR. Say which number is needed.
		return s.identifyError(c, http.StatusUnprocessableEntity, views.IdentifyForm{Value: value, Recognised: "ahv", Error: "identify.error.ahv"})
	}
	if covercard.LooksLikeCardNumber(value) {
		return s.swissLookup(c, value)
	}
	return s.frenchRights(c, value)
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
