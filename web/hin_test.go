package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
)

// hinManualCode opens the sandbox's code page linked from the portal's
// manual sign-in page, signs in there as hinID and returns the code shown.
func hinManualCode(t *testing.T, p *apptest.Portal, b *apptest.Browser, hinID string) string {
	t.Helper()
	if r := b.Get("/auth/hin/manual"); r.Status != http.StatusOK {
		t.Fatalf("manual page: %d", r.Status)
	}
	link, _ := b.Page.Find(`[data-testid="hin-manual-link"]`).Attr("href")
	if !strings.HasPrefix(link, p.URL+"/sandbox/hin/") || !strings.Contains(link, "tokenGroup="+sandbox.TokenGroup) {
		t.Fatalf("the code page link is %q", link)
	}
	if r := b.Get(link); r.Status != http.StatusOK || !b.Has("hin-identity-"+hinID) {
		t.Fatalf("HIN code page: %d", r.Status)
	}
	r := submitHINForm(t, b, url.Values{"hin_id": {hinID}})
	code := b.Text("hin-manual-code")
	if r.Status != http.StatusOK || code == "" {
		t.Fatalf("no code shown: %d", r.Status)
	}
	return code
}

func TestHINSignInRedirect(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Get("/")
	if !b.Has("login-hin") {
		t.Fatal("no HIN button on the login page")
	}
	r := hinSignIn(t, b, "cmuster")
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("callback: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
	}
	if rp := r.Header.Get("Referrer-Policy"); rp != "no-referrer" {
		t.Errorf("callback Referrer-Policy %q", rp)
	}
	b.Follow(r)
	if got := b.Text("professional"); got != claudiaHeader {
		t.Errorf("header %q", got)
	}
	b.Get("/mes-informations")
	if b.Text("profile-hin-id") != "cmuster" || !strings.Contains(b.Text("profile-method"), "HIN") {
		t.Errorf("profile: hin id %q, method %q", b.Text("profile-hin-id"), b.Text("profile-method"))
	}
	// The user's tokens are kept, sealed: the stored blob does not show them.
	blob, err := p.App.Store.GetToken(t.Context(), hinTokenKey(t, p, claudia))
	if err != nil || len(blob) == 0 || strings.Contains(string(blob), "access_token") {
		t.Errorf("stored HIN tokens: %d bytes, %v", len(blob), err)
	}
}

func TestHINCallbackAcceptsCapitalCode(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	callback := hinAuthorize(t, b, "cmuster", "yes")
	q := callback.Query()
	q.Set("Code", q.Get("code"))
	q.Del("code")
	r := b.Get("/auth/hin/callback?" + q.Encode())
	if !asksHINDirectory(r) {
		t.Fatalf("callback with Code=: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
	}
	// The directory's code comes back as Code too.
	q = hinDirectoryConsent(t, b, r, "yes").Query()
	q.Set("Code", q.Get("code"))
	q.Del("code")
	if r = b.Get("/auth/hin/callback?" + q.Encode()); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("directory's callback with Code=: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
	}
	signedInAs(t, b, claudiaHeader)
	b.Get("/mes-informations")
	if b.Text("profile-hin-gln") != "7601001000018" {
		t.Errorf("profile read with Code=: GLN %q", b.Text("profile-hin-gln"))
	}
}

func TestHINConsentRefused(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	callback := hinAuthorize(t, b, "cmuster", "no")
	if callback.Query().Get("error") != "access_denied" {
		t.Fatalf("consent No answered %v", callback.Query())
	}
	r := b.Get(callback.String())
	refusedWith(t, b, r, http.StatusUnauthorized, titleCancelled, "hin")
	signedOut(t, b, "consent refused")
}

// HIN's callback errors mean what they mean for Pro Santé Connect: a
// provider in trouble is unavailable (trying again may work); any other
// error is a refusal, logged without HIN's text.
func TestHINCallbackErrors(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	for _, tc := range []struct {
		answer, title string
		status        int
	}{
		{"temporarily_unavailable", titleUnavailable, http.StatusBadGateway},
		{"server_error", titleUnavailable, http.StatusBadGateway},
		{"invalid_scope", titleRefused, http.StatusUnauthorized},
	} {
		t.Run(tc.answer, func(t *testing.T) {
			b := p.NewBrowser(t)
			q := hinAuthorize(t, b, "cmuster", "yes").Query()
			q.Del("code")
			q.Set("error", tc.answer)
			q.Set("error_description", "HIN's own words")
			r := b.Get("/auth/hin/callback?" + q.Encode())
			refusedWith(t, b, r, tc.status, tc.title, "hin")
			signedOut(t, b, tc.answer)
		})
	}
	if logs := p.Logs.String(); !strings.Contains(logs, `outcome=rejected err="hin: token request rejected: the authorization answered \"invalid_scope\""`) ||
		strings.Contains(logs, "own words") {
		t.Errorf("the refusal is logged as:\n%s", grepLines(logs, "sign-in refused"))
	}
}

func TestHINSignInManual(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Get("/")
	if href, _ := b.Page.Find(`[data-testid="login-hin-manual"]`).Attr("href"); href != "/auth/hin/manual" {
		t.Fatalf("manual sign-in link %q", href)
	}
	code := hinManualCode(t, p, b, "cmuster")
	b.Get("/auth/hin/manual")
	r := b.Post("/auth/hin/manual", url.Values{"code": {"  " + code + "\n"}})
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("manual code: %d → %q (%s)", r.Status, r.Location, b.Text("hin-manual-error"))
	}
	signedInAs(t, b, claudiaHeader)

	// A code works once.
	other := p.NewBrowser(t)
	other.Get("/auth/hin/manual")
	r = other.Post("/auth/hin/manual", url.Values{"code": {code}})
	if r.Status != http.StatusUnauthorized || !strings.Contains(other.Text("hin-manual-error"), "refusé") {
		t.Errorf("reused code: %d %q", r.Status, other.Text("hin-manual-error"))
	}
	signedOut(t, other, "reused manual code")
	other.Get("/auth/hin/manual")
	r = other.Post("/auth/hin/manual", url.Values{"code": {"   "}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(other.Text("hin-manual-error"), "Collez") {
		t.Errorf("empty code: %d %q", r.Status, other.Text("hin-manual-error"))
	}
	// Without its CSRF token, the form is refused.
	if r := other.PostRaw("/auth/hin/manual", url.Values{"code": {"whatever"}}); r.Status != http.StatusForbidden {
		t.Errorf("manual code without CSRF token: %d", r.Status)
	}
}

func TestHINUnknownIdentityIsLinkedOnce(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	r := hinSignIn(t, b, "aakeret")
	if r.Status != http.StatusSeeOther || r.Location != "/auth/link" {
		t.Fatalf("unknown hin_id: %d → %q", r.Status, r.Location)
	}
	b.Follow(r)
	// Named as HIN's directory names her.
	if got := b.Text("link-who"); got != "ANDREA AKERET — HIN aakeret" {
		t.Errorf("linking page names %q", got)
	}
	if got := b.Text("link"); !strings.Contains(got, "HIN vous a reconnu(e)") {
		t.Errorf("linking page says %q", got)
	}
	if r := b.Post("/auth/link", url.Values{"login": {isabelle}, "password": {"wrong-password"}}); r.Status != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", r.Status)
	}
	r = b.Post("/auth/link", url.Values{"login": {isabelle}, "password": {demo.Password}})
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("link: %d → %q %q", r.Status, r.Location, b.Text("link-error"))
	}
	b.Follow(r)
	if got := b.Text("identify-notice"); got != "Votre identité HIN est maintenant associée à votre compte." {
		t.Errorf("identification page after linking: notice %q", got)
	}
	signedInAs(t, b, "ANDREA AKERET HIN aakeret")
	if b.Has("identify-notice") {
		t.Errorf("the link notice is shown again: %q", b.Text("identify-notice"))
	}
	// The HIN token waited in the session and now calls Covercard.
	postLookup(t, b, cardValid)
	if !strings.Contains(b.Text("card-via"), "identité HIN") {
		t.Errorf("lookup after linking went %q", b.Text("card-via"))
	}
	// Next time, straight in.
	b2 := p.NewBrowser(t)
	if r := hinSignIn(t, b2, "aakeret"); r.Location != "/identification" {
		t.Errorf("second HIN sign-in: %d → %q", r.Status, r.Location)
	}
}

func TestHINStateIsOneTimeAndBound(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)

	t.Run("replayed callback", func(t *testing.T) {
		b := p.NewBrowser(t)
		callback := hinAuthorize(t, b, "cmuster", "yes")
		if r := b.Get(callback.String()); !asksHINDirectory(r) {
			t.Fatalf("first use: %d → %q", r.Status, r.Location)
		}
		r := b.Get(callback.String())
		refusedWith(t, b, r, http.StatusBadRequest, titleStale, "hin")
	})

	t.Run("state started in another browser", func(t *testing.T) {
		victim, attacker := p.NewBrowser(t), p.NewBrowser(t)
		callback := hinAuthorize(t, attacker, "cmuster", "yes")
		victim.Get("/")
		r := victim.Get(callback.String())
		refusedWith(t, victim, r, http.StatusBadRequest, titleStale, "hin")
		signedOut(t, victim, "foreign state")
	})

	t.Run("PSC state and code at the HIN callback", func(t *testing.T) {
		b := p.NewBrowser(t)
		pscCallback := pscAuthorize(t, b, virginieIDNat, "sign-in")
		r := b.Get("/auth/hin/callback?" + pscCallback.RawQuery)
		refusedWith(t, b, r, http.StatusBadRequest, titleStale, "hin")
		signedOut(t, b, "PSC code at the HIN callback")
	})

	t.Run("forged state", func(t *testing.T) {
		b := p.NewBrowser(t)
		callback := hinAuthorize(t, b, "cmuster", "yes")
		q := callback.Query()
		q.Set("state", "forged")
		refusedWith(t, b, b.Get("/auth/hin/callback?"+q.Encode()), http.StatusBadRequest, titleStale, "hin")
		if r := b.Get(callback.String()); !asksHINDirectory(r) {
			t.Errorf("genuine callback after a forged one: %d → %q", r.Status, r.Location)
		}
	})
}

func TestHINUnavailable(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_HTTP_TIMEOUT": "1s"})
	for _, f := range []hinsim.Fault{hinsim.FaultServerError, hinsim.FaultGarbage, hinsim.FaultSlow} {
		t.Run(f.String(), func(t *testing.T) {
			b := p.NewBrowser(t)
			callback := hinAuthorize(t, b, "cmuster", "yes")
			p.App.Sandbox.HIN.Misbehave(f, 1)
			defer p.App.Sandbox.HIN.Behave()
			r := b.Get(callback.String())
			refusedWith(t, b, r, http.StatusBadGateway, titleUnavailable, "hin")
			if !strings.Contains(b.Text("error-message"), "HIN ne répond pas") {
				t.Errorf("message %q", b.Text("error-message"))
			}
			if strings.Contains(p.Logs.String(), callback.Query().Get("code")) {
				t.Error("the code reached the logs")
			}
			signedOut(t, b, f.String())
		})
	}
}

func TestHINLogoutForgetsTheTokens(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(hinSignIn(t, b, "cmuster"))
	key := hinTokenKey(t, p, claudia)
	if _, err := p.App.Store.GetToken(t.Context(), key); err != nil {
		t.Fatalf("no tokens after sign-in: %v", err)
	}
	r := b.Post("/logout", nil)
	if r.Status != http.StatusSeeOther || r.Location != "/?bye=1" {
		t.Fatalf("logout: %d → %q", r.Status, r.Location)
	}
	if _, err := p.App.Store.GetToken(t.Context(), key); err == nil {
		t.Error("the HIN tokens outlived the logout")
	}
	signedOut(t, b, "after logout")
}

func TestHINManualSignInWhileHINIsDown(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	code := hinManualCode(t, p, b, "cmuster")
	b.Get("/auth/hin/manual")
	p.App.Sandbox.HIN.Misbehave(hinsim.FaultServerError, 1)
	r := b.Post("/auth/hin/manual", url.Values{"code": {code}})
	if r.Status != http.StatusBadGateway || b.Text("error-title") != titleUnavailable {
		t.Fatalf("HIN down: %d %q", r.Status, b.Text("error-title"))
	}
	// Retrying leads back to the code page, not to the redirect sign-in.
	if href, _ := b.Page.Find(`[data-testid="error-retry"]`).Attr("href"); href != "/auth/hin/manual" {
		t.Errorf("retry button leads to %q", href)
	}
	signedOut(t, b, "HIN down")
}

// Every pasted code goes to HIN's token endpoint with the client secret:
// an address pasting too many is throttled before HIN is asked, as for
// passwords.
func TestHINManualCodesAreThrottledPerAddress(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_LOGIN_MAX_PER_ADDRESS": "3"})
	b := p.NewBrowser(t)
	for i := 0; i < 3; i++ {
		b.Get("/auth/hin/manual")
		if r := b.Post("/auth/hin/manual", url.Values{"code": {"guessed-code-" + strconv.Itoa(i)}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, r.Status)
		}
	}
	asked := p.App.Sandbox.HIN.Stats().AuthorizationCode
	code := hinManualCode(t, p, b, "cmuster")
	b.Get("/auth/hin/manual")
	r := b.Post("/auth/hin/manual", url.Values{"code": {code}})
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || !strings.Contains(b.Text("hin-manual-error"), "Trop de tentatives") {
		t.Fatalf("4th code: %d %q", r.Status, b.Text("hin-manual-error"))
	}
	if n := p.App.Sandbox.HIN.Stats().AuthorizationCode; n != asked {
		t.Errorf("the throttled code was sent to HIN's token endpoint (%d → %d requests)", asked, n)
	}
	signedOut(t, b, "throttled manual code")
	// The window passes: a fresh code is taken.
	p.Clock.Advance(16 * time.Minute)
	code = hinManualCode(t, p, b, "cmuster")
	b.Get("/auth/hin/manual")
	if r := b.Post("/auth/hin/manual", url.Values{"code": {code}}); r.Status != http.StatusSeeOther {
		t.Errorf("after the window: %d %q", r.Status, b.Text("hin-manual-error"))
	}
}

// A session opened before a HIN sign-in (the HIN button stores this
// browser's id in it) gets a new token at sign-in; the old one opens
// nothing.
func TestHINSignInRenewsTheSessionToken(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	callback := hinAuthorize(t, b, "cmuster", "yes")
	if b.Cookie("infopatient_session") != nil {
		t.Fatal("starting the sign-in created a session")
	}
	before := &http.Cookie{Name: "infopatient_session", Value: "planted-by-an-attacker-0123456789abcdef"}
	b.Client.Jar.SetCookies(mustURL(t, p.URL), []*http.Cookie{before})
	r := b.Get(callback.String())
	if !asksHINDirectory(r) {
		t.Fatalf("callback: %d → %q", r.Status, r.Location)
	}
	// Renewed already while the identity waits for HIN's directory…
	waiting := b.Cookie("infopatient_session")
	if waiting == nil || waiting.Value == before.Value {
		t.Fatalf("session token not renewed with the identity waiting: %v → %v", before, waiting)
	}
	if r := b.Get(hinDirectoryConsent(t, b, r, "yes").String()); r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("directory's callback: %d → %q", r.Status, r.Location)
	}
	// …and again at sign-in.
	after := b.Cookie("infopatient_session")
	if after != nil && after.Value == waiting.Value {
		t.Errorf("session token not renewed at sign-in")
	}
	if after == nil || after.Value == before.Value {
		t.Fatalf("session token not renewed at HIN sign-in: %v → %v", before, after)
	}
	signedInAs(t, b, claudiaHeader)
	planted := p.NewBrowser(t)
	planted.Client.Jar.SetCookies(mustURL(t, p.URL), []*http.Cookie{{Name: "infopatient_session", Value: before.Value}})
	signedOut(t, planted, "the token from before the HIN sign-in")
}

// A HIN answer that comes back after the state timeout is refused with
// the expired page, and signs nobody in.
func TestHINExpiredStateIsRefused(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_STATE_TIMEOUT": "2m"})
	b := p.NewBrowser(t)
	callback := hinAuthorize(t, b, "cmuster", "yes")
	p.Clock.Advance(3 * time.Minute)
	r := b.Get(callback.String())
	refusedWith(t, b, r, http.StatusBadRequest, titleStale, "hin")
	signedOut(t, b, "expired HIN state")
}

// No HIN code, access or refresh token, nor the client secret, ever
// reaches the logs: redirect and manual sign-ins, linking, a Covercard
// lookup with the user's token, failures, logout.
func TestHINKeepsSecretsOutOfTheLogs(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_HTTP_TIMEOUT": "1s"})
	var secrets []string
	// tokens reads the HIN tokens the portal keeps for login's account.
	tokens := func(login string) {
		t.Helper()
		key := hinTokenKey(t, p, login)
		blob, err := p.App.Store.GetToken(t.Context(), key)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := p.App.Web.Box.Open(blob, []byte(key))
		if err != nil {
			t.Fatal(err)
		}
		var rec struct {
			Token struct {
				Access  string `json:"access_token"`
				Refresh string `json:"refresh_token"`
			} `json:"token"`
		}
		if err := json.Unmarshal(plain, &rec); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, rec.Token.Access, rec.Token.Refresh)
	}

	b := p.NewBrowser(t)
	callback := hinAuthorize(t, b, "cmuster", "yes")
	secrets = append(secrets, callback.Query().Get("code"), callback.Query().Get("state"))
	// HIN's directory: its authorization's code and state too.
	directory := hinDirectoryConsent(t, b, b.Get(callback.String()), "yes")
	secrets = append(secrets, directory.Query().Get("code"), directory.Query().Get("state"))
	b.Follow(b.Get(directory.String()))
	tokens(claudia)
	postLookup(t, b, cardValid)
	b.Follow(b.Post("/logout", nil))

	manual := p.NewBrowser(t)
	code := hinManualCode(t, p, manual, "cmuster")
	secrets = append(secrets, code)
	manual.Get("/auth/hin/manual")
	manual.Follow(manual.Post("/auth/hin/manual", url.Values{"code": {code}}))
	tokens(claudia)
	manual.Get("/auth/hin/manual")
	manual.Post("/auth/hin/manual", url.Values{"code": {code}}) // spent: refused

	link := p.NewBrowser(t)
	link.Follow(hinSignIn(t, link, "aakeret"))
	link.Follow(link.Post("/auth/link", url.Values{"login": {isabelle}, "password": {demo.Password}}))
	tokens(isabelle)
	postLookup(t, link, cardValid)

	for _, f := range []hinsim.Fault{hinsim.FaultServerError, hinsim.FaultGarbage} {
		b := p.NewBrowser(t)
		callback := hinAuthorize(t, b, "cmuster", "yes")
		secrets = append(secrets, callback.Query().Get("code"), callback.Query().Get("state"))
		p.App.Sandbox.HIN.Misbehave(f, 1)
		b.Get(callback.String())
		p.App.Sandbox.HIN.Behave()
	}

	logs := p.Logs.String()
	if !strings.Contains(logs, `msg="sign-in refused" method=hin outcome=unavailable`) || !strings.Contains(logs, "signed in") {
		t.Fatalf("the sign-ins were not logged:\n%s", logs)
	}
	noSecretsLogged(t, logs, append(secrets, sandbox.HINClientSecret))
}
