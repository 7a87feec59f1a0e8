package pscsim_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// chooseWith posts the e-CPS page's form with a way in (method).
func (e *env) chooseWith(t *testing.T, pending, method, idNat, code string) page {
	t.Helper()
	return post(t, e.issuer+"/protocol/openid-connect/auth",
		form("pending", pending, "method", method, "professional", idNat, "code", code, "action", "sign-in"))
}

// checkedMethod is the way in the page has checked ("" for none).
func checkedMethod(t *testing.T, pg page) string {
	t.Helper()
	doc := parse(t, pg)
	v, _ := doc.Find(`[data-testid="psc-methods"] input[name=method][checked]`).Attr("value")
	return v
}

// The e-CPS page offers the CPS card and the e-CPS app as two distinct
// choices, apart from the identities, the card chosen at first.
func TestCardPageOffersCardOrApp(t *testing.T) {
	t.Parallel()
	e := start(t)
	for _, tc := range []struct{ lang, card, app, legend string }{
		{"fr", "Carte CPS", "L'application e-CPS de votre téléphone", "Comment vous identifiez-vous ?"},
		{"de", "CPS-Karte", "Die e-CPS-App auf Ihrem Telefon", "Wie identifizieren Sie sich?"},
		{"en", "CPS card", "The e-CPS app on your phone", "How do you identify?"},
	} {
		pg := get(t, e.authURL(authRequest("ui_locales", tc.lang)))
		doc := parse(t, pg)
		methods := doc.Find(`[data-testid="psc-methods"]`)
		if got := methods.Find("legend").Text(); got != tc.legend {
			t.Errorf("%s: legend %q", tc.lang, got)
		}
		if n := methods.Find(`input[type=radio][name=method]`).Length(); n != 2 {
			t.Fatalf("%s: %d ways in, want 2", tc.lang, n)
		}
		card := strings.Join(strings.Fields(methods.Find(`label:has([data-testid="psc-method-card"])`).Text()), " ")
		app := strings.Join(strings.Fields(methods.Find(`label:has([data-testid="psc-method-app"])`).Text()), " ")
		if !strings.Contains(card, tc.card) || !strings.Contains(app, tc.app) {
			t.Errorf("%s: card %q, app %q", tc.lang, card, app)
		}
		// The identities are a fieldset of their own, not mixed with the ways in.
		if methods.Find(`[name=professional]`).Length() != 0 {
			t.Errorf("%s: identities inside the ways in", tc.lang)
		}
		if got := checkedMethod(t, pg); got != "card" {
			t.Errorf("%s: %q checked at first, want card", tc.lang, got)
		}
	}
}

// Both ways sign in with the test code; a form without one (an older
// page) means the card; any other value is refused, the page telling why
// beside the choice.
func TestCardPageWaysIn(t *testing.T) {
	t.Parallel()
	e := start(t)
	for _, method := range []string{"card", "app", ""} {
		pg := e.chooseWith(t, e.pendingID(t, authRequest()), method, virginie, pscsim.CardCode)
		if pg.status != http.StatusFound || pg.location(t).Query().Get("code") == "" {
			t.Errorf("method %q: %d %.300s", method, pg.status, pg.body)
		}
	}

	pending := e.pendingID(t, authRequest("ui_locales", "en"))
	pg := e.chooseWith(t, pending, "fingerprint", virginie, pscsim.CardCode)
	if pg.status != http.StatusUnprocessableEntity || pg.header.Get("Location") != "" {
		t.Fatalf("unknown method: %d", pg.status)
	}
	doc := parse(t, pg)
	msg := doc.Find(`#method-error`)
	if msg.Text() != "Choose the CPS card or the e-CPS." {
		t.Errorf("unknown method: message %q", msg.Text())
	}
	if n := doc.Find(`input[name=method][aria-describedby="method-error"][aria-invalid=true]`).Length(); n != 2 {
		t.Errorf("unknown method: %d ways in tied to the message, want 2", n)
	}
	// The identity stays chosen; the pending request is still there.
	if v, _ := doc.Find(`input[name=professional][checked]`).Attr("value"); v != virginie {
		t.Errorf("unknown method: identity %q kept, want %s", v, virginie)
	}

	// A wrong code keeps the way in chosen, and the identity.
	pg = e.chooseWith(t, pending, "app", virginie, "0000")
	if pg.status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(pg.body), "Wrong code") {
		t.Fatalf("wrong code: %d", pg.status)
	}
	if got := checkedMethod(t, pg); got != "app" {
		t.Errorf("wrong code: %q checked, want app", got)
	}
	// No identity: the way in stays chosen too.
	if got := checkedMethod(t, e.chooseWith(t, pending, "app", "", pscsim.CardCode)); got != "app" {
		t.Errorf("no identity: %q checked, want app", got)
	}
	if pg := e.chooseWith(t, pending, "app", virginie, pscsim.CardCode); pg.status != http.StatusFound {
		t.Errorf("after the errors: %d", pg.status)
	}
}

// The e-CPS app page is drawn as a phone's screen, the e-CPS page (card
// or app, in a browser) is not: a projected demo tells them apart.
func TestECPSAppPageIsDrawnAsAnApp(t *testing.T) {
	t.Parallel()
	e := start(t)
	app := parse(t, get(t, e.p.ECPSAppURL()+"?ui_locales=en"))
	if app.Find(`main.app[data-testid="ecps-app-frame"]`).Length() != 1 {
		t.Error("the e-CPS app page is not framed as an app")
	}
	if got := app.Find(`[data-testid="sandbox-brand"]`).Text(); got != "Simulator" {
		t.Errorf("brand tag %q", got)
	}
	card := parse(t, get(t, e.authURL(authRequest())))
	if card.Find(`main.app`).Length() != 0 {
		t.Error("the e-CPS page is framed as an app")
	}
}
