package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/infopatient/infopatient/internal/nir"
	"github.com/infopatient/infopatient/internal/store"
	"github.com/infopatient/infopatient/internal/vigilance"
)

// browserOf is an Accept-Language header per page language.
var browserOf = map[string]string{"fr": "fr-FR,fr", "de": "de-CH,de", "en": "en-GB,en"}

// The e-CPS push in two tabs: the portal waits with the two digits, the
// sandbox's e-CPS app shows the same two digits and approves; the portal
// then signs in. In each language, with screenshots when asked.
func TestECPSPushJourney(t *testing.T) {
	h := start(t, nil)
	dir := screenshotDir(t)
	for _, lang := range []string{"fr", "de", "en"} {
		portal := h.newTab(browserOf[lang])
		portal.open("/")
		portal.click(testid("login-psc-push"))
		portal.expectAt("/auth/psc/push")
		portal.audit("e-CPS push form")
		portal.fill("#idnat", virginiePSC.idNat)
		portal.click(testid("push-submit"))
		portal.expectAt("/auth/psc/push/attente")
		portal.expect("h1", h.msg(lang, "psc.push.wait.title"))
		binding := portal.text(testid("push-binding"))
		if len(binding) != 2 {
			t.Fatalf("%s: binding message %q", lang, binding)
		}
		if portal.attr(`meta[http-equiv="refresh"]`, "content") == "" {
			t.Errorf("%s: the wait page does not refresh itself", lang)
		}
		// The static script counts down (the CSP allows it: no inline
		// script); it shows the countdown, hidden without it.
		portal.step("countdown shown", chromedp.WaitVisible(chromedp.CSS(testid("push-countdown"))))
		if c := portal.text(testid("push-countdown")); !strings.ContainsAny(c, "0123456789") || strings.Contains(c, "%") {
			t.Errorf("%s: countdown %q", lang, c)
		}
		portal.audit("e-CPS push wait page")
		if dir != "" {
			portal.shoot(dir, "ecps-push-wait-"+lang)
		}

		app := h.newTab(browserOf[lang])
		app.open(h.portal.App.Sandbox.PSCECPSAppURL() + "?idnat=" + virginiePSC.idNat + "&ui_locales=" + lang)
		app.expectExactly(testid("ecps-binding"), binding)
		if dir != "" {
			app.shoot(dir, "ecps-app-"+lang)
		}
		app.click(testid("ecps-approve"))
		if app.count(testid("ecps-message")) != 1 {
			t.Fatalf("%s: the e-CPS app did not confirm the approval", lang)
		}

		// PSC's interval passes; the page's own refresh (no click) polls
		// PSC and lands on the identification page.
		h.portal.Clock.Advance(5 * time.Second)
		portal.step("the wait page refreshes into the portal", chromedp.WaitVisible(chromedp.CSS(testid("identify-form"))))
		portal.expectAt("/identification")
		portal.expectExactly(testid("professional"), virginiePSC.header)
	}
}

// Sharing in two browsers of the same professional: the patient shared
// from the first opens in the second. In each language.
func TestShareJourney(t *testing.T) {
	h := start(t, nil)
	dir := screenshotDir(t)
	qualifyCamille(t, h)
	for _, lang := range []string{"fr", "de", "en"} {
		a := h.newTab(browserOf[lang])
		a.signInWithPSC(virginiePSC)
		a.expectAt("/identification")
		a.lookUp(camilleNIR)
		a.expectExactly(testid("patient-name"), camilleName)
		a.click(testid("share-submit"))
		a.expectExactly(testid("share-notice"), h.msg(lang, "psc.share.done"))
		a.audit("patient page with sharing")
		if dir != "" {
			a.shoot(dir, "share-patient-"+lang)
		}

		b := h.newTab(browserOf[lang])
		b.signInWithPSC(virginiePSC)
		b.expectAt("/identification")
		if dir != "" {
			b.shoot(dir, "share-identification-"+lang)
		}
		b.audit("identification page with the shared patient")
		b.click(testid("shared-submit"))
		// The shared INS opens the identity kept of it.
		b.expectExactly(testid("identity-name"), "DUPONT CAMILLE")
	}
}

// qualifyCamille keeps Camille DUPONT's INS identity, qualified with an
// identity card, as the identity vigilance pages would.
func qualifyCamille(t *testing.T, h *harness) {
	t.Helper()
	n, err := nir.Parse(camilleNIR)
	if err != nil {
		t.Fatal(err)
	}
	s := h.portal.App.Store
	acct, err := s.AccountByLogin(t.Context(), "751234567")
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.SaveINSiResult(t.Context(), store.INSiResult{
		AccountID: acct.ID, Operation: "insi-traits", MessageID: "uuid:1", Code: "00",
		BirthName: "DUPONT", GivenNames: "CAMILLE ANNE", Sex: "F",
		BirthDate: time.Date(1984, 2, 11, 0, 0, 0, 0, time.UTC), BirthPlace: "75115",
		INS: store.INS{Matricule: n.String(), Key: n.Key(), OID: vigilance.OIDNIR},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.QualifyIdentity(t.Context(), id.ID, vigilance.CarteIdentite, acct.ID); err != nil {
		t.Fatal(err)
	}
}
