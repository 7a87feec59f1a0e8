package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/store"
)

func testProviderSessions(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	ss := s.SessionStore()
	exp := time.Now().Add(time.Hour)
	for _, r := range []struct{ provider, sid, sub, token string }{
		{"psc", "sid1", "sub1", "tokA"},
		{"psc", "sid1", "sub1", "tokB"},
		{"psc", "sid2", "sub1", "tokC"},
		{"psc", "sid3", "sub2", "tokD"},
		{"hin", "sid1", "sub1", "tokE"}, // the same names at another authority
		{"psc", "", "sub3", "tokF"},     // an authority that gave no sid
		{"psc", "sid4", "sub4", "tokG"},
		{"psc", "sid5", "sub5", "tokG"}, // recorded again: the latest mapping holds
	} {
		if err := ss.Commit(r.token, []byte("{}"), exp); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordProviderSession(ctx, store.ProviderSession{Provider: r.provider, SID: r.sid, Subject: r.sub, SessionToken: r.token, ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
	}
	live := func(token string) bool {
		t.Helper()
		_, found, err := ss.Find(token)
		if err != nil {
			t.Fatal(err)
		}
		return found
	}
	if err := s.ForgetSessionToken(ctx, "tokD"); err != nil {
		t.Fatal(err)
	}
	if err := s.ForgetSessionToken(ctx, "never-recorded"); err != nil {
		t.Errorf("forgetting an unknown token: %v", err)
	}
	for _, tc := range []struct {
		name, provider, sid, sub string
		want                     []string
	}{
		{"by sid", "psc", "sid1", "", []string{"tokA", "tokB"}},
		{"the same sid again", "psc", "sid1", "", nil},
		{"sid wins over subject", "psc", "sid2", "sub-other", []string{"tokC"}},
		{"by subject", "psc", "", "sub3", []string{"tokF"}},
		{"forgotten token", "psc", "", "sub2", nil},
		{"other authority", "hin", "sid1", "", []string{"tokE"}},
		{"replaced mapping", "psc", "sid4", "", nil},
		{"latest mapping", "psc", "", "sub5", []string{"tokG"}},
		{"neither sid nor subject", "psc", "", "", nil},
	} {
		// The sessions ended are those of want: each live before, gone
		// after, and no other.
		for _, tok := range tc.want {
			if !live(tok) {
				t.Errorf("%s: session %s ended before its provider session", tc.name, tok)
			}
		}
		n, err := s.EndProviderSessions(ctx, tc.provider, tc.sid, tc.sub)
		var still []string
		for _, tok := range tc.want {
			if live(tok) {
				still = append(still, tok)
			}
		}
		if err != nil || n != len(tc.want) || len(still) > 0 {
			t.Errorf("%s: ended %d (%v), %v still live, want %v ended", tc.name, n, err, still, tc.want)
		}
	}
	t.Run("End", func(t *testing.T) { testEndProviderSessions(t, db) })
}

// A back-channel logout ends the local sessions themselves, for every
// instance sharing the database, and nothing else.
func testEndProviderSessions(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	ss := s.SessionStore()
	exp := time.Now().Add(time.Hour)
	for _, r := range []struct{ provider, sid, sub, token string }{
		{"psc", "sid1", "sub1", "endA"},
		{"psc", "sid1", "sub1", "endB"},
		{"psc", "sid2", "sub1", "endC"},
		{"hin", "sid1", "sub1", "endD"},
	} {
		if err := ss.Commit(r.token, []byte("{}"), exp); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordProviderSession(ctx, store.ProviderSession{Provider: r.provider, SID: r.sid, Subject: r.sub, SessionToken: r.token, ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ss.Commit("endLocal", []byte("{}"), exp); err != nil {
		t.Fatal(err)
	}
	// Another instance, reading the database on every Find (the cache's
	// coherence across instances has tests of its own).
	other := db.open(t, store.WithoutSessionCache()).SessionStore()
	live := func(want ...string) {
		t.Helper()
		for _, tok := range []string{"endA", "endB", "endC", "endD", "endLocal"} {
			_, found, err := other.Find(tok)
			if err != nil || found != slices.Contains(want, tok) {
				t.Errorf("session %s found %v (%v), want the live ones to be %v", tok, found, err, want)
			}
		}
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if n, err := s.EndProviderSessions(cancelled, "psc", "sid1", ""); err == nil || n != 0 {
		t.Errorf("a cancelled request ended %d sessions (%v)", n, err)
	}
	live("endA", "endB", "endC", "endD", "endLocal")

	for _, tc := range []struct {
		name, sid, sub string
		want           int
		live           []string
	}{
		{"by sid", "sid1", "", 2, []string{"endC", "endD", "endLocal"}},
		{"the same sid again", "sid1", "", 0, []string{"endC", "endD", "endLocal"}},
		{"by subject", "", "sub1", 1, []string{"endD", "endLocal"}},
		{"neither sid nor subject", "", "", 0, []string{"endD", "endLocal"}},
	} {
		if n, err := s.EndProviderSessions(ctx, "psc", tc.sid, tc.sub); err != nil || n != tc.want {
			t.Errorf("%s: ended %d (%v), want %d", tc.name, n, err, tc.want)
		}
		live(tc.live...)
	}
}

// A provider session's record keeps the sign-in's ID token and claims,
// read by its own session token only, until its logout, a back-channel
// logout or its expiry.
func testProviderSessionData(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	exp := now.Add(time.Hour)
	rec := func(sid, token string, idToken []byte, claims string, exp time.Time) store.ProviderSession {
		t.Helper()
		p := store.ProviderSession{Provider: "psc", SID: sid, Subject: "sub-" + sid, SessionToken: token, ExpiresAt: exp, IDToken: idToken, Claims: claims}
		if err := s.RecordProviderSession(ctx, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := rec("sid1", "tokA", []byte{0, 1, 2, 0xff}, `{"claims":[{"name":"a"}]}`, exp)
	b := rec("sid2", "tokB", []byte("sealed-b"), `{"claims":[{"name":"b"}]}`, exp)
	none := rec("sid3", "tokNone", nil, "", exp) // nothing said
	rec("sid4", "tokOld", []byte("sealed-old"), `{}`, now)
	for _, want := range []store.ProviderSession{a, b, none} {
		got, err := s.ProviderSession(ctx, want.SessionToken, now)
		if err != nil || got.Provider != want.Provider || got.SID != want.SID || got.Subject != want.Subject ||
			!got.ExpiresAt.Equal(want.ExpiresAt) || !slices.Equal(got.IDToken, want.IDToken) || got.Claims != want.Claims {
			t.Errorf("%s: read %+v (%v), want %+v", want.SessionToken, got, err, want)
		}
	}
	if got, _ := s.ProviderSession(ctx, "tokNone", now); got.IDToken != nil {
		t.Errorf("no ID token reads as %q", got.IDToken)
	}
	for _, tc := range []struct{ name, token string }{{"unknown", "never-recorded"}, {"expired", "tokOld"}} {
		_, err := s.ProviderSession(ctx, tc.token, now)
		mustErr(t, tc.name, err, store.ErrNotFound)
	}

	// Recorded again (a new sign-in with the same token): the latest holds.
	b = rec("sid5", "tokB", []byte("sealed-b2"), `{"claims":[{"name":"b2"}]}`, exp.Add(time.Hour))
	if got, err := s.ProviderSession(ctx, "tokB", now); err != nil || got.SID != "sid5" || string(got.IDToken) != "sealed-b2" || got.Claims != b.Claims || !got.ExpiresAt.Equal(b.ExpiresAt) {
		t.Errorf("recorded again: %+v %v", got, err)
	}

	// A logout forgets them, a back-channel logout too.
	if err := s.ForgetSessionToken(ctx, "tokA"); err != nil {
		t.Fatal(err)
	}
	_, err := s.ProviderSession(ctx, "tokA", now)
	mustErr(t, "after the logout", err, store.ErrNotFound)
	if n, err := s.EndProviderSessions(ctx, "psc", "sid5", ""); err != nil || n != 1 {
		t.Fatalf("back-channel logout ended %d (%v)", n, err)
	}
	_, err = s.ProviderSession(ctx, "tokB", now)
	mustErr(t, "after the back-channel logout", err, store.ErrNotFound)

	// The sweep takes the expired record, ID token and claims with it.
	if n, err := s.Sweep(ctx, now); err != nil || n != 1 {
		t.Errorf("swept %d rows, want 1 (%v)", n, err)
	}
	var left int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM provider_sessions WHERE session_token = 'tokOld'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("the expired record is still there: %d %v", left, err)
	}
	if _, err := s.ProviderSession(ctx, "tokNone", now); err != nil {
		t.Errorf("a live record was swept: %v", err)
	}
}
