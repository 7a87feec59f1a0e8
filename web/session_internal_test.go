package web

import (
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// Sessions open before an upgrade carry their values under the key names
// they were written with: the typed accessor reads them as they are.
func TestWebSessionReadsOpenSessionsKeys(t *testing.T) {
	sm := scs.New()
	ctx, err := sm.Load(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"account_id": "42", "display_name": "VIRGINIE MEDECIN", "identifier": "RPPS 99700218896",
		"method": "psc", "seen": "1700000000", "browser": "b1", "hin_id": "cmuster",
		"psc_id_token": "legacy.jwt", "last_lookup": "nir:2840275115023",
		"pending_link": `{"authority":"psc","subject":"899700218912","identifier":"RPPS 99700218912","expires":99,` +
			`"profile":{"professional":{"GivenName":"ISABELLE","Activities":[{"City":"PARIS"}]},"claims":[{"Source":"id_token","Name":"sub","Value":"s"}]}}`,
		"logout_state": "st", "logout_done": "/", "flash": "link.done.psc",
	} {
		sm.Put(ctx, k, v)
	}
	w := webSession{sm: sm, ctx: ctx}
	if !w.SignedIn() || w.Account() != 42 || w.DisplayName() != "VIRGINIE MEDECIN" || w.Identifier() != "RPPS 99700218896" || w.Authority() != "psc" {
		t.Errorf("signed in: %v %d %q %q %q", w.SignedIn(), w.Account(), w.DisplayName(), w.Identifier(), w.Authority())
	}
	if !w.LastSeen().Equal(time.Unix(1700000000, 0)) || w.HINID() != "cmuster" || w.LegacyPSCIDToken() != "legacy.jwt" {
		t.Errorf("seen %v hin %q legacy %q", w.LastSeen(), w.HINID(), w.LegacyPSCIDToken())
	}
	if kind, id, ok := w.LastPatient(); !ok || kind != "nir" || id != "2840275115023" {
		t.Errorf("last patient %q %q %v", kind, id, ok)
	}
	if id, ok := w.PendingLink(); !ok || id.Authority != "psc" || id.LinkSubject != "899700218912" || id.Expires != 99 {
		t.Errorf("pending link %+v %v", id, ok)
	} else if p := id.Profile; p == nil || p.Professional.GivenName != "ISABELLE" || p.Professional.Activities[0].City != "PARIS" || p.Claims[0].Name != "sub" {
		t.Errorf("a pending link's profile, written before the profile had its own type: %+v", p)
	}
	if state, done := w.PopLogoutReturn(); state != "st" || done != "/" {
		t.Errorf("logout return %q %q", state, done)
	}
	if w.PopFlash() != "link.done.psc" || w.PopFlash() != "" {
		t.Error("a flash is shown once")
	}
	w.ForgetPreviousSignIn()
	if w.HINID() != "" || w.LegacyPSCIDToken() != "" || sm.Exists(ctx, "psc_profile") {
		t.Error("a previous sign-in's values stay")
	}
}

// A new sign-in forgets the patient a previous professional looked up,
// and the last patient is written only when it changes.
func TestWebSessionSignInForgetsLastPatient(t *testing.T) {
	sm := scs.New()
	ctx, err := sm.Load(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	w := webSession{sm: sm, ctx: ctx}
	if _, _, ok := w.LastPatient(); ok {
		t.Error("a last patient in an empty session")
	}
	w.SetLastPatient("card", "80756")
	if kind, id, ok := w.LastPatient(); !ok || kind != "card" || id != "80756" {
		t.Errorf("last patient %q %q %v", kind, id, ok)
	}
	w.SetSignedIn(signedIn{AccountID: 7, DisplayName: "A", Authority: authorityLocal}, time.Unix(5, 0))
	if _, _, ok := w.LastPatient(); ok || w.Account() != 7 || w.LastSeen().Unix() != 5 {
		t.Errorf("after sign-in: account %d seen %v", w.Account(), w.LastSeen())
	}
	if _, ok := w.PopPendingLink(); ok {
		t.Error("a pending link in a session without one")
	}
}
