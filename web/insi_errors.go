package web

import (
	"errors"
	"fmt"
	"net/http"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/infopatient/infopatient/internal/insi"
	"github.com/infopatient/infopatient/views"
)

// classifyINSiError maps a failed search to its status, audit outcome and
// message: INSi out of reach is the portal's "service unavailable" (502,
// 503 when INSi says so, 504 on a timeout); an answer that cannot be
// trusted (malformed, a key that does not verify) is refused, 502.
func classifyINSiError(err error) (status int, outcome, key string) {
	var f *insi.Fault
	switch {
	case errors.Is(err, insi.ErrUnknownSoftware):
		return http.StatusBadGateway, insiUnknownSoftware, "insi.error.unknown_software"
	case errors.Is(err, insi.ErrAccessLevel):
		return http.StatusBadGateway, insiAccessLevel, "insi.error.access_level"
	case errors.Is(err, insi.ErrBadKey):
		return http.StatusBadGateway, insiBadKey, "insi.error.bad_key"
	case errors.Is(err, insi.ErrMalformed):
		return http.StatusBadGateway, insiMalformed, "insi.error.malformed"
	case errors.Is(err, insi.ErrRefused):
		return http.StatusBadGateway, insiRefused, "insi.error.refused"
	case timedOut(err):
		return http.StatusGatewayTimeout, insiTimeout, "insi.error.timeout"
	case errors.As(err, &f):
		// INSi itself said it is unavailable.
		return http.StatusServiceUnavailable, insiUnavailable, "insi.error.unavailable"
	}
	return http.StatusBadGateway, insiUnavailable, "insi.error.unavailable"
}

// faultMessageID is the request id a SIRAM fault echoes, for the audit.
func faultMessageID(err error) string {
	var f *insi.Fault
	if errors.As(err, &f) {
		return f.MessageID
	}
	return ""
}

// lexicalMessage names the refused trait and character.
func lexicalMessage(err error) views.TraitsMessage {
	var lex *insi.LexicalError
	if !errors.As(err, &lex) {
		return views.TraitsMessage{Key: "insi.error.refused", Alert: true}
	}
	m := views.TraitsMessage{Field: string(lex.Field), Alert: true}
	switch lex.Reason {
	case insi.ReasonCharacter:
		m.Key, m.Char = "insi.error.character", showRune(lex.Char)
	case insi.ReasonShape:
		m.Key = "insi.error.shape"
	case insi.ReasonEmpty:
		m.Key = "insi.error.empty"
	default:
		m.Key = "insi.error.format"
	}
	return m
}

// showRune writes a refused character so that it can be seen: itself
// when printable, else its code point.
func showRune(r rune) string {
	if r == utf8.RuneError || !unicode.IsPrint(r) || unicode.IsSpace(r) {
		return fmt.Sprintf("U+%04X", r)
	}
	return string(r)
}

func withMessage(f views.TraitsForm, m views.TraitsMessage) views.TraitsForm {
	f.Message = m
	return f
}

// traitsError shows the identification page with the traits form kept.
func (s *Server) traitsError(c echo.Context, status int, f views.TraitsForm) error {
	answerAs(c, homePath)
	return s.render(c, status, s.identifyPageOf(c.Request().Context(), views.IdentifyForm{Traits: &f}))
}
