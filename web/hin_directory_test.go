package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
)

// HIN's directory in the sandbox: the identities' GLNs
// (data/sandbox/hin-identities.json) and Dr. Hans Weber's demo account,
// which carries his.
const (
	musterGLN = "7601001000018"
	akeretGLN = "7601001000025"
	weberGLN  = "7601001000032"
	weber     = "756100002" // demo account HANS WEBER, GLN weberGLN, nothing linked
)

// sessionData is the stored session of b, as the database keeps it.
func sessionData(t *testing.T, p *apptest.Portal, b *apptest.Browser) string {
	t.Helper()
	ck := b.Cookie("infopatient_session")
	if ck == nil {
		t.Fatal("no session")
	}
	var data []byte
	if err := p.App.Store.DB().QueryRowContext(t.Context(), `SELECT data FROM sessions WHERE token = $1`, ck.Value).Scan(&data); err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A redirect HIN sign-in asks HIN for the directory's authorization, then
// signs in with the profile it reads: the header names the professional
// as the directory does, and Mes informations shows name, GLN,
// verification level (as sent) and when it was read. The directory's token
// is not kept, and the sign-in's waits sealed.
func TestHINSignInReadsTheDirectoryProfile(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	r := b.Get(hinAuthorize(t, b, "cmuster", "yes").String())
	if !asksHINDirectory(r) {
		t.Fatalf("callback: %d → %q", r.Status, r.Location)
	}
	u := mustURL(t, r.Location)
	if q := u.Query(); q.Get("login_hint") != "cmuster" || q.Get("state") == "" || q.Get("redirect_uri") != p.URL+"/auth/hin/callback" {
		t.Errorf("the directory's authorization: %q", r.Location)
	}
	// Waiting for the directory, the identity's HIN token is in the
	// session, sealed: never in clear.
	if data := sessionData(t, p, b); !strings.Contains(data, "hin_directory_step") || strings.Contains(data, "access_token") ||
		strings.Contains(data, "refresh_token") {
		t.Errorf("the session while the directory is asked: %s", data)
	}
	signedOut(t, b, "waiting for the directory")

	r = b.Get(hinDirectoryConsent(t, b, r, "yes").String())
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("directory's callback: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
	}
	signedInAs(t, b, claudiaHeader)
	if b.Has("identify-warning") {
		t.Errorf("warning after a good read: %q", b.Text("identify-warning"))
	}
	b.Get("/mes-informations")
	for id, want := range map[string]string{
		"profile-hin-name": "Claudia Muster", "profile-hin-gln": musterGLN, "profile-hin-level": "verified", "profile-hin-id": "cmuster",
	} {
		if got := b.Text(id); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if b.Text("profile-hin-read-at") == "" || !b.Has("profile-hin-read") || b.Has("profile-hin-problem") {
		t.Errorf("read at %q, button %v, problem %q", b.Text("profile-hin-read-at"), b.Has("profile-hin-read"), b.Text("profile-hin-problem"))
	}
	// The value's meaning is not published: said beside it.
	if !strings.Contains(b.Text("profile-hin"), "signification de ses valeurs n'est pas publiée") {
		t.Errorf("the level's hint: %q", b.Text("profile-hin"))
	}
	if data := sessionData(t, p, b); strings.Contains(data, "access_token") || strings.Contains(data, "hin_directory_step") {
		t.Errorf("the signed-in session: %s", data)
	}
	// The token kept is the sign-in's (hin_covercard): Covercard takes it.
	postLookup(t, b, cardValid)
	if !strings.Contains(b.Text("card-via"), "identité HIN") {
		t.Errorf("lookup went %q", b.Text("card-via"))
	}
	if st := p.App.Sandbox.HIN.Stats(); st.AuthorizationCode != 2 {
		t.Errorf("%d codes exchanged, want the sign-in's and the directory's", st.AuthorizationCode)
	}
}

// The directory refused at HIN, failing or refusing the token: the
// sign-in completes without the profile, and says why once.
func TestHINDirectoryFailureStillSignsIn(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, map[string]string{"INFOPATIENT_HTTP_TIMEOUT": "1s"})
	sim := p.App.Sandbox.HIN
	for _, tc := range []struct {
		name     string
		decision string
		arm      func()
		warning  string
	}{
		{"consent refused", "no", func() {}, "vous en avez refusé l'accès"},
		{"directory unavailable", "yes", func() { sim.MisbehaveSDS(hinsim.FaultServerError, 1) }, "le service de HIN n'a pas répondu"},
		{"directory answers garbage", "yes", func() { sim.MisbehaveSDS(hinsim.FaultGarbage, 1) }, "le service de HIN n'a pas répondu"},
		{"directory too slow", "yes", func() { sim.MisbehaveSDS(hinsim.FaultSlow, 1) }, "le service de HIN n'a pas répondu"},
		{"directory refuses the token", "yes", func() { sim.MisbehaveSDS(hinsim.FaultInvalidGrant, 1) }, "l'annuaire a refusé l'accès"},
		{"token endpoint unavailable", "yes", func() { sim.Misbehave(hinsim.FaultServerError, 1) }, "le service de HIN n'a pas répondu"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := p.NewBrowser(t)
			back := hinDirectoryConsent(t, b, b.Get(hinAuthorize(t, b, "cmuster", "yes").String()), tc.decision)
			tc.arm()
			r := b.Get(back.String())
			sim.Behave()
			if r.Status != http.StatusSeeOther || r.Location != "/identification" {
				t.Fatalf("directory's callback: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
			}
			b.Follow(r)
			if got := b.Text("identify-warning"); !strings.Contains(got, tc.warning) {
				t.Errorf("warning %q, want %q", got, tc.warning)
			}
			// Named as the account names her, without the directory.
			if got := b.Text("professional"); got != claudiaHeader {
				t.Errorf("header %q", got)
			}
			b.Get("/identification")
			if b.Has("identify-warning") {
				t.Error("the warning is shown twice")
			}
			b.Get("/mes-informations")
			if !strings.Contains(b.Text("profile-hin-problem"), tc.warning) || !b.Has("profile-hin-unread") || !b.Has("profile-hin-read") {
				t.Errorf("Mes informations: problem %q, unread %v, button %v", b.Text("profile-hin-problem"), b.Has("profile-hin-unread"), b.Has("profile-hin-read"))
			}
		})
	}
}

// A code of the sign-in's token group brought back at the directory's
// state (a mix-up, or HIN handing out the wrong group): SDS refuses that
// token, and the sign-in completes without the profile.
func TestHINDirectoryRefusesATokenOfAnotherGroup(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	back := hinDirectoryConsent(t, b, b.Get(hinAuthorize(t, b, "cmuster", "yes").String()), "yes")
	// A hin_covercard code of the same identity, from another sign-in.
	other := p.NewBrowser(t)
	covercard := hinAuthorize(t, other, "cmuster", "yes")
	q := back.Query()
	q.Set("code", covercard.Query().Get("code"))
	r := b.Get("/auth/hin/callback?" + q.Encode())
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("directory's callback: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
	}
	b.Follow(r)
	if got := b.Text("identify-warning"); !strings.Contains(got, "l'annuaire a refusé l'accès") {
		t.Errorf("warning %q", got)
	}
	if logs := p.Logs.String(); !strings.Contains(logs, `msg="HIN directory not read" why=hin_profile.problem.forbidden`) {
		t.Errorf("not logged:\n%s", grepLines(logs, "directory"))
	}
}

// The directory's state is one-time, this browser's, the step's own, and
// taken only at HIN's callback.
func TestHINDirectoryStateIsOneTimeAndBound(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)

	t.Run("replayed", func(t *testing.T) {
		b := p.NewBrowser(t)
		back := hinDirectoryConsent(t, b, b.Get(hinAuthorize(t, b, "cmuster", "yes").String()), "yes")
		if r := b.Get(back.String()); r.Location != "/identification" {
			t.Fatalf("first use: %d → %q", r.Status, r.Location)
		}
		refusedWith(t, b, b.Get(back.String()), http.StatusBadRequest, titleStale, "hin")
	})

	t.Run("another browser", func(t *testing.T) {
		victim, attacker := p.NewBrowser(t), p.NewBrowser(t)
		back := hinDirectoryConsent(t, attacker, attacker.Get(hinAuthorize(t, attacker, "cmuster", "yes").String()), "yes")
		victim.Get("/")
		refusedWith(t, victim, victim.Get(back.String()), http.StatusBadRequest, titleStale, "hin")
		signedOut(t, victim, "another browser's directory state")
	})

	t.Run("state of an older step", func(t *testing.T) {
		b := p.NewBrowser(t)
		older := b.Get(hinAuthorize(t, b, "cmuster", "yes").String())
		// A second sign-in in the same browser replaces the step.
		newer := b.Get(hinAuthorize(t, b, "cmuster", "yes").String())
		olderBack := hinDirectoryConsent(t, b, older, "yes")
		refusedWith(t, b, b.Get(olderBack.String()), http.StatusBadRequest, titleStale, "hin")
		signedOut(t, b, "an older step's state")
		// The newer step still completes.
		if r := b.Get(hinDirectoryConsent(t, b, newer, "yes").String()); r.Location != "/identification" {
			t.Errorf("the newer step: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
		}
		signedInAs(t, b, claudiaHeader)
	})

	t.Run("forged", func(t *testing.T) {
		b := p.NewBrowser(t)
		back := hinDirectoryConsent(t, b, b.Get(hinAuthorize(t, b, "cmuster", "yes").String()), "yes")
		q := back.Query()
		q.Set("state", "forged")
		refusedWith(t, b, b.Get("/auth/hin/callback?"+q.Encode()), http.StatusBadRequest, titleStale, "hin")
		if r := b.Get(back.String()); r.Location != "/identification" {
			t.Errorf("genuine after forged: %d → %q", r.Status, r.Location)
		}
	})

	t.Run("at the PSC callback", func(t *testing.T) {
		b := p.NewBrowser(t)
		back := hinDirectoryConsent(t, b, b.Get(hinAuthorize(t, b, "cmuster", "yes").String()), "yes")
		refusedWith(t, b, b.Get("/auth/psc/callback?"+back.RawQuery), http.StatusBadRequest, titleStale, "psc")
		signedOut(t, b, "the directory's code at the PSC callback")
	})

	t.Run("expired", func(t *testing.T) {
		b := p.NewBrowser(t)
		back := hinDirectoryConsent(t, b, b.Get(hinAuthorize(t, b, "cmuster", "yes").String()), "yes")
		p.Clock.Advance(11 * time.Minute)
		refusedWith(t, b, b.Get(back.String()), http.StatusBadRequest, titleStale, "hin")
		signedOut(t, b, "an expired directory state")
	})
}

// Dr. Hans Weber's HIN identity is linked to no account, and his directory
// GLN is the demo account 756100002's, which has no HIN identity: his
// first sign-in links it, without the linking page, audited and logged.
func TestHINIdentityLinkedByGLN(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	r := hinSignIn(t, b, "hweber")
	if r.Status != http.StatusSeeOther || r.Location != "/identification" {
		t.Fatalf("hweber's first sign-in: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
	}
	b.Follow(r)
	if got := b.Text("identify-notice"); got != "Votre identité HIN a été associée à votre compte par votre GLN, lu dans l'annuaire HIN." {
		t.Errorf("notice %q", got)
	}
	if got := b.Text("professional"); got != "HANS WEBER HIN hweber" {
		t.Errorf("header %q", got)
	}
	a, err := p.App.Store.AccountByIdentity(t.Context(), "hin", "hweber")
	if err != nil || a.Login != weber {
		t.Fatalf("hweber linked to %+v %v", a, err)
	}
	b.Get("/historique")
	if !strings.Contains(b.Page.Text(), "Identité HIN associée par le GLN de l'annuaire HIN") {
		t.Error("Historique does not list the link")
	}
	logs := p.Logs.String()
	if !strings.Contains(logs, `msg="identity linked by GLN" method=hin account=`) {
		t.Errorf("not logged:\n%s", grepLines(logs, "GLN"))
	}
	if m := p.NewBrowser(t).Get(p.MetricsURL).Body; !strings.Contains(m, `outcome="linked_gln"} 1`) {
		t.Errorf("not counted:\n%s", grepLines(m, "linked_gln"))
	}
	// Next time, straight in, without the notice.
	b2 := p.NewBrowser(t)
	b2.Follow(hinSignIn(t, b2, "hweber"))
	if b2.Has("identify-notice") || b2.Text("professional") != "HANS WEBER HIN hweber" {
		t.Errorf("second sign-in: notice %q, header %q", b2.Text("identify-notice"), b2.Text("professional"))
	}
}

// No GLN link when the account has another HIN identity already, nor
// when the directory was not read: the linking page asks, as before.
func TestHINNotLinkedByGLN(t *testing.T) {
	t.Parallel()
	t.Run("the account has another HIN identity", func(t *testing.T) {
		p := apptest.Start(t, nil)
		if err := p.App.Store.LinkIdentity(t.Context(), "hin", "hweber-old", accountID(t, p, weber)); err != nil {
			t.Fatal(err)
		}
		b := p.NewBrowser(t)
		if r := hinSignIn(t, b, "hweber"); r.Location != "/auth/link" {
			t.Fatalf("hweber: %d → %q", r.Status, r.Location)
		}
		if logs := p.Logs.String(); !strings.Contains(logs, `msg="identity not linked by GLN"`) {
			t.Errorf("not logged:\n%s", grepLines(logs, "GLN"))
		}
		if _, err := p.App.Store.AccountByIdentity(t.Context(), "hin", "hweber"); err == nil {
			t.Error("linked all the same")
		}
	})
	t.Run("the directory refused", func(t *testing.T) {
		p := apptest.Start(t, nil)
		b := p.NewBrowser(t)
		back := hinDirectoryConsent(t, b, b.Get(hinAuthorize(t, b, "hweber", "yes").String()), "no")
		if r := b.Get(back.String()); r.Location != "/auth/link" {
			t.Fatalf("hweber without the directory: %d → %q", r.Status, r.Location)
		}
		// The GLN unknown, his own account takes him by its password.
		b.Get("/auth/link")
		r := b.Post("/auth/link", url.Values{"login": {weber}, "password": {demo.Password}})
		if r.Status != http.StatusSeeOther || r.Location != "/identification" {
			t.Fatalf("link: %d → %q %q", r.Status, r.Location, b.Text("link-error"))
		}
		b.Follow(r)
		if got := b.Text("identify-warning"); !strings.Contains(got, "vous en avez refusé l'accès") {
			t.Errorf("warning after linking %q", got)
		}
	})
}

// The linking page refuses a HIN identity whose directory GLN is not the
// account's GLN, in the page's language; a GLN not known does not refuse.
func TestHINLinkRefusesAnotherGLN(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	for _, tc := range []struct{ lang, says string }{
		{"fr", "son GLN, lu dans l'annuaire HIN, diffère"},
		{"de", "ihre GLN aus dem HIN-Verzeichnis weicht ab"},
		{"en", "its GLN, read from HIN's directory, differs"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := p.NewBrowser(t)
			b.Get("/?lang=" + tc.lang)
			// Andrea Akeret's GLN is no account's: the linking page.
			if r := hinSignIn(t, b, "aakeret"); r.Location != "/auth/link" {
				t.Fatalf("aakeret: %d → %q", r.Status, r.Location)
			}
			b.Get("/auth/link")
			r := b.Post("/auth/link", url.Values{"login": {weber}, "password": {demo.Password}})
			if r.Status != http.StatusForbidden || !strings.Contains(b.Text("link-error"), tc.says) {
				t.Errorf("Dr. Weber's account for Andrea Akeret: %d %q", r.Status, b.Text("link-error"))
			}
		})
	}
	if _, err := p.App.Store.AccountByIdentity(t.Context(), "hin", "aakeret"); err == nil {
		t.Error("aakeret linked to an account of another GLN")
	}
	// Lucia Rossi's profile carries no GLN: not known, not refused.
	b := p.NewBrowser(t)
	if r := hinSignIn(t, b, "lrossi"); r.Location != "/auth/link" {
		t.Fatalf("lrossi: %d → %q", r.Status, r.Location)
	}
	b.Get("/auth/link")
	if r := b.Post("/auth/link", url.Values{"login": {weber}, "password": {demo.Password}}); r.Status != http.StatusSeeOther {
		t.Errorf("lrossi, GLN unknown: %d %q", r.Status, b.Text("link-error"))
	}
	if logs := p.Logs.String(); !strings.Contains(logs, "why=link.gln_mismatch") {
		t.Errorf("refusal not logged:\n%s", grepLines(logs, "link refused"))
	}
}

// "Lire mon profil HIN" runs the directory's authorization again for the
// professional signed in with HIN, from Mes informations: after a
// manual sign-in (which reads no profile), after a failed read; a refusal
// keeps what was read before. It is offered to HIN sign-ins only.
func TestReadMyHINProfile(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	readAgain := func(t *testing.T, b *apptest.Browser, decision string) *apptest.Response {
		t.Helper()
		b.Get("/mes-informations")
		if !b.Has("profile-hin-read") {
			t.Fatal("no \"Lire mon profil HIN\" button")
		}
		r := b.Post("/auth/hin/directory", nil)
		if !strings.Contains(r.Location, "/GetAuthCode/hin_sds?") || r.Status != http.StatusSeeOther {
			t.Fatalf("the button: %d → %q", r.Status, r.Location)
		}
		r.Status = http.StatusFound // as the sign-in's redirect
		return b.Get(hinDirectoryConsent(t, b, r, decision).String())
	}

	b := p.NewBrowser(t)
	code := hinManualCode(t, p, b, "cmuster")
	b.Get("/auth/hin/manual")
	if r := b.Post("/auth/hin/manual", url.Values{"code": {code}}); r.Location != "/identification" {
		t.Fatalf("manual sign-in: %d → %q", r.Status, r.Location)
	}
	b.Get("/mes-informations")
	if !b.Has("profile-hin-unread") || b.Has("profile-hin-problem") {
		t.Errorf("after a manual sign-in: unread %v, problem %q", b.Has("profile-hin-unread"), b.Text("profile-hin-problem"))
	}
	// The manual variant has no redirect to chain: the button reads it.
	r := readAgain(t, b, "yes")
	if r.Status != http.StatusSeeOther || r.Location != "/mes-informations" {
		t.Fatalf("read again: %d → %q (%s)", r.Status, r.Location, b.Text("error-message"))
	}
	b.Follow(r)
	if b.Text("profile-hin-gln") != musterGLN || b.Text("profile-hin-name") != "Claudia Muster" ||
		b.Text("profile-notice") != "Votre profil de l'annuaire HIN a été lu." {
		t.Errorf("after reading: GLN %q, name %q, notice %q", b.Text("profile-hin-gln"), b.Text("profile-hin-name"), b.Text("profile-notice"))
	}
	// Refused this time: what was read stays, with why it was not read again.
	b.Follow(readAgain(t, b, "no"))
	if b.Text("profile-hin-gln") != musterGLN || !strings.Contains(b.Text("profile-hin-problem"), "vous en avez refusé l'accès") {
		t.Errorf("after a refusal: GLN %q, problem %q", b.Text("profile-hin-gln"), b.Text("profile-hin-problem"))
	}
	// A failure read again: fixed by the next read.
	p.App.Sandbox.HIN.MisbehaveSDS(hinsim.FaultServerError, 1)
	b.Follow(readAgain(t, b, "yes"))
	if !strings.Contains(b.Text("profile-hin-problem"), "n'a pas répondu") {
		t.Errorf("after a failure: problem %q", b.Text("profile-hin-problem"))
	}
	b.Follow(readAgain(t, b, "yes"))
	if b.Has("profile-hin-problem") || b.Text("profile-hin-gln") != musterGLN {
		t.Errorf("read once more: problem %q", b.Text("profile-hin-problem"))
	}
	// Its state serves once.
	b.Get("/mes-informations")
	r = b.Post("/auth/hin/directory", nil)
	r.Status = http.StatusFound
	back := hinDirectoryConsent(t, b, r, "yes")
	b.Get(back.String())
	refusedWith(t, b, b.Get(back.String()), http.StatusBadRequest, titleStale, "hin")
	// Without its CSRF token, refused.
	if r := b.PostRaw("/auth/hin/directory", nil); r.Status != http.StatusForbidden {
		t.Errorf("without CSRF token: %d", r.Status)
	}

	// Signed in locally: not offered, and refused.
	local := p.NewBrowser(t)
	local.SignIn(claudia, demo.Password)
	local.Get("/mes-informations")
	if local.Has("profile-hin") || local.Has("profile-hin-read") {
		t.Error("HIN profile offered after a local sign-in")
	}
	if r := local.Post("/auth/hin/directory", nil); r.Status != http.StatusForbidden || local.Text("error-title") != "Profil HIN indisponible" {
		t.Errorf("read after a local sign-in: %d %q", r.Status, local.Text("error-title"))
	}
	// Signed out: the sign-in page.
	if r := p.NewBrowser(t).PostRaw("/auth/hin/directory", nil); r.Status != http.StatusForbidden && r.Status != http.StatusSeeOther {
		t.Errorf("signed out: %d", r.Status)
	}
}

// The read again is the session's own: a step left for another sign-in
// (another professional signed in meanwhile in this browser) is refused.
func TestReadMyHINProfileForAnotherSignIn(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	b.Follow(hinSignIn(t, b, "cmuster"))
	b.Get("/mes-informations")
	r := b.Post("/auth/hin/directory", nil)
	r.Status = http.StatusFound
	back := hinDirectoryConsent(t, b, r, "yes")
	// Another professional signs in locally in this browser meanwhile.
	b.Get("/identification")
	if r := b.Post("/logout", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.Status)
	}
	b.SignIn(weber, demo.Password)
	refusedWith(t, b, b.Get(back.String()), http.StatusBadRequest, titleStale, "hin")
	b.Get("/mes-informations")
	if b.Has("profile-hin") {
		t.Error("Claudia Muster's profile shown to Hans Weber")
	}
}

// The directory's authorization answered by another HIN identity (HIN's
// session gone, another identity chosen): its profile is not taken — above
// all not its GLN, which would link the signed-in identity to another
// professional's account.
func TestHINDirectoryOfAnotherIdentityIsIgnored(t *testing.T) {
	t.Parallel()
	p := apptest.Start(t, nil)
	b := p.NewBrowser(t)
	r := b.Get(hinAuthorize(t, b, "aakeret", "yes").String())
	if !asksHINDirectory(r) {
		t.Fatalf("callback: %d → %q", r.Status, r.Location)
	}
	// HIN's session ends: the directory's authorization asks who signs in.
	b.Client.Jar.SetCookies(mustURL(t, p.URL+"/sandbox/hin/"), []*http.Cookie{{Name: "hinsim_sso", Value: "gone", Path: "/sandbox/hin/", MaxAge: -1}})
	if r = b.Get(r.Location); !b.Has("hin-identity-hweber") {
		t.Fatalf("the directory's authorization without HIN's session: %d", r.Status)
	}
	submitHINForm(t, b, url.Values{"hin_id": {"hweber"}})
	r = submitHINForm(t, b, url.Values{"decision": {"yes"}})
	r = b.Get(r.Location)
	if r.Status != http.StatusSeeOther || r.Location != "/auth/link" {
		t.Fatalf("aakeret with hweber's directory: %d → %q", r.Status, r.Location)
	}
	if _, err := p.App.Store.AccountByIdentity(t.Context(), "hin", "aakeret"); err == nil {
		t.Error("aakeret linked by another identity's GLN")
	}
	if logs := p.Logs.String(); !strings.Contains(logs, "why=hin_profile.problem.other_identity") {
		t.Errorf("not logged:\n%s", grepLines(logs, "directory"))
	}
	b.Get("/auth/link")
	if got := b.Text("link-who"); got != "HIN aakeret" {
		t.Errorf("linking page names %q", got)
	}
}
