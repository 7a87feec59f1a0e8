package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

func TestPSCUnlinkedIdentityIsLinkedOnce(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	r := pscSignIn(t, b, isabelleIDNat)
	if r.Status != http.StatusSeeOther || r.Location != "/auth/link" {
		t.Fatalf("unlinked identity: %d → %q", r.Status, r.Location)
	}
	b.Follow(r)
	if got := b.Text("link-who"); got != "ISABELLE INFIRMIERE — RPPS 99700218912" {
		t.Errorf("linking page names %q", got)
	}
	if got := b.Text("link"); !strings.Contains(got, "Pro Santé Connect vous a reconnu(e)") {
		t.Errorf("linking page says %q", got)
	}
	if !strings.Contains(b.Text("link-no-account"), "administrateur") {
		t.Errorf("the page does not say whom to ask: %q", b.Text("link-no-account"))
	}
	// Not signed in while the identity waits for its account.
	if r := b.Get("/identification"); r.Status != http.StatusSeeOther {
		t.Errorf("identification before linking: %d", r.Status)
	}
	b.Get("/auth/link")

	r = b.Post("/auth/link", url.Values{"login": {isabelle}, "password": {"not-her-password"}})
	if r.Status != http.StatusUnauthorized || !strings.Contains(b.Text("link-error"), "incorrect") {
		t.Fatalf("wrong password: %d %q", r.Status, b.Text("link-error"))
	}
	if ids, _ := p.App.Store.IdentitiesOf(t.Context(), accountID(t, p, isabelle)); len(ids) != 0 {
		t.Fatalf("a wrong password linked %v", ids)
	}
	r = b.Post("/auth/link", url.Values{"login": {isabelle}, "password": {demo.Password}})
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("right password: %d → %q %q", r.Status, r.Location, b.Text("link-error"))
	}
	b.Follow(r)
	if got := b.Text("professional"); got != "ISABELLE INFIRMIERE RPPS 99700218912" {
		t.Errorf("header %q", got)
	}
	// The identification page confirms the link, once.
	if got := b.Text("identify-notice"); got != "Votre identité Pro Santé Connect est maintenant associée à votre compte." {
		t.Errorf("identification page after linking: notice %q", got)
	}
	if b.Get("/identification"); b.Has("identify-notice") {
		t.Errorf("the link notice is shown again: %q", b.Text("identify-notice"))
	}
	ids, err := p.App.Store.IdentitiesOf(t.Context(), accountID(t, p, isabelle))
	if err != nil || len(ids) != 1 || ids[0].Provider != "psc" || ids[0].Subject != isabelleIDNat {
		t.Fatalf("linked identities %+v %v", ids, err)
	}
	// The linked sign-in is recorded as a direct one: Mes informations
	// shows its claims, the logout hints PSC with its ID token.
	b.Get("/mes-informations")
	if got := b.Text("profile-psc-name"); !strings.Contains(got, "ISABELLE INFIRMIERE") || b.Page.Find(`[data-testid="claim"]`).Length() == 0 {
		t.Errorf("profile after linking: name %q, %d claims", got, b.Page.Find(`[data-testid="claim"]`).Length())
	}
	if data, _, _ := p.App.Store.SessionStore().Find(b.Cookie("infopatient_session").Value); bytes.Contains(data, []byte("SubjectNameID")) || bytes.Contains(data, []byte("eyJ")) {
		t.Errorf("the session keeps the claims or the ID token after linking: %s", data)
	}
	if r := b.Post("/logout", nil); !strings.Contains(r.Location, "id_token_hint=eyJ") {
		t.Errorf("logout after linking leads to %q", r.Location)
	}

	// The next e-CPS sign-in, in another browser, goes straight in.
	b2 := p.NewBrowser(t)
	if r := pscSignIn(t, b2, isabelleIDNat); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("second sign-in: %d → %q", r.Status, r.Location)
	}
	signedInAs(t, b2, "ISABELLE INFIRMIERE RPPS 99700218912")
}

func TestPSCLinkingRefusals(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)

	// The identity was linked to another account meanwhile (from the
	// command line, or another tab): the link is refused, nothing changes.
	b := p.NewBrowser(t)
	pscSignIn(t, b, paulIDNat)
	b.Get("/auth/link")
	if err := p.App.Store.LinkIdentity(t.Context(), "psc", paulIDNat, accountID(t, p, "691234561")); err != nil {
		t.Fatal(err)
	}
	r := b.Post("/auth/link", url.Values{"login": {isabelle}, "password": {demo.Password}})
	if r.Status != http.StatusConflict || !strings.Contains(b.Text("link-error"), "autre compte") {
		t.Errorf("identity linked meanwhile: %d %q", r.Status, b.Text("link-error"))
	}
	if ids, _ := p.App.Store.IdentitiesOf(t.Context(), accountID(t, p, isabelle)); len(ids) != 0 {
		t.Errorf("linked anyway: %v", ids)
	}
	signedOut(t, b, "after a refused link")

	// Cancelling forgets the identity, and ends the session at Pro Santé
	// Connect as a logout does, before landing on the login page.
	b.Get("/auth/link")
	sessions := len(p.App.Sandbox.PSC.Sessions())
	r = b.Post("/auth/link/cancel", nil)
	endSession, err := url.Parse(r.Location)
	if r.Status != http.StatusSeeOther || err != nil || !strings.HasPrefix(r.Location, p.App.Sandbox.PSCIssuer()+"/protocol/openid-connect/logout?") {
		t.Fatalf("cancel: %d → %q, want PSC's end-session endpoint", r.Status, r.Location)
	}
	if q := endSession.Query(); q.Get("id_token_hint") == "" || q.Get("state") == "" || q.Get("post_logout_redirect_uri") != p.URL+"/auth/psc/logout-callback" {
		t.Errorf("end-session parameters after cancel %v", q)
	}
	r = b.Get(r.Location)
	if r.Status != http.StatusFound {
		t.Fatalf("end session after cancel: %d → %q", r.Status, r.Location)
	}
	if r = b.Get(r.Location); r.Status != http.StatusSeeOther || r.Location != "/" {
		t.Errorf("logout callback after cancel: %d → %q, want the login page", r.Status, r.Location)
	}
	if n := len(p.App.Sandbox.PSC.Sessions()); n != sessions-1 {
		t.Errorf("provider sessions after cancel: %d, want %d", n, sessions-1)
	}
	if r := b.Get("/auth/link"); r.Status != http.StatusSeeOther {
		t.Errorf("the linking page still answers after cancel: %d", r.Status)
	}
	signedOut(t, b, "after a cancelled link")

	// The identity waits a bounded time.
	b = p.NewBrowser(t)
	pscSignIn(t, b, isabelleIDNat)
	b.Get("/auth/link")
	p.Clock.Advance(11 * time.Minute)
	r = b.Post("/auth/link", url.Values{"login": {isabelle}, "password": {demo.Password}})
	if r.Status != http.StatusBadRequest || !strings.Contains(b.Text("error-message"), "expiré") {
		t.Errorf("stale link: %d %q", r.Status, b.Text("error-message"))
	}
	if ids, _ := p.App.Store.IdentitiesOf(t.Context(), accountID(t, p, isabelle)); len(ids) != 0 {
		t.Errorf("a stale identity was linked: %v", ids)
	}

	// No identity waiting: the linking form is refused.
	b = p.NewBrowser(t)
	b.Get("/")
	if r := b.Post("/auth/link", url.Values{"login": {isabelle}, "password": {demo.Password}}); r.Status != http.StatusBadRequest {
		t.Errorf("link without identity: %d", r.Status)
	}
}

// The linking form checks the local password as the sign-in form does:
// an empty form costs no attempt, a refusal is logged and counted, and
// the right password clears the account's count.
func TestLinkingChecksThePasswordAsSigningInDoes(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_LOGIN_MAX_PER_ACCOUNT": "3"})
	b := p.NewBrowser(t)
	pscSignIn(t, b, isabelleIDNat)
	b.Get("/auth/link")
	if r := b.Post("/auth/link", url.Values{"login": {isabelle}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(b.Text("link-error"), "mot de passe") {
		t.Errorf("no password: %d %q", r.Status, b.Text("link-error"))
	}
	for i := range 2 {
		if r := b.Post("/auth/link", url.Values{"login": {isabelle}, "password": {"not-her-password"}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, r.Status)
		}
	}
	if r := b.Post("/auth/link", url.Values{"login": {isabelle}, "password": {demo.Password}}); r.Status != http.StatusSeeOther {
		t.Fatalf("right password: %d %q", r.Status, b.Text("link-error"))
	}
	if got := grepLines(p.Logs.String(), `msg="sign-in refused"`); strings.Count(got, "method=psc") != 2 {
		t.Errorf("refusals logged:\n%s", got)
	}
	// Three attempts since the count was cleared: none is throttled.
	b2 := p.NewBrowser(t)
	b2.Get("/")
	for i := range 3 {
		if r := b2.Post("/login", url.Values{"login": {isabelle}, "password": {"not-her-password"}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("sign-in %d after the link: %d", i+1, r.Status)
		}
	}
	metrics := b2.Get(p.MetricsURL).Body
	for _, want := range []string{
		`infopatient_sign_ins_total{authority="psc",outcome="refused"} 2`,
		`infopatient_sign_ins_total{authority="psc",outcome="success"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
