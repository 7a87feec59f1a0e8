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

	"github.com/PuerkitoBio/goquery"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
	"github.com/infopatient/infopatient/internal/store"
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
