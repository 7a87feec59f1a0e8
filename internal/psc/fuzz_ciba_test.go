package psc_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/psc"
)

// answering is a provider whose CIBA and token endpoints answer whatever
// the fuzzer says.
type answering struct {
	mu     sync.Mutex
	status int
	body   []byte
}

func (a *answering) set(status int, body []byte) {
	a.mu.Lock()
	a.status, a.body = 100+(status%500+500)%500, body
	if a.status < 200 {
		a.status += 100 // 1xx are not final answers
	}
	a.mu.Unlock()
}

func fuzzClient(f *testing.F) (*psc.Client, *answering) {
	a := &answering{status: 200}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		defer a.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	}))
	f.Cleanup(srv.Close)
	c, err := psc.New(psc.Config{Issuer: srv.URL, ClientID: clientID, ClientSecret: secret, RedirectURL: redirect,
		AuthURL: srv.URL + "/auth", TokenURL: srv.URL + "/token", UserinfoURL: srv.URL + "/userinfo", JWKSURL: srv.URL + "/certs",
		Fallback: psc.Endpoints{CIBA: srv.URL + "/ciba"}, HTTPTimeout: 2 * time.Second}, nil)
	if err != nil {
		f.Fatal(err)
	}
	return c, a
}

// FuzzCIBAStartAnswer: whatever PSC answers a decoupled sign-in request,
// the client returns a usable start or a classified error.
func FuzzCIBAStartAnswer(f *testing.F) {
	for _, seed := range []struct {
		status int
		body   string
	}{
		{200, `{"auth_req_id":"abc","expires_in":120,"interval":5}`},
		{200, `{"auth_req_id":"abc","expires_in":120}`},
		{200, `{"auth_req_id":"","expires_in":-1,"interval":1e300}`},
		{400, `{"error":"unknown_user_id"}`},
		{400, `{"error":"invalid_binding_message"}`},
		{401, `{"error":"invalid_client"}`},
		{503, `<html>`},
		{200, `null`},
	} {
		f.Add(seed.status, []byte(seed.body))
	}
	c, a := fuzzClient(f)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		a.set(status, body)
		start, err := c.StartCIBA(context.Background(), psc.CIBARequest{IDNat: virginie, BindingMessage: "42"})
		if err != nil {
			if !errors.Is(err, psc.ErrRejected) && !errors.Is(err, psc.ErrUnavailable) && !errors.Is(err, psc.ErrUnknownProfessional) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if start.AuthReqID == "" || start.Interval < 5*time.Second || !start.Expires.After(time.Now()) {
			t.Fatalf("accepted %+v", start)
		}
	})
}

// FuzzCIBAPollAnswer: whatever the token endpoint answers a poll, the
// outcome is a known status or a classified error, and never a sign-in
// without a verified ID token.
func FuzzCIBAPollAnswer(f *testing.F) {
	for _, seed := range []struct {
		status int
		body   string
	}{
		{400, `{"error":"authorization_pending"}`},
		{400, `{"error":"slow_down"}`},
		{400, `{"error":"expired_token"}`},
		{403, `{"error":"access_denied"}`},
		{400, `{"error":"invalid_grant"}`},
		{200, `{"access_token":"a","token_type":"Bearer","id_token":"x.y.z"}`},
		{200, `{"access_token":"a","token_type":"Bearer"}`},
		{500, ``},
	} {
		f.Add(seed.status, []byte(seed.body))
	}
	c, a := fuzzClient(f)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		a.set(status, body)
		poll, err := c.PollCIBA(context.Background(), "req", 5*time.Second)
		if err != nil {
			if !errors.Is(err, psc.ErrRejected) && !errors.Is(err, psc.ErrUnavailable) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		switch poll.Status {
		case psc.CIBAPending, psc.CIBASlowDown:
			if poll.Interval < 5*time.Second {
				t.Fatalf("interval %s", poll.Interval)
			}
		case psc.CIBADenied, psc.CIBAExpired:
		default:
			t.Fatalf("outcome %+v from %d %q", poll, status, body)
		}
	})
}

// FuzzCheckLogoutReturn: a return is accepted only with the state sent,
// or without any for a logout pending in this browser.
func FuzzCheckLogoutReturn(f *testing.F) {
	for _, seed := range []struct{ query, pending string }{{"state=s1", "s1"}, {"", "s1"}, {"state=", "s1"}, {"state=s1&state=s2", "s2"}, {"%zz", ""}} {
		f.Add(seed.query, seed.pending)
	}
	now := time.Now()
	f.Fuzz(func(t *testing.T, rawQuery, pending string) {
		q, _ := url.ParseQuery(rawQuery)
		noState, err := psc.CheckLogoutReturn(q, pending, now.Add(-time.Minute), now)
		if err != nil {
			return
		}
		if pending == "" || (q.Get("state") != pending && (q.Get("state") != "" || !noState)) {
			t.Fatalf("accepted %q for pending %q", rawQuery, pending)
		}
	})
}

// FuzzPKCS12 reads any file as a PKCS#12 client certificate: an error or
// a certificate, never a panic.
func FuzzPKCS12(f *testing.F) {
	f.Add([]byte("not pkcs12"), "pw")
	f.Add([]byte{0x30, 0x82, 0x01, 0x00}, "")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, raw []byte, password string) {
		file := filepath.Join(dir, "fuzz.p12")
		if err := os.WriteFile(file, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		_, _ = psc.CertificateWarnings(psc.Config{ClientID: "x", ClientCertFile: file, ClientCertPassword: password}, time.Now())
	})
}
