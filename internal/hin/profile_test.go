package hin

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
)

// sdsEnv is the HIN simulator with the demo client allowed hin_sds and
// Claudia Muster given a GLN; it returns a hin_sds token of hinID.
func sdsToken(t *testing.T, hinID string) (*env, string) {
	t.Helper()
	e := newEnv(t, func(c *hinsim.Config) {
		c.Clients[0].TokenGroups = append(c.Clients[0].TokenGroups, SDSTokenGroup)
		c.Identities[0].GLN, c.Identities[0].VerificationLevel = "7601001000018", "verified"
	})
	cfg := e.config()
	cfg.TokenGroup = SDSTokenGroup
	sds := New(cfg, e.srv.Client())
	loc, _ := e.browse(sds.AuthCodeURL("state-sds"), hinID)
	tok, err := sds.Exchange(context.Background(), loc.Query().Get("code"), false)
	if err != nil {
		t.Fatal(err)
	}
	return e, tok.AccessToken
}

func TestProfileFromTheSandboxDirectory(t *testing.T) {
	e, token := sdsToken(t, "cmuster")
	pc, err := NewProfileClient(e.sim.SDSURL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pc.Self(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	if p.LoginName != "cmuster" || p.DisplayName() != "Claudia Muster" || p.GLN != "7601001000018" || p.VerificationLevel != "verified" {
		t.Errorf("profile %+v", p)
	}
	// A Covercard token is refused by the directory; an expired one too.
	cc := e.signIn("cmuster")
	if _, err := pc.Self(context.Background(), cc.AccessToken); !errors.Is(err, ErrProfileForbidden) {
		t.Errorf("hin_covercard token: %v", err)
	}
	e.clock.Advance(time.Hour)
	_, err = pc.Self(context.Background(), token)
	var pe *ProfileError
	if !errors.Is(err, ErrProfileToken) || !errors.As(err, &pe) || pe.StatusCode != 401 {
		t.Errorf("expired token: %v", err)
	}
	assertNoSecrets(t, err, token)
	if _, err := pc.Self(context.Background(), ""); !errors.Is(err, ErrProfileToken) {
		t.Errorf("no token: %v", err)
	}
}

func TestProfileClientFailures(t *testing.T) {
	var redirected atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { redirected.Add(1) }))
	defer elsewhere.Close()
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		want    error
	}{
		{"403", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(403) }, ErrProfileForbidden},
		{"400 no header", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(400) }, ErrProfileToken},
		{"500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }, ErrProfileUnavailable},
		{"HTML", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "<html>maintenance</html>") }, ErrProfileUnavailable},
		{"no loginName", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, `{"contactId":{}}`) }, ErrProfileUnavailable},
		{"redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, elsewhere.URL, http.StatusFound) }, ErrProfileUnavailable},
		{"too large", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, `{"loginName":"`+strings.Repeat("a", maxProfileBytes)+`","contactId":{}}`)
		}, ErrProfileUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != SelfPath || r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Accept") != "application/json" {
					t.Errorf("request %s %v", r.URL.Path, r.Header)
				}
				tc.handler(w, r)
			}))
			defer srv.Close()
			pc, err := NewProfileClient(srv.URL+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pc.Self(context.Background(), "tok"); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	if redirected.Load() != 0 {
		t.Error("the token followed a redirect")
	}
	pc, _ := NewProfileClient("http://127.0.0.1:1", nil)
	if _, err := pc.Self(context.Background(), "tok"); !errors.Is(err, ErrProfileUnavailable) {
		t.Errorf("unreachable: %v", err)
	}
	for _, bad := range []string{"http://sds.example", "ftp://x", "https://user:pw@sds.example"} {
		if _, err := NewProfileClient(bad, nil); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if pc, err := NewProfileClient("", nil); err != nil || pc.SelfURL() != "https://oauth2.sds.hin.ch/api/public/v1/self/" {
		t.Errorf("default: %v %v", pc, err)
	}
}

func TestDecodeProfile(t *testing.T) {
	p, err := DecodeProfile([]byte(`{"loginName":" cmuster ","email":"c@hin.ch","extra":1,"contactId":{"firstName":"Claudia","middleName":null,
		"lastName":"Muster\u0007","gender":"F","dateOfBirth":"1970-03-04T00:00:00","gln":"7601001000018","verificationLevel":"L3","phoneNr":"+41 31 000 00 00"}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Profile{LoginName: "cmuster", Email: "c@hin.ch", FirstName: "Claudia", LastName: "Muster", Gender: "F",
		DateOfBirth: "1970-03-04", GLN: "7601001000018", VerificationLevel: "L3", Phone: "+41 31 000 00 00"}
	if p != want {
		t.Errorf("got %+v\nwant %+v", p, want)
	}
	// A wrong check digit drops the GLN, not the profile; a bad date the date.
	p, err = DecodeProfile([]byte(`{"loginName":"x","contactId":{"gln":"7601001000019","dateOfBirth":"04.03.1970"}}`))
	if err != nil || p.GLN != "" || p.DateOfBirth != "" {
		t.Errorf("%+v %v", p, err)
	}
	for _, bad := range []string{``, `[]`, `{"loginName":"x"}`, `{"loginName":"","contactId":{}}`, `{"loginName":"x","contactId":{}} {}`, `{"loginName":1,"contactId":{}}`} {
		if _, err := DecodeProfile([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestValidGLN(t *testing.T) {
	for s, want := range map[string]bool{
		"7601001000018": true, "7601001000025": true, "4006381333931": true, // an EAN-13 computes the same way
		"7601001000019": false, "760100100001": false, "760100100001a": false, "": false, "76010010000180": false,
	} {
		if ValidGLN(s) != want {
			t.Errorf("ValidGLN(%q) != %v", s, want)
		}
	}
}
