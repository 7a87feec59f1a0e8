package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
	"github.com/infopatient/infopatient/internal/store"
)

// Sandbox test cards (data/sandbox/psc-professionals.json) and the demo
// accounts they belong to.
const (
	virginieIDNat = "899700218896" // linked to 751234567
	paulIDNat     = "899700218904" // not linked
	isabelleIDNat = "899700218912" // not linked; account 931234565
	isabelle      = "931234565"
)

// pscAuthorize presses "SE CONNECTER par e-CPS" in b and answers the
// sandbox's card page with the card idNat (code 1234) and the button
// action ("sign-in" or "cancel"). It returns where the sandbox sends the
// browser back: the portal's callback URL, not visited yet.
func pscAuthorize(t testing.TB, b *apptest.Browser, idNat, action string) *url.URL {
	t.Helper()
	return pscAuthorizeFrom(t, b, "/auth/psc/login", idNat, action)
}

// pscAuthorizeFrom is pscAuthorize starting at a given sign-in URL.
func pscAuthorizeFrom(t testing.TB, b *apptest.Browser, start, idNat, action string) *url.URL {
	t.Helper()
	r := b.Get(start)
	if r.Status != http.StatusFound {
		t.Fatalf("e-CPS button: %d %s", r.Status, b.Text("error-title"))
	}
	cardPage := r.Location
	if r = b.Get(cardPage); r.Status != http.StatusOK || !b.Has("psc-form") {
		t.Fatalf("sandbox card page %q: %d", cardPage, r.Status)
	}
	pending, ok := b.Page.Find(`input[name="pending"]`).Attr("value")
	if !ok || pending == "" {
		t.Fatal("the card page carries no pending field")
	}
	r = b.PostRaw(cardPage, url.Values{"pending": {pending}, "professional": {idNat}, "code": {pscsim.CardCode}, "action": {action}})
	if r.Status != http.StatusFound {
		t.Fatalf("card page answer: %d", r.Status)
	}
	back, err := url.Parse(r.Location)
	if err != nil || back.Path != "/auth/psc/callback" {
		t.Fatalf("the sandbox sends the browser to %q", r.Location)
	}
	return back
}

// pscSignIn signs in with the card idNat and returns the callback's answer
// (a redirect: to the identification page, or to the linking page).
func pscSignIn(t *testing.T, b *apptest.Browser, idNat string) *apptest.Response {
	t.Helper()
	return b.Get(pscAuthorize(t, b, idNat, "sign-in").String())
}

// signedOut asserts that b has no authenticated session.
func signedOut(t *testing.T, b *apptest.Browser, why string) {
	t.Helper()
	if r := b.Get("/identification"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/?") {
		t.Errorf("%s: the identification page answers %d → %q, want the login page", why, r.Status, r.Location)
	}
}

// signedInAs asserts that b's identification page shows header.
func signedInAs(t *testing.T, b *apptest.Browser, header string) {
	t.Helper()
	r := b.Get("/identification")
	if r.Status != http.StatusOK || b.Text("professional") != header {
		t.Errorf("identification page: %d, header %q, want %q", r.Status, b.Text("professional"), header)
	}
}

// refusedWith asserts the error page a failed sign-in shows: its status,
// title, and a retry button leading to authority's sign-in.
func refusedWith(t *testing.T, b *apptest.Browser, r *apptest.Response, status int, title, authority string) {
	t.Helper()
	if r.Status != status || b.Text("error-title") != title {
		t.Errorf("got %d %q (%s), want %d %q", r.Status, b.Text("error-title"), b.Text("error-message"), status, title)
	}
	if href, _ := b.Page.Find(`[data-testid="error-retry"]`).Attr("href"); href != "/auth/"+authority+"/login" {
		t.Errorf("retry button leads to %q", href)
	}
}

const (
	titleRefused     = "Connexion refusée"
	titleStale       = "Connexion expirée"
	titleCancelled   = "Connexion annulée"
	titleUnavailable = "Service d'authentification indisponible"
)

func TestPSCSignInLinkedIdentity(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
	// The sign-in started no session: a short cookie binds the state to
	// this browser; signing in gives a session of its own.
	if b.Cookie("infopatient_session") != nil || b.Cookie("infopatient_signin") == nil {
		t.Fatal("the sign-in is not bound by its short cookie alone")
	}
	before := &http.Cookie{Name: "infopatient_session", Value: "none"}
	q := callback.Query()
	if q.Get("code") == "" || q.Get("state") == "" || q.Get("iss") != p.App.Sandbox.PSCIssuer() {
		t.Fatalf("callback parameters %v", q)
	}
	r := b.Get(callback.String())
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("callback: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
	}
	if rp := r.Header.Get("Referrer-Policy"); rp != "no-referrer" {
		t.Errorf("callback Referrer-Policy %q", rp)
	}
	if after := b.Cookie("infopatient_session"); after == nil || after.Value == before.Value {
		t.Error("the session token was not renewed at sign-in")
	}
	b.Follow(r)
	if got := b.Text("professional"); got != "VIRGINIE MEDECIN RPPS 99700218896" {
		t.Errorf("header %q", got)
	}
	if !b.Has("identify-form") {
		t.Error("not on IDENTIFIEZ VOTRE PATIENT(E)")
	}
}

func TestPSCProtectedPageComesBackAfterSignIn(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(b.Get("/historique"))
	start, _ := b.Page.Find(`[data-testid="login-psc"]`).Attr("href")
	if start != "/auth/psc/login?return=%2Fhistorique" {
		t.Fatalf("e-CPS button %q", start)
	}
	if r := b.Get(pscAuthorizeFrom(t, b, start, virginieIDNat, "sign-in").String()); r.Location != "/historique" {
		t.Errorf("sign-in leads to %q", r.Location)
	}
	for _, evil := range []string{"//evil.example", "https://evil.example", "/%2F%2Fevil.example", "/\\evil.example"} {
		b := p.NewBrowser(t)
		r := b.Get(pscAuthorizeFrom(t, b, "/auth/psc/login?return="+url.QueryEscape(evil), virginieIDNat, "sign-in").String())
		if r.Location != "/identification" {
			t.Errorf("return=%q leads to %q", evil, r.Location)
		}
	}
}

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

func TestPSCCancelledSignIn(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	callback := pscAuthorize(t, b, "", "cancel")
	if callback.Query().Get("error") != "access_denied" {
		t.Fatalf("cancel answered %v", callback.Query())
	}
	r := b.Get(callback.String())
	refusedWith(t, b, r, http.StatusUnauthorized, titleCancelled, "psc")
	if !strings.Contains(b.Text("error-message"), "annulé") {
		t.Errorf("message %q", b.Text("error-message"))
	}
	// The professional's choice is no error: a neutral message, no code.
	if msg := b.Page.Find(`[data-testid="error-message"]`); msg.HasClass("error") || msg.AttrOr("role", "") != "status" {
		t.Errorf("cancelled sign-in shown as an error: class %q role %q", msg.AttrOr("class", ""), msg.AttrOr("role", ""))
	}
	if b.Has("error-status") || strings.Contains(b.Page.Text(), "Code d'erreur") {
		t.Error("the cancelled sign-in's page shows an error code")
	}
	if b.Text("error-retry") != "RÉESSAYER" {
		t.Errorf("retry button %q", b.Text("error-retry"))
	}
	// The language links do not repeat the callback's state.
	if href, _ := b.Page.Find(`[data-testid="languages"] a[hreflang="de"]`).Attr("href"); href != "/?lang=de" {
		t.Errorf("German link on the callback page: %q", href)
	}
	if strings.Contains(r.Body, callback.Query().Get("state")) {
		t.Error("the page repeats the callback's state")
	}
	signedOut(t, b, "after a cancelled sign-in")
	// The retry button starts a new sign-in that works.
	if r := pscSignIn(t, b, virginieIDNat); r.Location != "/identification" {
		t.Errorf("retry: %d → %q", r.Status, r.Location)
	}
}

func TestPSCProfileShowsTheClaims(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(pscSignIn(t, b, virginieIDNat))
	if r := b.Get("/mes-informations"); r.Status != http.StatusOK {
		t.Fatalf("profile: %d", r.Status)
	}
	for id, want := range map[string]string{
		"profile-method":     "Pro Santé Connect",
		"profile-psc-name":   "VIRGINIE MEDECIN",
		"profile-idnat":      virginieIDNat,
		"profile-rpps":       "99700218896",
		"profile-profession": "Médecin",
		"profile-identities": virginieIDNat,
	} {
		if got := b.Text(id); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want it to contain %q", id, got, want)
		}
	}
	if got := b.Text("profile-activities"); got == "" {
		t.Error("no activity shown")
	}
	claims := map[string]string{}
	b.Page.Find(`[data-testid="claim"]`).Each(func(_ int, row *goquery.Selection) {
		cells := row.Find("td")
		claims[strings.TrimSpace(cells.Eq(0).Text())+"/"+strings.TrimSpace(cells.Eq(1).Text())] = strings.TrimSpace(cells.Eq(2).Text())
	})
	for _, name := range []string{"id_token/sub", "id_token/acr", "id_token/nonce", "userinfo/SubjectNameID", "userinfo/otherIds", "userinfo/given_name", "userinfo/family_name"} {
		if _, ok := claims[name]; !ok {
			t.Errorf("claims table lacks %s (has %d rows)", name, len(claims))
		}
	}
	if got := claims["userinfo/SubjectNameID"]; got != virginieIDNat {
		t.Errorf("SubjectNameID %q", got)
	}
	if got := claims["userinfo/otherIds"]; !strings.Contains(got, "99700218896") {
		t.Errorf("otherIds %q", got)
	}

	// A local sign-in shows the account only.
	l := p.NewBrowser(t)
	l.SignIn(virginie, demo.Password)
	l.Get("/mes-informations")
	if l.Has("profile-psc") || l.Has("claims") || !strings.Contains(l.Text("profile-method"), "mot de passe") {
		t.Errorf("local profile: psc %v claims %v method %q", l.Has("profile-psc"), l.Has("claims"), l.Text("profile-method"))
	}
}

func TestPSCLogoutEndsBothSessions(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(pscSignIn(t, b, virginieIDNat))
	signedIn := b.Cookie("infopatient_session")
	if n := len(p.App.Sandbox.PSC.Sessions()); n != 1 {
		t.Fatalf("provider sessions: %d", n)
	}

	r := b.Post("/logout", nil)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.Status)
	}
	endSession, err := url.Parse(r.Location)
	if err != nil || !strings.HasPrefix(r.Location, p.App.Sandbox.PSCIssuer()+"/protocol/openid-connect/logout?") {
		t.Fatalf("logout leads to %q", r.Location)
	}
	q := endSession.Query()
	if q.Get("id_token_hint") == "" || q.Get("state") == "" || q.Get("post_logout_redirect_uri") != p.URL+"/auth/psc/logout-callback" {
		t.Errorf("end-session parameters %v", q)
	}
	// The local session ended before the browser left: the old cookie is worthless.
	stale := p.NewBrowser(t)
	stale.Client.Jar.SetCookies(mustURL(t, p.URL), []*http.Cookie{{Name: signedIn.Name, Value: signedIn.Value}})
	signedOut(t, stale, "the signed-in cookie after logout")

	r = b.Get(r.Location)
	back, _ := url.Parse(r.Location)
	if r.Status != http.StatusFound || back.Path != "/auth/psc/logout-callback" || back.Query().Get("state") != q.Get("state") {
		t.Fatalf("end session: %d → %q", r.Status, r.Location)
	}
	r = b.Get(r.Location)
	if r.Status != http.StatusSeeOther || r.Location != "/?bye=1" {
		t.Fatalf("logout callback: %d → %q", r.Status, r.Location)
	}
	b.Follow(r)
	if !strings.Contains(b.Text("login-notice"), "déconnecté") {
		t.Errorf("logout notice %q", b.Text("login-notice"))
	}
	signedOut(t, b, "after logout")
	if n := len(p.App.Sandbox.PSC.Sessions()); n != 0 {
		t.Errorf("provider sessions left: %d", n)
	}

	// The logout callback takes its own state only, once. A replay is
	// no sign-in: the page says the local session ended anyway and leads
	// to the login page, and no failed sign-in is counted.
	r = b.Get(back.String())
	if r.Status != http.StatusBadRequest || b.Text("error-title") != "Déconnexion" || !strings.Contains(b.Text("error-message"), "déconnecté(e) d'InfoPatient") {
		t.Errorf("replayed logout return: %d %q %q", r.Status, b.Text("error-title"), b.Text("error-message"))
	}
	if b.Has("error-retry") || b.Page.Find(`a.btn[href="/"]`).Length() != 1 {
		t.Error("the page should lead to the login page, not retry a sign-in")
	}
	// A signed-in browser led there by a link is not signed out by a GET.
	other := p.NewBrowser(t)
	other.SignIn(virginie, demo.Password)
	if r := other.Get("/auth/psc/logout-callback?state=forged"); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Errorf("forged logout return while signed in: %d → %q", r.Status, r.Location)
	}
	signedInAs(t, other, "VIRGINIE MEDECIN RPPS 99700218896")
	if m := other.Get(p.MetricsURL); strings.Contains(m.Body, `outcome="state"`) || strings.Contains(m.Body, `authority="psc",outcome="rejected"`) {
		t.Errorf("the logout returns were counted as failed sign-ins:\n%s", grepLines(m.Body, "sign_ins_total"))
	}
}

// grepLines keeps the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestPSCBackchannelLogoutEndsOnlyThatSession(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	provider := p.App.Sandbox.PSC
	first, second := p.NewBrowser(t), p.NewBrowser(t)
	first.Follow(pscSignIn(t, first, virginieIDNat))
	sids := provider.Sessions()
	second.Follow(pscSignIn(t, second, virginieIDNat))
	var firstSID string
	if len(sids) == 1 {
		firstSID = sids[0]
	}
	if n := len(provider.Sessions()); n != 2 || firstSID == "" {
		t.Fatalf("provider sessions %v", provider.Sessions())
	}
	firstToken, secondToken := first.Cookie("infopatient_session").Value, second.Cookie("infopatient_session").Value
	sent := provider.Stats().BackchannelSent
	if err := provider.EndSession(t.Context(), firstSID); err != nil {
		t.Fatalf("back-channel logout: %v", err)
	}
	if provider.Stats().BackchannelSent != sent+1 {
		t.Error("no logout token was posted")
	}
	// The ended session's browser still presents its cookie: the login
	// page says the session ended, once.
	r := first.Get("/identification")
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "ended=1") {
		t.Fatalf("the ended provider session's browser: %d → %q, want the login page with ended=1", r.Status, r.Location)
	}
	first.Follow(r)
	if got := first.Text("login-notice"); got != "Votre session a pris fin. Reconnectez-vous pour continuer." {
		t.Errorf("login page after a back-channel logout: notice %q", got)
	}
	if first.Get("/"); first.Text("login-notice") != "" {
		t.Errorf("the ended-session notice is shown again: %q", first.Text("login-notice"))
	}
	signedOut(t, first, "the ended provider session's browser")
	signedInAs(t, second, "VIRGINIE MEDECIN RPPS 99700218896")
	// The ended session's ID token and claims went with it; the other's stay.
	if _, err := p.App.Store.ProviderSession(t.Context(), firstToken, p.Clock.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the ended session's record: %v", err)
	}
	if rec, err := p.App.Store.ProviderSession(t.Context(), secondToken, p.Clock.Now()); err != nil || rec.Claims == "" || len(rec.IDToken) == 0 {
		t.Errorf("the other session's record: %+v %v", rec, err)
	}
}

// The OpenID Connect relying party table of the security checklist, at the
// portal: each bad answer of the provider is refused with the error page
// and no session; the good oddities are accepted.
func TestPSCRefusesWhatTheChecklistRefuses(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	provider := p.App.Sandbox.PSC
	for _, tc := range []struct {
		checklist string
		fault     pscsim.Fault
	}{
		{"rp-id_token-issuer-mismatch", pscsim.WrongIssuer},
		{"rp-id_token-sub", pscsim.MissingSub},
		{"rp-id_token-aud (another client)", pscsim.WrongAudience},
		{"rp-id_token-aud (missing)", pscsim.MissingAudience},
		{"azp naming another client", pscsim.ForeignAuthorizedParty},
		{"rp-id_token-iat", pscsim.MissingIAT},
		{"rp-id_token-bad-sig-rs256", pscsim.BadSignature},
		{"rp-nonce-invalid", pscsim.WrongNonce},
		{"rp-userinfo-bad-sub-claim", pscsim.UserinfoSubMismatch},
		{"expired ID token", pscsim.ExpiredIDToken},
		{"acr below the requested level", pscsim.LowACR},
	} {
		t.Run(tc.checklist, func(t *testing.T) {
			provider.Misbehave(sandbox.PSCClientID, tc.fault, true)
			defer provider.Behave()
			b := p.NewBrowser(t)
			r := pscSignIn(t, b, virginieIDNat)
			refusedWith(t, b, r, http.StatusUnauthorized, titleRefused, "psc")
			if b.Has("professional") {
				t.Error("the error page shows a signed-in header")
			}
			signedOut(t, b, tc.checklist)
		})
	}
}

func TestPSCAcceptsWhatTheChecklistAccepts(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	provider := p.App.Sandbox.PSC
	signsIn := func(t *testing.T, what string) {
		t.Helper()
		b := p.NewBrowser(t)
		if r := pscSignIn(t, b, virginieIDNat); r.Status != http.StatusSeeOther || r.Location != "/identification" {
			t.Fatalf("%s: %d → %q: %s", what, r.Status, r.Location, b.Text("error-message"))
		}
		signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
	}
	signsIn(t, "a first sign-in caches the signing key")
	for _, tc := range []struct {
		checklist string
		fault     pscsim.Fault
	}{
		{"rp-id_token-kid-absent-single-jwks", pscsim.NoKID},
		{"acr above the requested level", pscsim.HighACR},
	} {
		t.Run(tc.checklist, func(t *testing.T) {
			provider.Misbehave(sandbox.PSCClientID, tc.fault, true)
			defer provider.Behave()
			signsIn(t, tc.checklist)
		})
	}
	t.Run("rp-id_token-kid-absent-multiple-jwks", func(t *testing.T) {
		// Accepting after trying the keys, or refusing cleanly, are both right.
		provider.Misbehave(sandbox.PSCClientID, pscsim.NoKIDSeveralKeys, true)
		defer provider.Behave()
		b := p.NewBrowser(t)
		r := pscSignIn(t, b, virginieIDNat)
		switch {
		case r.Status == http.StatusSeeOther && r.Location == "/identification":
			signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
		default:
			refusedWith(t, b, r, http.StatusUnauthorized, titleRefused, "psc")
			signedOut(t, b, "refused without kid")
		}
	})
	t.Run("rp-key-rotation-op-sign-key", func(t *testing.T) {
		jwks := provider.Stats().JWKS
		if err := provider.RotateKey(false); err != nil {
			t.Fatal(err)
		}
		signsIn(t, "after the provider rotated its key")
		if provider.Stats().JWKS <= jwks {
			t.Error("the signing keys were not fetched again")
		}
	})
	t.Run("rotation keeping the old key published", func(t *testing.T) {
		if err := provider.RotateKey(true); err != nil {
			t.Fatal(err)
		}
		signsIn(t, "after a rotation keeping the old key")
	})
}

func TestPSCRefusesAnACRBelowAHigherRequestedLevel(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_PSC_ACR_VALUES": "eidas2"})
	b := p.NewBrowser(t)
	start := b.Get("/auth/psc/login")
	if loc, _ := url.Parse(start.Location); loc.Query().Get("acr_values") != "eidas2" {
		t.Fatalf("authorization request %q", start.Location)
	}
	p.App.Sandbox.PSC.Misbehave(sandbox.PSCClientID, pscsim.LowACR, false)
	r := pscSignIn(t, b, virginieIDNat)
	refusedWith(t, b, r, http.StatusUnauthorized, titleRefused, "psc")
	// eidas2 as asked: accepted.
	if r := pscSignIn(t, b, virginieIDNat); r.Location != "/identification" {
		t.Errorf("eidas2 sign-in: %d → %q", r.Status, r.Location)
	}
}

func TestPSCCallbackStateIsOneTimeAndBound(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_STATE_TIMEOUT": "2m"})

	t.Run("replayed callback", func(t *testing.T) {
		b := p.NewBrowser(t)
		callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
		if r := b.Get(callback.String()); r.Location != "/identification" {
			t.Fatalf("first use: %d → %q", r.Status, r.Location)
		}
		r := b.Get(callback.String())
		refusedWith(t, b, r, http.StatusBadRequest, titleStale, "psc")
	})

	t.Run("two tabs signing in at once", func(t *testing.T) {
		b := p.NewBrowser(t)
		first := pscAuthorize(t, b, virginieIDNat, "sign-in")
		second := pscAuthorize(t, b, virginieIDNat, "sign-in")
		for _, callback := range []*url.URL{second, first} {
			if r := b.Get(callback.String()); r.Status != http.StatusSeeOther || r.Location != "/identification" {
				t.Errorf("tab: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
			}
		}
		signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
	})

	t.Run("expired state", func(t *testing.T) {
		b := p.NewBrowser(t)
		callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
		p.Clock.Advance(3 * time.Minute)
		r := b.Get(callback.String())
		refusedWith(t, b, r, http.StatusBadRequest, titleStale, "psc")
		signedOut(t, b, "expired state")
	})

	t.Run("state started in another browser", func(t *testing.T) {
		victim, attacker := p.NewBrowser(t), p.NewBrowser(t)
		callback := pscAuthorize(t, attacker, virginieIDNat, "sign-in")
		victim.Get("/")
		r := victim.Get(callback.String())
		refusedWith(t, victim, r, http.StatusBadRequest, titleStale, "psc")
		signedOut(t, victim, "foreign state")
		if !strings.Contains(p.Logs.String(), "state of another browser") {
			t.Error("the refusal is not logged")
		}
	})

	t.Run("unknown or missing state", func(t *testing.T) {
		b := p.NewBrowser(t)
		callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
		for _, state := range []string{"forged-state", ""} {
			q := callback.Query()
			q.Set("state", state)
			r := b.Get("/auth/psc/callback?" + q.Encode())
			refusedWith(t, b, r, http.StatusBadRequest, titleStale, "psc")
		}
		// The real state still works once.
		if r := b.Get(callback.String()); r.Location != "/identification" {
			t.Errorf("genuine callback after forged ones: %d → %q", r.Status, r.Location)
		}
	})

	t.Run("HIN state and code at the PSC callback", func(t *testing.T) {
		b := p.NewBrowser(t)
		hinCallback := hinAuthorize(t, b, "cmuster", "yes")
		r := b.Get("/auth/psc/callback?" + hinCallback.RawQuery)
		refusedWith(t, b, r, http.StatusBadRequest, titleStale, "psc")
		signedOut(t, b, "HIN code at the PSC callback")
	})

	t.Run("iss of another provider", func(t *testing.T) {
		b := p.NewBrowser(t)
		callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
		token := p.App.Sandbox.PSC.Stats().Token
		q := callback.Query()
		q.Set("iss", "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet")
		r := b.Get("/auth/psc/callback?" + q.Encode())
		refusedWith(t, b, r, http.StatusUnauthorized, titleRefused, "psc")
		if p.App.Sandbox.PSC.Stats().Token != token {
			t.Error("the code was sent to the token endpoint despite the iss mismatch")
		}
		// The state is spent: the genuine answer no longer works either.
		r = b.Get(callback.String())
		refusedWith(t, b, r, http.StatusBadRequest, titleStale, "psc")
		signedOut(t, b, "iss mismatch")
	})
}

func TestPSCUnavailable(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_HTTP_TIMEOUT": "1s"})
	provider := p.App.Sandbox.PSC
	for _, tc := range []struct {
		name  string
		fault pscsim.Fault
	}{
		{"token endpoint error", pscsim.TokenServerError},
		{"token endpoint garbage", pscsim.TokenGarbage},
		{"token endpoint slow", pscsim.SlowToken},
		{"userinfo error", pscsim.UserinfoServerError},
		{"userinfo garbage", pscsim.UserinfoGarbage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := p.NewBrowser(t)
			callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
			provider.Misbehave(sandbox.PSCClientID, tc.fault, false)
			defer provider.Behave()
			start := time.Now()
			r := b.Get(callback.String())
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("the callback took %v: the HTTP timeout is 1s", took)
			}
			refusedWith(t, b, r, http.StatusBadGateway, titleUnavailable, "psc")
			if !strings.Contains(b.Text("error-message"), "Pro Santé Connect ne répond pas") {
				t.Errorf("message %q", b.Text("error-message"))
			}
			signedOut(t, b, tc.name)
			// Nothing of the sign-in reaches the page.
			for _, secret := range []string{callback.Query().Get("code"), callback.Query().Get("state"), sandbox.PSCClientSecret} {
				if strings.Contains(r.Body, secret) {
					t.Error("the error page shows a code, state or secret")
				}
			}
		})
	}
}

// PSC saying at the callback that it is in trouble (RFC 6749 4.1.2.1) is
// an unavailable provider, not a refusal: the page offers to try again.
func TestPSCCallbackErrorOfAProviderInTrouble(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	for _, answer := range []string{"temporarily_unavailable", "server_error"} {
		t.Run(answer, func(t *testing.T) {
			b := p.NewBrowser(t)
			callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
			q := callback.Query()
			q.Del("code")
			q.Set("error", answer)
			r := b.Get("/auth/psc/callback?" + q.Encode())
			refusedWith(t, b, r, http.StatusBadGateway, titleUnavailable, "psc")
			signedOut(t, b, answer)
			if r := pscSignIn(t, b, virginieIDNat); r.Location != "/identification" {
				t.Errorf("retry: %d → %q", r.Status, r.Location)
			}
		})
	}
}

func TestPSCUnavailableBeforeTheFirstSignIn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault pscsim.Fault
		// atLogin: the e-CPS button fails (discovery); else the callback
		// does (the signing keys are fetched there).
		atLogin bool
	}{
		{"discovery error", pscsim.DiscoveryServerError, true},
		{"discovery garbage", pscsim.DiscoveryGarbage, true},
		{"discovery slow", pscsim.SlowDiscovery, true},
		{"signing keys error", pscsim.JWKSServerError, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := apptest.Start(t, map[string]string{"INFOPATIENT_HTTP_TIMEOUT": "1s"})
			b := p.NewBrowser(t)
			p.App.Sandbox.PSC.Misbehave("", tc.fault, false)
			var r *apptest.Response
			if tc.atLogin {
				r = b.Get("/auth/psc/login")
			} else {
				r = pscSignIn(t, b, virginieIDNat)
			}
			refusedWith(t, b, r, http.StatusBadGateway, titleUnavailable, "psc")
			signedOut(t, b, tc.name)
			// The fault is gone: the retry button works.
			if r := pscSignIn(t, b, virginieIDNat); r.Location != "/identification" {
				t.Errorf("retry: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
			}
		})
	}
}

// No code, token, state or secret of a sign-in ever reaches the logs,
// whether the sign-in works, is refused or fails.
func TestPSCKeepsSecretsOutOfTheLogs(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_HTTP_TIMEOUT": "1s"})
	provider := p.App.Sandbox.PSC
	var secrets []string
	remember := func(u *url.URL) {
		secrets = append(secrets, u.Query().Get("code"), u.Query().Get("state"))
	}
	b := p.NewBrowser(t)
	callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
	remember(callback)
	b.Follow(b.Get(callback.String()))
	logout := b.Post("/logout", nil)
	endSession, _ := url.Parse(logout.Location)
	secrets = append(secrets, endSession.Query().Get("id_token_hint"), endSession.Query().Get("state"))
	b.Follow(logout)
	for _, f := range []pscsim.Fault{pscsim.BadSignature, pscsim.WrongNonce, pscsim.TokenServerError, pscsim.TokenGarbage, pscsim.UserinfoGarbage} {
		b := p.NewBrowser(t)
		callback := pscAuthorize(t, b, virginieIDNat, "sign-in")
		remember(callback)
		provider.Misbehave(sandbox.PSCClientID, f, false)
		b.Get(callback.String())
	}
	logs := p.Logs.String()
	if !strings.Contains(logs, `msg="sign-in refused" method=psc outcome=unavailable`) {
		t.Fatalf("the failures were not logged:\n%s", logs)
	}
	noSecretsLogged(t, logs, append(secrets, sandbox.PSCClientSecret))
}

// noSecretsLogged fails when logs contain one of secrets — codes, states,
// tokens, client secrets — or when one of them is empty (nothing to look
// for).
func noSecretsLogged(t *testing.T, logs string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			t.Fatal("a secret to look for is empty")
		}
		if strings.Contains(logs, s) {
			t.Errorf("the logs contain a code, state, token or secret (%.8s…)", s)
		}
	}
}

func TestPSCBackchannelLogoutRefusesBadTokens(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	provider := p.App.Sandbox.PSC
	b := p.NewBrowser(t)
	b.Follow(pscSignIn(t, b, virginieIDNat))
	sid := provider.Sessions()[0]
	now := p.Clock.Now().Unix()
	event := map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}}
	good := func() map[string]any {
		return map[string]any{"iss": provider.Issuer(), "aud": sandbox.PSCClientID, "iat": now, "exp": now + 300, "jti": "j1", "sid": sid, "events": event}
	}
	for _, tc := range []struct {
		name   string
		change func(map[string]any)
	}{
		{"another issuer", func(c map[string]any) { c["iss"] = "https://auth.esw.esante.gouv.fr/auth/realms/other" }},
		{"another audience", func(c map[string]any) { c["aud"] = "another-client" }},
		{"no iat", func(c map[string]any) { delete(c, "iat") }},
		{"no event", func(c map[string]any) { delete(c, "events") }},
		{"a nonce", func(c map[string]any) { c["nonce"] = "n" }},
		{"neither sid nor sub", func(c map[string]any) { delete(c, "sid") }},
	} {
		claims := good()
		tc.change(claims)
		token, err := provider.Sign(claims)
		if err != nil {
			t.Fatal(err)
		}
		if status := postLogoutToken(t, p, token); status != http.StatusBadRequest {
			t.Errorf("%s: %d", tc.name, status)
		}
	}
	token, _ := provider.Sign(good())
	if status := postLogoutToken(t, p, token[:len(token)-4]+"AAAA"); status != http.StatusBadRequest {
		t.Errorf("bad signature: %d", status)
	}
	signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
	// The well-formed token ends the session.
	if status := postLogoutToken(t, p, token); status != http.StatusOK {
		t.Fatalf("good token: %d", status)
	}
	signedOut(t, b, "after a back-channel logout")
}

// postLogoutToken posts a logout token as PSC's server would.
func postLogoutToken(t *testing.T, p *apptest.Portal, token string) int {
	t.Helper()
	resp, err := http.PostForm(p.URL+"/auth/psc/backchannel-logout", url.Values{"logout_token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("back-channel answer Cache-Control %q", cc)
	}
	return resp.StatusCode
}

// A shared computer: a second professional signing in on a browser where
// the first did not sign out sees nothing of the first's sign-in.
func TestNextSignInForgetsThePreviousProfessional(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	for _, next := range []struct {
		name   string
		signIn func(b *apptest.Browser)
		method string
	}{
		{"with HIN", func(b *apptest.Browser) { b.Follow(hinSignIn(t, b, "cmuster")) }, "HIN e-ID"},
		{"with a password", func(b *apptest.Browser) {
			b.Get("/identification")
			b.Follow(b.Post("/login", url.Values{"login": {claudia}, "password": {demo.Password}}))
		}, "mot de passe"},
	} {
		t.Run(next.name, func(t *testing.T) {
			b := p.NewBrowser(t)
			b.Follow(pscSignIn(t, b, virginieIDNat))
			first := b.Cookie("infopatient_session").Value
			next.signIn(b)
			// VIRGINIE MEDECIN's ID token and claims went with her session.
			if _, err := p.App.Store.ProviderSession(t.Context(), first, p.Clock.Now()); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the previous professional's record after the next sign-in: %v", err)
			}
			if got := b.Text("professional-name"); got != "CLAUDIA MUSTER" {
				t.Fatalf("header %q", got)
			}
			b.Get("/mes-informations")
			if b.Has("profile-psc") || b.Has("claims") || strings.Contains(b.Page.Text(), virginieIDNat) {
				t.Error("CLAUDIA MUSTER's profile shows VIRGINIE MEDECIN's Pro Santé Connect claims")
			}
			if !strings.Contains(b.Text("profile-method"), next.method) {
				t.Errorf("method %q", b.Text("profile-method"))
			}
			// Her logout does not end VIRGINIE MEDECIN's e-CPS session.
			if r := b.Post("/logout", nil); r.Location != "/?bye=1" {
				t.Errorf("logout leads to %q", r.Location)
			}
		})
	}
	// And the other way: after HIN, a PSC sign-in shows no HIN ID.
	b := p.NewBrowser(t)
	b.Follow(hinSignIn(t, b, "cmuster"))
	b.Follow(pscSignIn(t, b, virginieIDNat))
	b.Get("/mes-informations")
	if b.Has("profile-hin-id") {
		t.Errorf("VIRGINIE MEDECIN's profile shows HIN ID %q", b.Text("profile-hin-id"))
	}
}

// Demo mode with a real provider configured: the e-CPS button goes to that
// provider, whose userinfo answers a signed JWT (verified, its claims
// shown), while the sandbox's own Pro Santé Connect is never asked.
func TestPSCConfiguredProviderWithSignedUserinfo(t *testing.T) {
	t.Parallel()
	var sim atomic.Pointer[pscsim.Provider]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := sim.Load(); p != nil {
			p.ServeHTTP(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	issuer := srv.URL + "/auth/realms/esante-wallet"
	p := apptest.Start(t, map[string]string{
		"INFOPATIENT_PSC_ISSUER": issuer, "INFOPATIENT_PSC_CLIENT_ID": "infopatient-real", "INFOPATIENT_PSC_CLIENT_SECRET": "real-secret",
	})
	pros, err := pscsim.LoadProfessionals(data.Files, "sandbox/psc-professionals.json")
	if err != nil {
		t.Fatal(err)
	}
	provider, err := pscsim.New(pscsim.Config{Issuer: issuer, Professionals: pros, Clients: []pscsim.Client{{
		ID: "infopatient-real", Secret: "real-secret", UserinfoAsJWT: true,
		RedirectURIs: []string{p.URL + "/auth/psc/callback"}, PostLogoutRedirectURIs: []string{p.URL + "/auth/psc/logout-callback"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	sim.Store(provider)

	b := p.NewBrowser(t)
	if r := b.Get("/auth/psc/login"); !strings.HasPrefix(r.Location, issuer+"/") {
		t.Fatalf("the e-CPS button leads to %q, want the configured provider", r.Location)
	}
	r := pscSignIn(t, b, virginieIDNat)
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("callback: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
	}
	signedInAs(t, b, "VIRGINIE MEDECIN RPPS 99700218896")
	b.Get("/mes-informations")
	claims := map[string]string{}
	b.Page.Find(`[data-testid="claim"]`).Each(func(_ int, row *goquery.Selection) {
		cells := row.Find("td")
		claims[strings.TrimSpace(cells.Eq(0).Text())+"/"+strings.TrimSpace(cells.Eq(1).Text())] = strings.TrimSpace(cells.Eq(2).Text())
	})
	// iss and aud are claims of the signed userinfo only.
	if claims["userinfo/iss"] != issuer || claims["userinfo/aud"] != "infopatient-real" || claims["userinfo/SubjectNameID"] != virginieIDNat {
		t.Errorf("userinfo claims iss %q aud %q SubjectNameID %q", claims["userinfo/iss"], claims["userinfo/aud"], claims["userinfo/SubjectNameID"])
	}
	if st := provider.Stats(); st.Userinfo != 1 || st.Token != 1 {
		t.Errorf("configured provider stats %+v", st)
	}
	if st := p.App.Sandbox.PSC.Stats(); st != (pscsim.Stats{}) {
		t.Errorf("the sandbox's PSC was asked: %+v", st)
	}
	// HIN stays on the sandbox.
	if r := b.Get("/auth/hin/login"); !strings.HasPrefix(r.Location, p.URL+"/sandbox/hin/") {
		t.Errorf("HIN sign-in leads to %q", r.Location)
	}

	// A signed userinfo whose signature fails is refused.
	provider.Misbehave("infopatient-real", pscsim.UserinfoBadSignature, true)
	b2 := p.NewBrowser(t)
	refusedWith(t, b2, pscSignIn(t, b2, virginieIDNat), http.StatusUnauthorized, titleRefused, "psc")
}

// What a PSC sign-in said that only the logout and "Mes informations"
// need — the ID token and the claims — is kept with the record of its
// provider session, not in the session every request decodes; the ID
// token is sealed there.
func TestPSCSignInKeepsTheIDTokenAndClaimsOutOfTheSession(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(pscSignIn(t, b, virginieIDNat))
	token := b.Cookie("infopatient_session").Value
	data, found, err := p.App.Store.SessionStore().Find(token)
	if err != nil || !found {
		t.Fatalf("session row: found %v, %v", found, err)
	}
	var session struct {
		Values map[string]string `json:"v"`
	}
	if err := json.Unmarshal(data, &session); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"psc_id_token", "psc_profile"} {
		if _, ok := session.Values[key]; ok {
			t.Errorf("the session keeps %s", key)
		}
	}
	for _, claim := range []string{"SubjectNameID", "otherIds", "nonce", "eyJ"} {
		if bytes.Contains(data, []byte(claim)) {
			t.Errorf("the session holds %q: %s", claim, data)
		}
	}
	rec, err := p.App.Store.ProviderSession(t.Context(), token, p.Clock.Now())
	if err != nil {
		t.Fatalf("provider session record: %v", err)
	}
	if !strings.Contains(rec.Claims, "SubjectNameID") || !strings.Contains(rec.Claims, virginieIDNat) {
		t.Errorf("the record's claims %q", rec.Claims)
	}
	if len(rec.IDToken) == 0 || bytes.Contains(rec.IDToken, []byte("eyJ")) {
		t.Errorf("the record's ID token is missing or unsealed: %q", rec.IDToken)
	}

	// Mes informations reads the claims there.
	b.Get("/mes-informations")
	if got := b.Text("profile-psc-name"); !strings.Contains(got, "VIRGINIE MEDECIN") || b.Page.Find(`[data-testid="claim"]`).Length() == 0 {
		t.Errorf("profile: name %q, %d claims", got, b.Page.Find(`[data-testid="claim"]`).Length())
	}

	// The logout reads the ID token there, then forgets the record.
	r := b.Post("/logout", nil)
	end, err := url.Parse(r.Location)
	hint := end.Query().Get("id_token_hint")
	if err != nil || !strings.HasPrefix(hint, "eyJ") {
		t.Fatalf("logout: %d → %q", r.Status, r.Location)
	}
	if bytes.Contains(rec.IDToken, []byte(hint)) {
		t.Error("the record keeps the ID token in the clear")
	}
	if _, err := p.App.Store.ProviderSession(t.Context(), token, p.Clock.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the record after logout: %v", err)
	}
	if strings.Contains(p.Logs.String(), hint) {
		t.Error("the ID token was logged")
	}
}

// A session signed in before the records held the ID token kept it in
// the session: its logout still sends it as the hint.
func TestPSCLogoutOfASessionSignedInBeforeTheRecordsHeldTheIDToken(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(pscSignIn(t, b, virginieIDNat))
	token := b.Cookie("infopatient_session").Value
	ctx := t.Context()
	rec, err := p.App.Store.ProviderSession(ctx, token, p.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	rec.IDToken, rec.Claims = nil, ""
	if err := p.App.Store.RecordProviderSession(ctx, rec); err != nil {
		t.Fatal(err)
	}
	ss := p.App.Store.SessionStore()
	data, _, err := ss.Find(token)
	if err != nil {
		t.Fatal(err)
	}
	var session map[string]any
	if err := json.Unmarshal(data, &session); err != nil {
		t.Fatal(err)
	}
	session["v"].(map[string]any)["psc_id_token"] = "legacy-id-token"
	data, _ = json.Marshal(session)
	if err := ss.Commit(token, data, p.Clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	r := b.Post("/logout", nil)
	if end, err := url.Parse(r.Location); err != nil || end.Query().Get("id_token_hint") != "legacy-id-token" {
		t.Errorf("logout: %d → %q", r.Status, r.Location)
	}
}
