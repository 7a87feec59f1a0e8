package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

// pushFor starts "Recevoir une notification e-CPS" for idNat and returns
// the binding message the waiting page shows.
func pushFor(t *testing.T, b *apptest.Browser, idNat string) string {
	t.Helper()
	if r := b.Get("/auth/psc/push"); r.Status != http.StatusOK || !b.Has("push-form") {
		t.Fatalf("push page: %d", r.Status)
	}
	r := b.Post("/auth/psc/push", url.Values{"idnat": {idNat}})
	if r.Status != http.StatusSeeOther || r.Location != "/auth/psc/push/attente" {
		t.Fatalf("push: %d → %q (%s)", r.Status, r.Location, b.Text("push-error"))
	}
	if r = b.Get(r.Location); r.Status != http.StatusOK {
		t.Fatalf("wait page: %d", r.Status)
	}
	binding := b.Text("push-binding")
	if len(binding) != 2 {
		t.Fatalf("binding message %q", binding)
	}
	return binding
}

// refreshOf is the wait page's meta refresh (seconds), "" without one.
func refreshOf(doc *goquery.Document) string {
	v, _ := doc.Find(`meta[http-equiv="refresh"]`).Attr("content")
	return v
}

// ecpsAnswer opens the sandbox e-CPS app for idNat in its own browser,
// checks it shows binding, and answers ("approve" or "refuse").
func ecpsAnswer(t *testing.T, p *apptest.Portal, idNat, binding, action string) {
	t.Helper()
	app := p.NewBrowser(t)
	app.Get(p.App.Sandbox.PSCECPSAppURL() + "?idnat=" + idNat)
	row := app.Page.Find(`[data-testid="ecps-request"]`).First()
	if got := strings.TrimSpace(row.Find(`[data-testid="ecps-binding"]`).Text()); got != binding {
		t.Fatalf("the e-CPS app shows %q, the portal %q", got, binding)
	}
	req, _ := row.Find(`input[name="req"]`).Attr("value")
	if req == "" {
		t.Fatal("no request to answer")
	}
	if r := app.PostRaw(p.App.Sandbox.PSCECPSAppURL(), url.Values{"idnat": {idNat}, "req": {req}, "action": {action}}); r.Status != http.StatusOK {
		t.Fatalf("e-CPS answer: %d", r.Status)
	}
}

// Approved in the e-CPS app, the push signs in as the redirect flow does
// (linked account, tokens kept, acr shown), and the device remembers the
// idNat (and nothing else).
func TestPushSignInApproved(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Get("/")
	if href, _ := b.Page.Find(`[data-testid="login-psc-push"]`).Attr("href"); href != "/auth/psc/push" {
		t.Errorf("login page push link %q", href)
	}
	binding := pushFor(t, b, virginieIDNat)
	if refreshOf(b.Page) != "5" {
		t.Errorf("wait page refresh %q, want PSC's interval 5", refreshOf(b.Page))
	}
	if src, _ := b.Page.Find("script").Attr("src"); !strings.Contains(src, "ecps-wait") {
		t.Errorf("wait page script %q", src)
	}
	// Before the interval: no poll, the page only waits.
	if r := b.Get("/auth/psc/push/attente"); r.Status != http.StatusOK || refreshOf(b.Page) != "5" {
		t.Errorf("early reload: %d refresh %q", r.Status, refreshOf(b.Page))
	}
	p.Clock.Advance(5 * time.Second)
	if r := b.Get("/auth/psc/push/attente"); r.Status != http.StatusOK || b.Text("push-binding") != binding {
		t.Fatalf("pending: %d", r.Status)
	}
	ecpsAnswer(t, p, virginieIDNat, binding, "approve")
	p.Clock.Advance(5 * time.Second)
	r := b.Get("/auth/psc/push/attente")
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("approved: %d → %q", r.Status, r.Location)
	}
	signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
	if sealed, _ := p.App.Store.ProviderTokens(t.Context(), sessionToken(t, b)); len(sealed) == 0 {
		t.Error("no PSC tokens kept after a push sign-in")
	}
	b.Get("/mes-informations")
	if b.Text("profile-acr") != "eidas1" {
		t.Errorf("acr after an e-CPS app approval: %q", b.Text("profile-acr"))
	}
	if c := b.Cookie("infopatient_ecps_ids"); c != nil {
		t.Errorf("the remembered list is sent beyond its path: %v", c)
	}
	u, _ := url.Parse(p.URL + "/auth/psc/push")
	var remembered string
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == "infopatient_ecps_ids" {
			remembered = c.Value
		}
	}
	if remembered != virginieIDNat {
		t.Errorf("remembered %q", remembered)
	}
	// Another sign-in on this device offers it.
	b.Post("/logout", url.Values{})
	b.Get("/auth/psc/push")
	if !b.Has("push-remembered-" + virginieIDNat) {
		t.Error("the remembered idNat is not offered")
	}
}

// Refused, or left unanswered, the push says so and signs nobody in.
func TestPushSignInRefusedOrExpired(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	binding := pushFor(t, b, virginieIDNat)
	ecpsAnswer(t, p, virginieIDNat, binding, "refuse")
	p.Clock.Advance(5 * time.Second)
	r := b.Get("/auth/psc/push/attente")
	if r.Status != http.StatusUnauthorized || b.Text("error-title") != "Demande e-CPS refusée" {
		t.Errorf("refused: %d %q", r.Status, b.Text("error-title"))
	}
	if href, _ := b.Page.Find(`[data-testid="error-retry"]`).Attr("href"); href != "/auth/psc/push" {
		t.Errorf("retry leads to %q", href)
	}
	signedOut(t, b, "refused push")

	pushFor(t, b, virginieIDNat)
	p.Clock.Advance(3 * time.Minute)
	for lang, want := range map[string]string{"fr": "Demande e-CPS expirée"} {
		r = b.Get("/auth/psc/push/attente?lang=" + lang)
		if r.Status != http.StatusUnauthorized || b.Text("error-title") != want {
			t.Errorf("expired: %d %q", r.Status, b.Text("error-title"))
		}
	}
	// The request is forgotten: the wait page leads back to the form.
	if r = b.Get("/auth/psc/push/attente"); r.Status != http.StatusSeeOther || r.Location != "/auth/psc/push" {
		t.Errorf("after expiry: %d → %q", r.Status, r.Location)
	}
	signedOut(t, b, "expired push")
}

// A mistyped or unknown idNat is said on the form.
func TestPushSignInBadIdentifier(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Get("/auth/psc/push")
	for idNat, want := range map[string]string{
		"12 34":        "6 à 20 chiffres",
		"899999999999": "ne connaît aucun professionnel",
	} {
		r := b.Post("/auth/psc/push", url.Values{"idnat": {idNat}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(b.Text("push-error"), want) {
			t.Errorf("%q: %d %q", idNat, r.Status, b.Text("push-error"))
		}
	}
}

// PSC answering slow_down (two tabs polled at once, say) makes the page
// wait the larger interval it gives: an approval that arrives meanwhile
// is taken only once that interval has passed.
func TestPushSignInHonoursSlowDown(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	binding := pushFor(t, b, virginieIDNat)
	if got := refreshOf(b.Page); got != "5" {
		t.Fatalf("first wait: refresh %q, want PSC's interval 5", got)
	}
	p.App.Sandbox.PSC.Misbehave(sandbox.PSCClientID, pscsim.CIBASlowDown, false)
	p.Clock.Advance(5 * time.Second)
	b.Get("/auth/psc/push/attente")
	if got := refreshOf(b.Page); got != "10" {
		t.Fatalf("after slow_down: refresh %q, want 10", got)
	}
	ecpsAnswer(t, p, virginieIDNat, binding, "approve")
	p.Clock.Advance(5 * time.Second)
	if r := b.Get("/auth/psc/push/attente"); r.Status != http.StatusOK || refreshOf(b.Page) != "5" {
		t.Fatalf("5 s into the 10: %d, refresh %q; the page must not poll yet", r.Status, refreshOf(b.Page))
	}
	p.Clock.Advance(5 * time.Second)
	if r := b.Get("/auth/psc/push/attente"); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("once the interval passed: %d → %q", r.Status, r.Location)
	}
}
