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
}
