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
	if id, ok := w.LastLookup(); ok {
		t.Errorf("a last patient written before lookups had pages names lookup %d", id)
	}
	if id, ok := w.PendingLink(); !ok || id.Authority != "psc" || id.LinkSubject != "899700218912" || id.Expires != 99 {
		t.Errorf("pending link %+v %v", id, ok)
	} else if p := id.Profile; p == nil || p.Professional.GivenName != "ISABELLE" || p.Professional.Activities[0].City != "PARIS" || p.Claims[0].Name != "sub" {
		t.Errorf("a pending link's profile, written before the profile had its own type: %+v", p)
	}
	// Written before the time was kept: no time, the state still works.
	if state, done, at := w.PopLogoutReturn(); state != "st" || done != "/" || !at.IsZero() {
		t.Errorf("logout return %q %q %v", state, done, at)
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
	if _, ok := w.LastLookup(); ok {
		t.Error("a last patient in an empty session")
	}
	w.SetLastLookup(12)
	if id, ok := w.LastLookup(); !ok || id != 12 {
		t.Errorf("last lookup %d %v", id, ok)
	}
	w.SetSignedIn(signedIn{AccountID: 7, DisplayName: "A", Authority: authorityLocal}, time.Unix(5, 0))
	if !w.SignedInAt().Equal(time.Unix(5, 0)) {
		t.Errorf("signed in at %v", w.SignedInAt())
	}
	if _, ok := w.LastLookup(); ok || w.Account() != 7 || w.LastSeen().Unix() != 5 {
		t.Errorf("after sign-in: account %d seen %v", w.Account(), w.LastSeen())
	}
	if _, ok := w.PopPendingLink(); ok {
		t.Error("a pending link in a session without one")
	}
}

// A number kept across an expired session shortens the anonymous session
// that keeps it to the draft's ten minutes, and is given back once, to
// its own account, within them.
func TestWebSessionDraft(t *testing.T) {
	sm := scs.New()
	sm.Lifetime = 12 * time.Hour
	ctx, err := sm.Load(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	w := webSession{sm: sm, ctx: ctx}
	now := time.Now()
	w.KeepDraft(7, "2 84 02 75 115 023", now)
	if d := sm.Deadline(ctx); d.After(now.Add(draftTTL)) {
		t.Errorf("the anonymous session keeping a number lives until %v, more than %v", d, draftTTL)
	}
	if _, ok := w.PopDraft(8, now); ok {
		t.Error("another account got the number")
	}
	w.KeepDraft(7, "2 84 02 75 115 023", now)
	if _, ok := w.PopDraft(7, now.Add(draftTTL+time.Second)); ok {
		t.Error("the number outlived its ten minutes")
	}
	w.KeepDraft(7, "2 84 02 75 115 023", now)
	if n, ok := w.PopDraft(7, now.Add(time.Minute)); !ok || n != "2 84 02 75 115 023" {
		t.Errorf("draft %q %v", n, ok)
	}
	if _, ok := w.PopDraft(7, now); ok || w.HasDraft() {
		t.Error("the number is given twice")
	}
}
