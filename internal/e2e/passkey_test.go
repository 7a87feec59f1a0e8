package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
)

// passkeyPortal is a portal named http://localhost:<port>: browsers allow
// passkeys on a host name only.
func passkeyPortal(t *testing.T, env map[string]string) *harness {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	env["INFOPATIENT_BASE_URL"] = "localhost"
	return start(t, env)
}

// withAuthenticator gives the tab a platform authenticator, as a phone or
// a laptop with a fingerprint reader has: resident keys, user
// verification that succeeds, presence given at once.
func (b *tab) withAuthenticator() {
	b.t.Helper()
	b.step("add a virtual authenticator", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, webauthn.Enable, webauthn.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
			Options: &webauthn.VirtualAuthenticatorOptions{
				Protocol:                    webauthn.AuthenticatorProtocolCtap2,
				Ctap2version:                webauthn.Ctap2versionCtap21,
				Transport:                   webauthn.AuthenticatorTransportInternal,
				HasResidentKey:              true,
				HasUserVerification:         true,
				IsUserVerified:              true,
				AutomaticPresenceSimulation: true,
			},
		})
		return err
	}))
}

// registerPasskey adds a passkey named name on the security page.
func (b *tab) registerPasskey(name string) {
	b.t.Helper()
	b.open("/compte/securite")
	b.fill("#passkey-name", name)
	b.click(testid("passkey-add"))
	b.expectAt("/compte/securite")
	b.expect(testid("passkey-notice"), b.h.msg(b.lang(), "passkey.security.added"))
}

func (b *tab) logout() {
	b.t.Helper()
	b.click(testid("logout"))
}

// waitAt waits until the tab is at path (the query ignored): the login
// page's autofill signs in on its own, after the page has loaded.
func (b *tab) waitAt(path string) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, time.Second)
		at, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && location.pathname === `+js(path)))
		cancel()
		if err == nil && at {
			return
		}
		time.Sleep(100 * time.Millisecond) // the page is navigating
	}
	b.fatalf("not at %s after %s", path, stepTimeout)
}

func TestPasskeyRegisterSignOutSignInAlone(t *testing.T) {
	h := passkeyPortal(t, nil)
	b := h.newTab(frenchBrowser)
	b.withAuthenticator()
	fr := func(key string, args ...any) string { return h.msg("fr", key, args...) }

	b.signIn(virginieLogin, demoPassword)
	b.expectAt("/identification")
	b.click(mainNav + ` a[href="/compte/securite"]`)
	b.expect("h1", fr("passkey.security.title"))
	b.expect(testid("passkeys-empty"), fr("passkey.security.empty"))
	b.registerPasskey("Portable du cabinet")
	b.expectExactly(testid("passkey-name"), "Portable du cabinet")
	b.expectExactly(testid("passkey-last-used"), fr("passkey.security.never"))
	b.audit("security")
	b.auditFocus("security", 30)

	// Signed out, the login page offers the passkey in the login field's
	// autofill (conditional UI). Chromium's virtual authenticator answers
	// such a request at once, as a person picking the passkey would: the
	// page signs in with the passkey alone, no password typed.
	b.logout()
	b.waitAt("/identification")
	b.expectExactly(testid("professional"), virginieHeader)

	b.click(mainNav + ` a[href="/compte/securite"]`)
	if got := b.text(testid("passkey-last-used")); got == "" || got == fr("passkey.security.never") {
		t.Errorf("last used %q after a passkey sign-in", got)
	}
	b.click(mainNav + ` a[href="/historique"]`)
	if got := b.texts(testid("security-event-kind")); len(got) != 2 || got[0] != fr("passkey.event.used") || got[1] != fr("passkey.event.registered") {
		t.Errorf("Historique's security events: %q", got)
	}

	// Another browser without the passkey: the login page has the button,
	// and its field the autofill.
	o := h.newTab(frenchBrowser)
	o.open("/")
	if got := o.attr("#login", "autocomplete"); got != "username webauthn" {
		t.Errorf("login field autocomplete %q", got)
	}
	o.expect(testid("login-passkey"), fr("passkey.login.button"))
	o.audit("login with passkeys")
}

func TestPasskeyLinksAPSCIdentity(t *testing.T) {
	h := passkeyPortal(t, nil)
	b := h.newTab(frenchBrowser)
	b.withAuthenticator()
	b.signIn(isabelleLogin, demoPassword)
	b.registerPasskey("Téléphone d'Isabelle")

	// Pro Santé Connect vouches for an identity no account has yet.
	b.open("/auth/psc/login")
	b.chooseAtPSC(isabellePSC)
	b.expectAt("/auth/link")
	b.expect(testid("link-passkey"), h.msg("fr", "passkey.link.button"))
	b.audit("link with a passkey")
	b.click(testid("link-passkey"))
	b.expectAt("/identification")
	b.expectExactly(testid("professional"), isabellePSC.header)
	b.expect(testid("identify-notice"), h.msg("fr", "link.done.psc"))

	// Linked: the next PSC sign-in, in another browser, goes straight in.
	o := h.newTab(frenchBrowser)
	o.signInWithPSC(isabellePSC)
	o.expectAt("/identification")
	o.expectExactly(testid("professional"), isabellePSC.header)
}

func TestPolicyPasskeyRefusesThePasswordAloneInTheBrowser(t *testing.T) {
	h := passkeyPortal(t, map[string]string{"INFOPATIENT_LOCAL_SIGNIN": "passkey"})
	b := h.newTab(frenchBrowser)
	b.withAuthenticator()
	fr := func(key string, args ...any) string { return h.msg("fr", key, args...) }

	// No passkey yet: the password leads to the registration, and nothing
	// else opens before it.
	b.signIn(virginieLogin, demoPassword)
	b.expectAt("/compte/securite")
	b.expect(testid("passkey-required"), fr("passkey.security.required"))
	b.open("/identification")
	b.expectAt("/compte/securite")
	b.registerPasskey("Téléphone")
	b.open("/identification")
	b.expectAt("/identification")

	// The password alone, from another browser, is refused.
	o := h.newTab(frenchBrowser)
	o.signIn(virginieLogin, demoPassword)
	o.expect(testid("login-error"), fr("passkey.error.password_refused"))
	o.open("/identification")
	o.expectAt("/")

	// The passkey alone signs in.
	b.logout()
	b.waitAt("/identification")
	b.expectExactly(testid("professional"), virginieHeader)
}

// On another address of the portal than its own (the demo opened at
// 127.0.0.1 when it is named localhost), the page says where passkeys
// work instead of failing.
func TestPasskeyButtonSaysWhereItWorks(t *testing.T) {
	h := passkeyPortal(t, nil)
	b := h.newTab(frenchBrowser)
	b.base = "http://127.0.0.1:" + h.portal.URL[len("http://localhost:"):]
	b.open("/")
	b.expect(testid("passkey-status"), h.msg("fr", "passkey.address", h.portal.URL))
	if !eval[bool](b, `document.querySelector('[data-testid="login-passkey"]').disabled`) {
		t.Error("the passkey button is enabled where passkeys cannot work")
	}
}

// TestPasskeyScreenshots writes the security page and the login page with
// its passkey button, on a phone, in the three languages.
func TestPasskeyScreenshots(t *testing.T) {
	dir := screenshotDir(t)
	if dir == "" {
		t.Skip("screenshots are written only when " + screenshotsEnv + " names a directory (e.g. docs/screenshots)")
	}
	h := passkeyPortal(t, nil)
	for _, l := range []struct{ lang, accept string }{{"fr", frenchBrowser}, {"de", "de-CH,de"}, {"en", "en-GB,en"}} {
		b := h.newTab(l.accept)
		b.withAuthenticator()
		b.step("phone", emulatePhone())
		b.open("/")
		b.shoot(dir, "passkeys-login-"+l.lang+"-phone")
		b.signIn(virginieLogin, demoPassword)
		b.registerPasskey(map[string]string{"fr": "Téléphone", "de": "Telefon", "en": "Phone"}[l.lang])
		b.shoot(dir, "passkeys-security-"+l.lang+"-phone")
	}
}
