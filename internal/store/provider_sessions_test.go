package store_test

import (
	"context"
	"slices"
	"testing"
	"time"
)

func testProviderSessions(t *testing.T, db database) {
	s := db.open(t)
	ctx := context.Background()
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
		if err := s.RecordProviderSession(ctx, r.provider, r.sid, r.sub, r.token, exp); err != nil {
			t.Fatal(err)
		}
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
		got, err := s.TakeProviderSessions(ctx, tc.provider, tc.sid, tc.sub)
		slices.Sort(got)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v %v, want %v", tc.name, got, err, tc.want)
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
		{"psc", "sid1", "sub1", "tokA"},
		{"psc", "sid1", "sub1", "tokB"},
		{"psc", "sid2", "sub1", "tokC"},
		{"hin", "sid1", "sub1", "tokD"},
	} {
		if err := ss.Commit(r.token, []byte("{}"), exp); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordProviderSession(ctx, r.provider, r.sid, r.sub, r.token, exp); err != nil {
			t.Fatal(err)
		}
	}
	if err := ss.Commit("tokLocal", []byte("{}"), exp); err != nil {
		t.Fatal(err)
	}
	other := db.open(t).SessionStore() // another instance
	live := func(want ...string) {
		t.Helper()
		for _, tok := range []string{"tokA", "tokB", "tokC", "tokD", "tokLocal"} {
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
	live("tokA", "tokB", "tokC", "tokD", "tokLocal")

	for _, tc := range []struct {
		name, sid, sub string
		want           int
		live           []string
	}{
		{"by sid", "sid1", "", 2, []string{"tokC", "tokD", "tokLocal"}},
		{"the same sid again", "sid1", "", 0, []string{"tokC", "tokD", "tokLocal"}},
		{"by subject", "", "sub1", 1, []string{"tokD", "tokLocal"}},
		{"neither sid nor subject", "", "", 0, []string{"tokD", "tokLocal"}},
	} {
		if n, err := s.EndProviderSessions(ctx, "psc", tc.sid, tc.sub); err != nil || n != tc.want {
			t.Errorf("%s: ended %d (%v), want %d", tc.name, n, err, tc.want)
		}
		live(tc.live...)
	}
}
