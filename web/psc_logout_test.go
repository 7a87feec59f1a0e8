package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/demo"
)

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
