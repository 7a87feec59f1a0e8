package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Steps, in the order the report lists them. Each is one HTTP exchange.
const (
	stepLoginPage      = "GET /"
	stepLogin          = "POST /login"
	stepPSCStart       = "GET /auth/psc/login"
	stepPSCCardPage    = "PSC e-CPS page"
	stepPSCCard        = "PSC card and code"
	stepPSCCallback    = "GET /auth/psc/callback"
	stepIdentification = "GET /identification"
	stepLookupNIR      = "POST /patient (NIR)"
	stepNIRPage        = "GET /patient/{id} (NIR)"
	stepLookupCard     = "POST /patient (card)"
	stepCardPage       = "GET /patient/{id} (card)"
	stepLogout         = "POST /logout"
	stepPSCEndSession  = "PSC end session"
	stepPSCLogoutBack  = "GET /auth/psc/logout-callback"
)

var stepOrder = []string{
	stepLoginPage, stepLogin, stepPSCStart, stepPSCCardPage, stepPSCCard, stepPSCCallback,
	stepIdentification, stepLookupNIR, stepNIRPage, stepLookupCard, stepCardPage, stepLogout, stepPSCEndSession, stepPSCLogoutBack,
}

// localJourney: sign in with the N° d'Assurance Maladie and password,
// look up a NIR and a card, sign out.
func (b *browser) localJourney(ctx context.Context) error {
	a, err := b.get(ctx, stepLoginPage, b.portal("/"))
	if err := b.expect(stepLoginPage, a, err, http.StatusOK, "login-form"); err != nil {
		return err
	}
	a, err = b.post(ctx, stepLogin, b.portal("/login"), url.Values{
		"_csrf": {csrf(a)}, "login": {b.login}, "password": {b.opts.journey.password},
	})
	if err := b.expectRedirect(stepLogin, a, err, http.StatusSeeOther, "/identification"); err != nil {
		return err
	}
	return b.work(ctx, a.location, false)
}

// pscJourney: sign in with Pro Santé Connect — the sandbox's e-CPS page,
// the test card and its code — then the same work.
func (b *browser) pscJourney(ctx context.Context) error {
	a, err := b.get(ctx, stepPSCStart, b.portal("/auth/psc/login"))
	if err := b.expectRedirect(stepPSCStart, a, err, http.StatusFound, ""); err != nil {
		return err
	}
	authorize := a.location
	a, err = b.get(ctx, stepPSCCardPage, authorize)
	if err := b.expect(stepPSCCardPage, a, err, http.StatusOK, "psc-form"); err != nil {
		return err
	}
	pending, _ := a.doc.Find(`input[name="pending"]`).Attr("value")
	a, err = b.post(ctx, stepPSCCard, authorize, url.Values{
		"pending": {pending}, "professional": {b.opts.journey.idNat}, "code": {"1234"}, "action": {"sign-in"},
	})
	if err := b.expectRedirect(stepPSCCard, a, err, http.StatusFound, "/auth/psc/callback"); err != nil {
		return err
	}
	a, err = b.get(ctx, stepPSCCallback, a.location)
	if err := b.expectRedirect(stepPSCCallback, a, err, http.StatusSeeOther, "/identification"); err != nil {
		return err
	}
	return b.work(ctx, a.location, true)
}

// work is what a signed-in professional does: the identification page,
// a NIR lookup, a Swiss card lookup, logout (at PSC too after a PSC
// sign-in).
func (b *browser) work(ctx context.Context, identification *url.URL, psc bool) error {
	a, err := b.get(ctx, stepIdentification, identification)
	if err := b.expect(stepIdentification, a, err, http.StatusOK, "identify-form"); err != nil {
		return err
	}
	token := csrf(a)
	// A NIR is looked up in ADRi with the date of birth; the POST records
	// the call and answers 303 to its page.
	a, err = b.post(ctx, stepLookupNIR, b.portal("/patient"), url.Values{"_csrf": {token}, "identifier": {b.opts.journey.nir},
		"date_naissance": {b.opts.journey.birthDate}})
	if err := b.expectRedirect(stepLookupNIR, a, err, http.StatusSeeOther, ""); err != nil {
		return err
	}
	a, err = b.get(ctx, stepNIRPage, a.location)
	if err := b.expect(stepNIRPage, a, err, http.StatusOK, "patient-name"); err != nil {
		return err
	}
	a, err = b.post(ctx, stepLookupCard, b.portal("/patient"), url.Values{"_csrf": {token}, "identifier": {b.opts.journey.card}})
	if err := b.expectRedirect(stepLookupCard, a, err, http.StatusSeeOther, ""); err != nil {
		return err
	}
	a, err = b.get(ctx, stepCardPage, a.location)
	if err := b.expect(stepCardPage, a, err, http.StatusOK, "card-outcome"); err != nil {
		return err
	}
	a, err = b.post(ctx, stepLogout, b.portal("/logout"), url.Values{"_csrf": {token}})
	if !psc {
		return b.expectRedirect(stepLogout, a, err, http.StatusSeeOther, "/")
	}
	// After a PSC sign-in the browser goes on to PSC's end-session page,
	// which sends it back with the state the portal checks.
	if err := b.expectRedirect(stepLogout, a, err, http.StatusSeeOther, ""); err != nil {
		return err
	}
	a, err = b.get(ctx, stepPSCEndSession, a.location)
	if err := b.expectRedirect(stepPSCEndSession, a, err, http.StatusFound, "/auth/psc/logout-callback"); err != nil {
		return err
	}
	a, err = b.get(ctx, stepPSCLogoutBack, a.location)
	return b.expectRedirect(stepPSCLogoutBack, a, err, http.StatusSeeOther, "/")
}

// expect checks an answer's status and that the page holds the element
// data-testid=testid.
func (b *browser) expect(step string, a *answer, err error, status int, testid string) error {
	switch {
	case err != nil:
		return err // already recorded
	case a.status != status:
		return b.rec.fail(step, &stepError{step, fmt.Sprintf("status %d, want %d%s", a.status, status, pageHint(a))})
	case a.doc == nil || a.doc.Find(`[data-testid="`+testid+`"]`).Length() == 0:
		return b.rec.fail(step, &stepError{step, "the page lacks " + testid + pageHint(a)})
	}
	return nil
}

// expectRedirect checks a redirect: its status and, unless empty, the
// path it leads to.
func (b *browser) expectRedirect(step string, a *answer, err error, status int, path string) error {
	switch {
	case err != nil:
		return err
	case a.status != status || a.location == nil:
		return b.rec.fail(step, &stepError{step, fmt.Sprintf("status %d, want a %d redirect%s", a.status, status, pageHint(a))})
	case path != "" && a.location.Path != path:
		return b.rec.fail(step, &stepError{step, fmt.Sprintf("redirected to %s, want %s", a.location.Path, path)})
	}
	return nil
}

// pageHint names what an unexpected page said: the portal's error title
// or message, so that "status 429" reads "throttled".
func pageHint(a *answer) string {
	if a.doc == nil {
		return ""
	}
	for _, id := range []string{"login-error", "identify-error", "error-title"} {
		if s := strings.Join(strings.Fields(a.doc.Find(`[data-testid="`+id+`"]`).First().Text()), " "); s != "" {
			return fmt.Sprintf(" (%s)", s)
		}
	}
	return ""
}

// csrf is the form token of a portal page.
func csrf(a *answer) string {
	tok, _ := a.doc.Find(`input[name="_csrf"]`).First().Attr("value")
	return tok
}
