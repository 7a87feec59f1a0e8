package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/passkey/passkeytest"
	"github.com/infopatient/infopatient/internal/store"
)

// passkeyBrowser is a browser with a software authenticator: the test
// plays passkey.js, posting options requests and the authenticator's
// answers as the script does.
type passkeyBrowser struct {
	t    *testing.T
	p    *apptest.Portal
	b    *apptest.Browser
	auth *passkeytest.Authenticator
}

func newPasskeyBrowser(t *testing.T, p *apptest.Portal, auth *passkeytest.Authenticator) *passkeyBrowser {
	if auth == nil {
		auth = passkeytest.New(passkeyOrigin(p))
	}
	return &passkeyBrowser{t: t, p: p, b: p.NewBrowser(t), auth: auth}
}

// options posts to an options endpoint with the last page's CSRF token.
func (pb *passkeyBrowser) options(path string, form url.Values) []byte {
	pb.t.Helper()
	r := pb.b.Post(path, form)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		pb.t.Fatalf("options %s: %d %s", path, r.Status, r.Body)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		pb.t.Errorf("options %s cached: %q", path, cc)
	}
	// As the script does: a ceremony that started the session hands the
	// page the session's CSRF token, for every form.
	if tok := r.Header.Get("X-CSRF-Token"); tok != "" && pb.b.Page != nil {
		pb.b.Page.Find(`input[name="_csrf"]`).SetAttr("value", tok)
	}
	return []byte(r.Body)
}

// register adds a passkey named name on the security page (signed in).
func (pb *passkeyBrowser) register(name string) *apptest.Response {
	pb.t.Helper()
	pb.b.Get("/compte/securite")
	opts := pb.options("/compte/securite/cles/options", url.Values{"name": {name}})
	cred, err := pb.auth.Create(opts)
	if err != nil {
		pb.t.Fatal(err)
	}
	return pb.b.Post("/compte/securite/cles", url.Values{"name": {name}, "credential": {string(cred)}})
}

// assertion gets options from optionsPath (on the page at pagePath) and
// the authenticator's answer to them.
func (pb *passkeyBrowser) assertion(pagePath, optionsPath string) string {
	pb.t.Helper()
	pb.b.Get(pagePath)
	cred, err := pb.auth.Get(pb.options(optionsPath, nil))
	if err != nil {
		pb.t.Fatal(err)
	}
	return string(cred)
}

// signIn signs in with a passkey alone from the login page.
func (pb *passkeyBrowser) signIn() *apptest.Response {
	pb.t.Helper()
	cred := pb.assertion("/", "/auth/passkey/options")
	return pb.b.Post("/auth/passkey", url.Values{"credential": {cred}})
}

// passkeyOrigin is where the test portal's passkeys work: its loopback
// address is localhost to WebAuthn (browsers refuse IP addresses).
func passkeyOrigin(p *apptest.Portal) string {
	return strings.Replace(p.URL, "127.0.0.1", "localhost", 1)
}

func accountOf(t *testing.T, p *apptest.Portal, login string) store.Account {
	t.Helper()
	a, err := p.App.Store.AccountByLogin(t.Context(), login)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestPasskeyRegisteredThenSignsInAlone(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	pb := newPasskeyBrowser(t, p, nil)
	pb.b.SignIn(virginie, demo.Password)
	pb.b.Get("/compte/securite")
	if !pb.b.Has("passkeys-empty") || !pb.b.Has("passkey-register") || !pb.b.Has("passkey-demo") {
		t.Fatalf("security page before any passkey: %q", pb.b.Text("main"))
	}
	if r := pb.register("Téléphone de Virginie"); r.Status != http.StatusSeeOther || r.Location != "/compte/securite?ok=added" {
		t.Fatalf("registration: %d → %q %q", r.Status, r.Location, pb.b.Text("passkey-error"))
	}
	pb.b.Get("/compte/securite?ok=added")
	if cur, _ := pb.b.Page.Find(`nav.main-nav a[aria-current="page"]`).Attr("href"); cur != "/compte/securite" {
		t.Errorf("the navigation marks %q", cur)
	}
	if pb.b.Text("passkey-name") != "Téléphone de Virginie" || pb.b.Text("passkey-last-used") != "jamais" ||
		pb.b.Text("passkey-notice") != "La clé d'accès est enregistrée." {
		t.Errorf("security page: %q %q %q", pb.b.Text("passkey-name"), pb.b.Text("passkey-last-used"), pb.b.Text("passkey-notice"))
	}
	// The user handle is random, never the login.
	if c := pb.auth.Credentials()[0]; strings.Contains(string(c.UserHandle), virginie) || c.RPID != "localhost" {
		t.Errorf("credential: handle %q, rp %q", c.UserHandle, c.RPID)
	}

	// Another browser, the same authenticator (a synced passkey).
	other := newPasskeyBrowser(t, p, pb.auth)
	other.b.Get("/")
	if !other.b.Has("login-passkey") {
		t.Fatal("the login page has no passkey button")
	}
	if ac, _ := other.b.Page.Find("#login").Attr("autocomplete"); ac != "username webauthn" {
		t.Errorf("login field autocomplete %q: no conditional UI", ac)
	}
	// The script comes from the static files, as JavaScript.
	src, _ := other.b.Page.Find("script").Attr("src")
	if js := other.b.Get(src); js.Status != http.StatusOK || !strings.Contains(js.Header.Get("Content-Type"), "javascript") ||
		!strings.Contains(js.Body, "navigator.credentials") {
		t.Errorf("passkey script %q: %d %q", src, js.Status, js.Header.Get("Content-Type"))
	}
	other.b.Get("/")
	r := other.signIn()
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("passkey sign-in: %d → %q %q", r.Status, r.Location, other.b.Text("login-error"))
	}
	other.b.Follow(r)
	if got := other.b.Text("professional"); got != "VIRGINIE MEDECIN RPPS 99700218896" {
		t.Errorf("header %q", got)
	}
	other.b.Get("/compte/securite")
	if got := other.b.Text("passkey-last-used"); got == "jamais" || got == "" {
		t.Errorf("last used %q after a sign-in", got)
	}
	// Historique shows the registration and the use.
	other.b.Get("/historique")
	events := other.b.Page.Find(`[data-testid="security-event-kind"]`)
	if events.Length() != 2 || events.Eq(0).Text() != "Connexion avec une clé d'accès" || events.Eq(1).Text() != "Clé d'accès ajoutée" {
		t.Errorf("Historique: %q", other.b.Text("security-events"))
	}
	if strings.Contains(p.Logs.String(), string(pb.auth.Credentials()[0].UserHandle)) {
		t.Error("the user handle reached the log")
	}
}

func TestPasskeySignInRefusals(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	owner := newPasskeyBrowser(t, p, nil)
	owner.b.SignIn(virginie, demo.Password)
	if r := owner.register("Portable"); r.Status != http.StatusSeeOther {
		t.Fatalf("registration: %d", r.Status)
	}

	t.Run("wrong origin", func(t *testing.T) {
		pb := newPasskeyBrowser(t, p, owner.auth)
		pb.auth.Origin = "http://portail.evil.example"
		defer func() { pb.auth.Origin = passkeyOrigin(p) }()
		r := pb.signIn()
		if r.Status != http.StatusUnauthorized || pb.b.Text("login-error") != "Cette clé d'accès n'a pas été acceptée par le portail." {
			t.Errorf("%d %q", r.Status, pb.b.Text("login-error"))
		}
		if pb.b.Get("/identification").Status != http.StatusSeeOther {
			t.Error("signed in from another origin")
		}
	})
	t.Run("replayed challenge", func(t *testing.T) {
		pb := newPasskeyBrowser(t, p, owner.auth)
		cred := pb.assertion("/", "/auth/passkey/options")
		if r := pb.b.Post("/auth/passkey", url.Values{"credential": {cred}}); r.Status != http.StatusSeeOther {
			t.Fatalf("first use: %d %q", r.Status, pb.b.Text("login-error"))
		}
		// The same answer again, in another browser and in the same one.
		thief := newPasskeyBrowser(t, p, nil)
		thief.b.Get("/")
		if r := thief.b.Post("/auth/passkey", url.Values{"credential": {cred}}); r.Status != http.StatusBadRequest ||
			thief.b.Text("login-error") != "La demande a expiré ou a déjà servi. Réessayez." {
			t.Errorf("replayed elsewhere: %d %q", r.Status, thief.b.Text("login-error"))
		}
		pb.b.Get("/identification") // signed in now: a page with the session's token
		if r := pb.b.Post("/auth/passkey", url.Values{"credential": {cred}}); r.Status != http.StatusBadRequest {
			t.Errorf("replayed in the same browser: %d %q", r.Status, pb.b.Text("login-error"))
		}
	})
	t.Run("challenge of another ceremony", func(t *testing.T) {
		// A registration's challenge, signed by a registered passkey, does
		// not sign in: a ceremony serves only what it was begun for.
		pb := newPasskeyBrowser(t, p, owner.auth)
		pb.b.SignIn(virginie, demo.Password)
		pb.b.Get("/compte/securite")
		var o struct{ PublicKey struct{ Challenge string } }
		_ = jsonUnmarshal(pb.options("/compte/securite/cles/options", nil), &o)
		cred, _ := pb.auth.Assert(pb.auth.Credentials()[0], o.PublicKey.Challenge)
		if r := pb.b.Post("/auth/passkey", url.Values{"credential": {string(cred)}}); r.Status != http.StatusBadRequest {
			t.Errorf("registration challenge used to sign in: %d", r.Status)
		}
	})
	t.Run("unknown credential", func(t *testing.T) {
		// A passkey of the same host registered with another portal.
		elsewhere := apptest.Start(t, nil)
		stranger := newPasskeyBrowser(t, elsewhere, nil)
		stranger.b.SignIn(virginie, demo.Password)
		stranger.register("Ailleurs")
		pb := newPasskeyBrowser(t, p, stranger.auth)
		pb.auth.Origin = passkeyOrigin(p)
		r := pb.signIn()
		if r.Status != http.StatusUnauthorized || !strings.Contains(pb.b.Text("login-error"), "n'est enregistrée pour aucun compte") {
			t.Errorf("%d %q", r.Status, pb.b.Text("login-error"))
		}
	})
	t.Run("malformed answer", func(t *testing.T) {
		pb := newPasskeyBrowser(t, p, nil)
		pb.b.Get("/")
		pb.options("/auth/passkey/options", nil)
		r := pb.b.Post("/auth/passkey", url.Values{"credential": {`{"id":"x"`}})
		if r.Status != http.StatusBadRequest || pb.b.Text("login-error") == "" || strings.Contains(r.Body, "goroutine") {
			t.Errorf("%d %q", r.Status, pb.b.Text("login-error"))
		}
	})
	t.Run("counter going backwards", func(t *testing.T) {
		pb := newPasskeyBrowser(t, p, owner.auth)
		if r := pb.signIn(); r.Status != http.StatusSeeOther {
			t.Fatalf("sign-in: %d", r.Status)
		}
		// A copy of the key, behind the original by a few uses.
		pb.auth.Credentials()[0].Counter -= 2
		clone := newPasskeyBrowser(t, p, pb.auth)
		r := clone.signIn()
		if r.Status != http.StatusUnauthorized || !strings.Contains(clone.b.Text("login-error"), "copiée") {
			t.Errorf("%d %q", r.Status, clone.b.Text("login-error"))
		}
		if !strings.Contains(p.Logs.String(), "sign count went backwards") {
			t.Error("the refusal is not logged")
		}
	})
	t.Run("removed credential", func(t *testing.T) {
		pb := newPasskeyBrowser(t, p, nil)
		pb.b.SignIn(isabelle, demo.Password)
		pb.register("Clé USB")
		pb.b.Get("/compte/securite")
		action, _ := pb.b.Page.Find(`[data-testid="passkey-row"] form`).Attr("action")
		if r := pb.b.Post(action, nil); r.Status != http.StatusSeeOther || r.Location != "/compte/securite?ok=removed" {
			t.Fatalf("removal: %d %q", r.Status, r.Location)
		}
		if pb.b.Get("/compte/securite"); !pb.b.Has("passkeys-empty") {
			t.Error("the removed passkey is still listed")
		}
		again := newPasskeyBrowser(t, p, pb.auth)
		r := again.signIn()
		if r.Status != http.StatusUnauthorized || !strings.Contains(again.b.Text("login-error"), "supprimée") {
			t.Errorf("%d %q", r.Status, again.b.Text("login-error"))
		}
		// Removing it again, or another account's: not found.
		if r := pb.b.Post(action, nil); r.Status != http.StatusNotFound {
			t.Errorf("removed twice: %d", r.Status)
		}
		owner.b.Get("/compte/securite")
		virginiesAction, _ := owner.b.Page.Find(`[data-testid="passkey-row"] form`).Attr("action")
		pb.b.Get("/compte/securite")
		if r := pb.b.Post(virginiesAction, nil); r.Status != http.StatusNotFound {
			t.Errorf("another account's passkey removed: %d", r.Status)
		}
		events, _ := p.App.Store.RecentSecurityEvents(t.Context(), accountOf(t, p, isabelle).ID, 10)
		if len(events) != 2 || events[0].Kind != store.EventPasskeyRemoved || events[0].Detail != "Clé USB" {
			t.Errorf("trail: %+v", events)
		}
	})
}

func TestPasskeyRequestsNeedTheCSRFToken(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Get("/")
	for _, path := range []string{"/auth/passkey/options", "/auth/passkey", "/auth/passkey/second/options", "/auth/link/passkey/options"} {
		if r := b.PostRaw(path, url.Values{}); r.Status != http.StatusForbidden {
			t.Errorf("%s without token: %d", path, r.Status)
		}
	}
}

func TestPasswordThenPasskeySecondStep(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_LOCAL_SIGNIN": "password+passkey"})
	pb := newPasskeyBrowser(t, p, nil)

	// No passkey yet: the password leads to the security page, and nothing
	// else opens until one is registered.
	pb.b.Get("/")
	r := pb.b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}})
	if r.Status != http.StatusSeeOther || r.Location != "/compte/securite" {
		t.Fatalf("password without a passkey: %d → %q", r.Status, r.Location)
	}
	for _, path := range []string{"/identification", "/historique", "/mes-informations"} {
		if r := pb.b.Get(path); r.Status != http.StatusSeeOther || r.Location != "/compte/securite" {
			t.Errorf("%s before registering: %d → %q", path, r.Status, r.Location)
		}
	}
	pb.b.Get("/compte/securite")
	if !pb.b.Has("passkey-required") {
		t.Error("the page does not say a passkey is required")
	}
	if r := pb.register("Ordinateur du cabinet"); r.Status != http.StatusSeeOther {
		t.Fatalf("registration: %d %q", r.Status, pb.b.Text("passkey-error"))
	}
	if r := pb.b.Get("/identification"); r.Status != http.StatusOK {
		t.Errorf("identification after registering: %d", r.Status)
	}
	// The only passkey of an account that needs one cannot be removed.
	pb.b.Get("/compte/securite")
	if pb.b.Has("passkey-remove") || !pb.b.Has("passkey-keep-last") {
		t.Error("the last passkey can be removed")
	}

	// Next time: the password, then the passkey.
	other := newPasskeyBrowser(t, p, pb.auth)
	other.b.Get("/?return=%2Fhistorique")
	r = other.b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}, "return": {"/historique"}})
	if r.Status != http.StatusSeeOther || r.Location != "/auth/passkey/second" {
		t.Fatalf("password with a passkey: %d → %q", r.Status, r.Location)
	}
	if r := other.b.Get("/identification"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/?") {
		t.Errorf("signed in by the password alone: %d → %q", r.Status, r.Location)
	}
	// Another account's passkey does not finish virginie's sign-in.
	intruder := newPasskeyBrowser(t, p, nil)
	intruder.b.SignIn(isabelle, demo.Password)
	intruder.register("Isabelle")
	other.b.Get("/auth/passkey/second")
	opts := other.options("/auth/passkey/second/options", nil)
	if !strings.Contains(string(opts), "allowCredentials") {
		t.Errorf("second step options name no credential: %s", opts)
	}
	var challenge struct {
		PublicKey struct{ Challenge string }
	}
	_ = jsonUnmarshal(opts, &challenge)
	wrong, _ := intruder.auth.Assert(intruder.auth.Credentials()[0], challenge.PublicKey.Challenge)
	if r := other.b.Post("/auth/passkey/second", url.Values{"credential": {string(wrong)}}); r.Status != http.StatusUnauthorized ||
		!other.b.Has("passkey-error") {
		t.Errorf("another account's passkey: %d %q", r.Status, other.b.Text("passkey-error"))
	}
	cred := other.assertion("/auth/passkey/second", "/auth/passkey/second/options")
	r = other.b.Post("/auth/passkey/second", url.Values{"credential": {cred}})
	if r.Status != http.StatusSeeOther || r.Location != "/historique" {
		t.Fatalf("second step: %d → %q %q", r.Status, r.Location, other.b.Text("passkey-error"))
	}
	if got := other.b.Follow(r); got.Status != http.StatusOK || other.b.Text("professional") != "VIRGINIE MEDECIN RPPS 99700218896" {
		t.Errorf("after the second step: %d %q", got.Status, other.b.Text("professional"))
	}

	// The second step expires with its challenge.
	late := newPasskeyBrowser(t, p, pb.auth)
	late.b.Get("/")
	late.b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}})
	cred = late.assertion("/auth/passkey/second", "/auth/passkey/second/options")
	p.Clock.Advance(6 * 60e9)
	if r := late.b.Post("/auth/passkey/second", url.Values{"credential": {cred}}); r.Status != http.StatusBadRequest {
		t.Errorf("an expired second step: %d", r.Status)
	}
	// Cancelled: back to the login page, nothing pending.
	cancel := newPasskeyBrowser(t, p, pb.auth)
	cancel.b.Get("/")
	cancel.b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}})
	cancel.b.Get("/auth/passkey/second")
	if r := cancel.b.Post("/auth/passkey/second/cancel", nil); r.Status != http.StatusSeeOther || r.Location != "/" {
		t.Errorf("cancel: %d → %q", r.Status, r.Location)
	}
	if r := cancel.b.Get("/auth/passkey/second"); r.Status != http.StatusSeeOther {
		t.Errorf("second step after cancel: %d", r.Status)
	}
}

func TestPolicyPasskeyRefusesThePasswordAlone(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_LOCAL_SIGNIN": "passkey"})
	pb := newPasskeyBrowser(t, p, nil)
	pb.b.Get("/")
	// Without a passkey, the password only opens the registration.
	r := pb.b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}})
	if r.Status != http.StatusSeeOther || r.Location != "/compte/securite" {
		t.Fatalf("first password sign-in: %d → %q", r.Status, r.Location)
	}
	pb.register("Téléphone")
	pb.b.Get("/")
	pb.b.Post("/logout", nil)

	again := newPasskeyBrowser(t, p, pb.auth)
	again.b.Get("/")
	r = again.b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}})
	if r.Status != http.StatusUnauthorized || again.b.Text("login-error") != "Ce compte se connecte avec une clé d'accès : le mot de passe seul ne suffit pas." {
		t.Fatalf("password alone: %d %q", r.Status, again.b.Text("login-error"))
	}
	// In German too.
	again.b.Get("/?lang=de")
	again.b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}})
	if got := again.b.Text("login-error"); !strings.Contains(got, "Passwort allein genügt nicht") {
		t.Errorf("German refusal %q", got)
	}
	if r := again.signIn(); r.Status != http.StatusSeeOther {
		t.Errorf("passkey alone: %d %q", r.Status, again.b.Text("login-error"))
	}
}

func TestRequirePasskeyForOneAccount(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	if err := p.App.Store.SetPasskeyRequired(t.Context(), accountOf(t, p, virginie).ID, true); err != nil {
		t.Fatal(err)
	}
	b := p.NewBrowser(t)
	b.Get("/")
	if r := b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}}); r.Location != "/compte/securite" {
		t.Errorf("account required to use a passkey: → %q", r.Location)
	}
	// Another account keeps the portal's policy (password).
	o := p.NewBrowser(t)
	o.Get("/")
	if r := o.Post("/login", url.Values{"login": {isabelle}, "password": {demo.Password}}); r.Location != "/identification" {
		t.Errorf("another account: → %q", r.Location)
	}
}

func TestLinkAPSCIdentityWithAPasskey(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_LOCAL_SIGNIN": "password+passkey"})
	owner := newPasskeyBrowser(t, p, nil)
	owner.b.SignIn(isabelle, demo.Password)
	owner.register("Téléphone d'Isabelle")

	pb := newPasskeyBrowser(t, p, owner.auth)
	r := pscSignIn(t, pb.b, isabelleIDNat)
	if r.Location != "/auth/link" {
		t.Fatalf("unlinked identity: → %q", r.Location)
	}
	pb.b.Follow(r)
	if !pb.b.Has("link-passkey") {
		t.Fatal("the linking page offers no passkey")
	}
	// The password of an account that uses a passkey does not link.
	if r := pb.b.Post("/auth/link", url.Values{"login": {isabelle}, "password": {demo.Password}}); r.Status != http.StatusUnauthorized ||
		!strings.Contains(pb.b.Text("link-error"), "clé d'accès") {
		t.Errorf("password: %d %q", r.Status, pb.b.Text("link-error"))
	}
	cred := pb.assertion("/auth/link", "/auth/link/passkey/options")
	r = pb.b.Post("/auth/link/passkey", url.Values{"credential": {cred}})
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("link with a passkey: %d → %q %q", r.Status, r.Location, pb.b.Text("link-error"))
	}
	pb.b.Follow(r)
	if got := pb.b.Text("identify-notice"); got != "Votre identité Pro Santé Connect est maintenant associée à votre compte." {
		t.Errorf("notice %q", got)
	}
	if acct, err := p.App.Store.AccountByIdentity(t.Context(), "psc", isabelleIDNat); err != nil || acct.Login != isabelle {
		t.Errorf("linked to %+v %v", acct, err)
	}
	// A PSC session has no passkeys of its own to manage.
	pb.b.Get("/compte/securite")
	if !pb.b.Has("passkey-local-only") {
		t.Error("a PSC session is offered passkeys")
	}
	if r := pb.b.Post("/compte/securite/cles/options", nil); r.Status != http.StatusForbidden {
		t.Errorf("registration from a PSC session: %d", r.Status)
	}
	// No pending identity: the linking options are refused.
	if r := pb.b.Post("/auth/link/passkey/options", nil); r.Status != http.StatusBadRequest {
		t.Errorf("link options without an identity: %d", r.Status)
	}
}

func TestPasskeyNameChecked(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	pb := newPasskeyBrowser(t, p, nil)
	pb.b.SignIn(virginie, demo.Password)
	pb.b.Get("/compte/securite")
	long := strings.Repeat("é", 65)
	if r := pb.b.Post("/compte/securite/cles/options", url.Values{"name": {long}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("long name options: %d", r.Status)
	}
	opts := pb.options("/compte/securite/cles/options", url.Values{"name": {"ok"}})
	cred, _ := pb.auth.Create(opts)
	r := pb.b.Post("/compte/securite/cles", url.Values{"name": {long}, "credential": {string(cred)}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(pb.b.Text("passkey-error"), "64") {
		t.Errorf("long name: %d %q", r.Status, pb.b.Text("passkey-error"))
	}
	// An empty name gets the default one.
	if r := pb.register("  "); r.Status != http.StatusSeeOther {
		t.Fatalf("empty name: %d", r.Status)
	}
	pb.b.Get("/compte/securite")
	if got := pb.b.Text("passkey-name"); got != "Clé d'accès" {
		t.Errorf("default name %q", got)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// The login page's autofill begins a ceremony as the page loads, which
// starts the session the CSRF tokens are bound to: the answer carries the
// new token, and the password form, given it as the script does, still
// signs in.
func TestPasswordFormAfterTheAutofillCeremony(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	pb := newPasskeyBrowser(t, p, nil)
	pb.b.Get("/")
	stale, _ := pb.b.Page.Find(`form[data-testid="login-form"] input[name="_csrf"]`).Attr("value")
	r := pb.b.Post("/auth/passkey/options", nil)
	fresh := r.Header.Get("X-CSRF-Token")
	if r.Status != http.StatusOK || fresh == "" || fresh == stale {
		t.Fatalf("options starting the session: %d, token %q", r.Status, fresh)
	}
	if r := pb.b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}, "_csrf": {stale}}); r.Status != http.StatusForbidden {
		t.Errorf("the page's first token still works: %d", r.Status)
	}
	if r := pb.b.Post("/login", url.Values{"login": {virginie}, "password": {demo.Password}, "_csrf": {fresh}}); r.Status != http.StatusSeeOther {
		t.Errorf("the password form with the new token: %d", r.Status)
	}
	// A session already there: the token stays, no header.
	pb.b.Get("/compte/securite")
	if r := pb.b.Post("/compte/securite/cles/options", nil); r.Status != http.StatusOK || r.Header.Get("X-CSRF-Token") != "" {
		t.Errorf("options in a session: %d, token %q", r.Status, r.Header.Get("X-CSRF-Token"))
	}
}

// Passkey sign-ins begun without a session start one each: they count
// against the address's sign-in starts, as PSC and HIN ones do.
func TestPasskeyCeremoniesCountAsSignInStarts(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_SIGNIN_STARTS_PER_ADDRESS": "3"})
	b := p.NewBrowser(t)
	b.Get("/")
	for i := range 3 {
		if r := b.Post("/auth/passkey/options", nil); r.Status != http.StatusOK {
			t.Fatalf("start %d: %d", i+1, r.Status)
		} else if tok := r.Header.Get("X-CSRF-Token"); tok != "" {
			b.Page.Find(`input[name="_csrf"]`).SetAttr("value", tok)
		}
	}
	if r := b.Post("/auth/passkey/options", nil); r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("a fourth start in the minute: %d", r.Status)
	}
}
