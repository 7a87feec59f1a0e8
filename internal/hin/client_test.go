package hin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/sandbox/hinsim"
)

func TestAuthCodeURL(t *testing.T) {
	e := newEnv(t)
	u, err := url.Parse(e.client.AuthCodeURL("st#+ate"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(u.Path, "/REST/v1/OAuth/GetAuthCode/hin_covercard") {
		t.Errorf("path %q", u.Path)
	}
	want := url.Values{"response_type": {"code"}, "client_id": {testClientID}, "redirect_uri": {testRedirectURI}, "state": {"st#+ate"}}
	if got := u.Query(); got.Encode() != want.Encode() {
		t.Errorf("query %v, want %v", got, want)
	}
	if got := e.client.ManualCodeURL(); got != e.srv.URL+"/sandbox/hin/apps?app=HinCredMgrOAuth&tokenGroup=hin_covercard" {
		t.Errorf("manual %q", got)
	}
}

func TestExchangeRedirect(t *testing.T) {
	e := newEnv(t)
	loc, _ := e.browse(e.client.AuthCodeURL("state-1"), "cmuster")
	if loc.Query().Get("state") != "state-1" {
		t.Fatalf("state %q", loc.Query().Get("state"))
	}
	code := loc.Query().Get("code")
	tok, err := e.client.Exchange(context.Background(), code, false)
	if err != nil {
		t.Fatal(err)
	}
	if tok.HINID != "cmuster" || tok.RefreshToken == "" || !tok.Expiry.Equal(e.clock.Now().Add(time.Hour)) {
		t.Fatalf("token %v", tok)
	}
	// The token works where HIN's tokens work.
	if info, err := e.sim.Introspect(tok.AccessToken); err != nil || info.HINID != "cmuster" || info.TokenGroup != testGroup {
		t.Fatalf("introspect %+v %v", info, err)
	}
	// A code is single-use.
	_, err = e.client.Exchange(context.Background(), code, false)
	var te *TokenError
	if !errors.Is(err, ErrRejected) || !errors.As(err, &te) || te.StatusCode != 400 || te.Code != "invalid_request" {
		t.Fatalf("reused code: %v", err)
	}
	assertNoSecrets(t, err, code)
}

func TestExchangeManual(t *testing.T) {
	e := newEnv(t)
	_, code := e.browse(e.client.ManualCodeURL(), "aakeret")
	if code == "" {
		t.Fatal("no code")
	}
	tok, err := e.client.Exchange(context.Background(), code, true)
	if err != nil {
		t.Fatal(err)
	}
	if tok.HINID != "aakeret" {
		t.Fatalf("hin_id %q", tok.HINID)
	}
	// Sent with the redirect URI, a manual code is refused.
	_, code = e.browse(e.client.ManualCodeURL(), "aakeret")
	if _, err := e.client.Exchange(context.Background(), code, false); !errors.Is(err, ErrRejected) {
		t.Fatalf("manual code with redirect_uri: %v", err)
	}
	// And a redirect code is refused without it.
	loc, _ := e.browse(e.client.AuthCodeURL("s"), "cmuster")
	if _, err := e.client.Exchange(context.Background(), loc.Query().Get("code"), true); !errors.Is(err, ErrRejected) {
		t.Fatalf("redirect code without redirect_uri: %v", err)
	}
}

// recordingEndpoint is a token endpoint that answers answer and keeps
// the raw request body.
func recordingEndpoint(t *testing.T, status int, contentType, answer string) (*httptest.Server, *string) {
	t.Helper()
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return srv, &body
}

func TestReservedCharactersSurviveTheForm(t *testing.T) {
	srv, body := recordingEndpoint(t, 200, "application/json", `{"access_token":"new#a+b/c=","expires_in":3600,"hin_id":"cmuster","token_type":"Bearer"}`)
	c := New(Config{TokenURL: srv.URL, ClientID: "ch.x", ClientSecret: "p#ss+w&rd=", RedirectURL: testRedirectURI}, nil)
	tok, err := c.Refresh(context.Background(), "old#refresh+token&x=y")
	if err != nil {
		t.Fatal(err)
	}
	form, err := url.ParseQuery(*body)
	if err != nil {
		t.Fatal(err)
	}
	if form.Get("refresh_token") != "old#refresh+token&x=y" || form.Get("client_secret") != "p#ss+w&rd=" || form.Get("grant_type") != "refresh_token" {
		t.Fatalf("form %v", form)
	}
	if !strings.Contains(*body, "%23") || !strings.Contains(*body, "%2B") {
		t.Fatalf("raw body %q not encoded", *body)
	}
	if tok.AccessToken != "new#a+b/c=" {
		t.Fatalf("access token %q", tok.AccessToken)
	}
	// HIN sent no new refresh token: the old one stays in use.
	if tok.RefreshToken != "old#refresh+token&x=y" {
		t.Fatalf("refresh token %q", tok.RefreshToken)
	}
}

func TestManualExchangeSendsEmptyRedirectURI(t *testing.T) {
	srv, body := recordingEndpoint(t, 200, "application/json", `{"access_token":"a","expires_in":60,"hin_id":"x","token_type":"Bearer"}`)
	c := New(Config{TokenURL: srv.URL, ClientID: "ch.x", ClientSecret: "s", RedirectURL: testRedirectURI}, nil)
	for _, manual := range []bool{true, false} {
		if _, err := c.Exchange(context.Background(), "c#o+de", manual); err != nil {
			t.Fatal(err)
		}
		form, _ := url.ParseQuery(*body)
		want := testRedirectURI
		if manual {
			want = ""
		}
		if _, present := form["redirect_uri"]; !present || form.Get("redirect_uri") != want {
			t.Errorf("manual=%v: redirect_uri %q present=%v", manual, form.Get("redirect_uri"), present)
		}
		if form.Get("code") != "c#o+de" || form.Get("client_id") != "ch.x" || form.Get("client_secret") != "s" {
			t.Errorf("form %v", form)
		}
	}
}

func TestAnswerDecoding(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		kind        error
		lifetime    time.Duration
	}{
		{"HIN's answer", 200, "application/json", `{"access_token":"RsT5#+","expires_in":3600,"hin_id":"cmuster","token_type":"Bearer"}`, nil, time.Hour},
		{"no expires_in", 200, "application/json", `{"access_token":"a","hin_id":"cmuster"}`, nil, time.Hour},
		{"expires_in as text", 200, "application/json", `{"access_token":"a","expires_in":"120"}`, nil, 2 * time.Minute},
		{"form answer", 200, "application/x-www-form-urlencoded", `access_token=a%23b&expires_in=60&token_type=bearer`, nil, time.Minute},
		{"no access token", 200, "application/json", `{"token_type":"Bearer"}`, ErrUnavailable, 0},
		{"not JSON", 200, "application/json", `<html>maintenance</html>`, ErrUnavailable, 0},
		{"MAC token", 200, "application/json", `{"access_token":"a","token_type":"mac"}`, ErrUnavailable, 0},
		{"token with a newline", 200, "application/json", `{"access_token":"a\nb"}`, ErrUnavailable, 0},
		{"token with a space", 200, "application/json", `{"access_token":"a b"}`, ErrUnavailable, 0},
		{"error in a 200", 200, "application/json", `{"error":"invalid_request"}`, ErrRejected, 0},
		{"invalid_request", 400, "application/json", `{"error":"invalid_request"}`, ErrRejected, 0},
		{"invalid_grant", 400, "application/json", `{"error":"invalid_grant"}`, ErrInvalidGrant, 0},
		{"forbidden", 403, "application/json", `{"error":"invalid_client"}`, ErrRejected, 0},
		{"not allowed", 404, "text/html", `<h1>Not found</h1>`, ErrRejected, 0},
		{"rate limited", 429, "application/json", `{"error":"rate_limited"}`, ErrRateLimited, 0},
		{"server error", 503, "text/html", `<h1>503</h1>`, ErrUnavailable, 0},
		{"redirect", 302, "text/html", ``, ErrUnavailable, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := recordingEndpoint(t, tt.status, tt.contentType, tt.body)
			clk := newClock()
			c := New(Config{TokenURL: srv.URL, ClientID: "ch.x", ClientSecret: "s3cr3t", RedirectURL: testRedirectURI, Now: clk.Now}, nil)
			tok, err := c.Exchange(context.Background(), "code", false)
			if tt.kind == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !tok.Expiry.Equal(clk.Now().Add(tt.lifetime)) {
					t.Fatalf("expiry %v", tok.Expiry.Sub(clk.Now()))
				}
				return
			}
			if !errors.Is(err, tt.kind) || tok != nil {
				t.Fatalf("err %v, want %v", err, tt.kind)
			}
			if strings.Contains(err.Error(), "maintenance") || strings.Contains(err.Error(), "<h1>") {
				t.Fatalf("error quotes the body: %v", err)
			}
		})
	}
}

func TestRefreshStatusesMeanSignInAgain(t *testing.T) {
	// HIN: a failed refresh, 400 or 403, means signing in again.
	for _, status := range []int{400, 403} {
		srv, _ := recordingEndpoint(t, status, "application/json", `{"error":"invalid_request"}`)
		c := New(Config{TokenURL: srv.URL, ClientID: "ch.x", ClientSecret: "s", RedirectURL: testRedirectURI}, nil)
		if _, err := c.Refresh(context.Background(), "rt"); !errors.Is(err, ErrInvalidGrant) {
			t.Errorf("%d: %v", status, err)
		}
	}
	c := New(Config{TokenURL: "http://127.0.0.1:1", ClientID: "ch.x", ClientSecret: "s"}, nil)
	if _, err := c.Refresh(context.Background(), ""); !errors.Is(err, ErrInvalidGrant) {
		t.Errorf("empty refresh token: %v", err)
	}
}

func TestRefreshAgainstHIN(t *testing.T) {
	e := newEnv(t)
	first := e.signIn("cmuster")
	e.clock.Advance(2 * time.Hour)
	second, err := e.client.Refresh(context.Background(), first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if second.RefreshToken == first.RefreshToken || second.HINID != "cmuster" || !second.Expiry.Equal(e.clock.Now().Add(time.Hour)) {
		t.Fatalf("second %v", second)
	}
	// Rotation: the old refresh token is spent.
	_, err = e.client.Refresh(context.Background(), first.RefreshToken)
	if !errors.Is(err, ErrInvalidGrant) {
		t.Fatalf("reuse: %v", err)
	}
	assertNoSecrets(t, err, first.RefreshToken, second.RefreshToken)
	if s := e.sim.Stats(); s.RefreshToken != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestTransportFailures(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		e := newEnv(t, func(c *hinsim.Config) { c.SlowDelay = time.Hour })
		cfg := e.config()
		cfg.HTTPTimeout = 50 * time.Millisecond
		c := New(cfg, nil)
		e.sim.Misbehave(hinsim.FaultSlow, 1)
		start := time.Now()
		_, err := c.ClientCredentials(context.Background(), testDeviceID, testDeviceSec, testGroup)
		if !errors.Is(err, ErrUnavailable) || time.Since(start) > 2*time.Second {
			t.Fatalf("%v after %v", err, time.Since(start))
		}
		assertNoSecrets(t, err)
	})
	t.Run("connection refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		c := New(Config{TokenURL: "http://" + addr + "/t", ClientID: "ch.x", ClientSecret: testSecret, RedirectURL: testRedirectURI}, nil)
		_, err = c.Exchange(context.Background(), "code", false)
		var te *TokenError
		if !errors.Is(err, ErrUnavailable) || !errors.As(err, &te) || te.StatusCode != 0 {
			t.Fatalf("%v", err)
		}
		assertNoSecrets(t, err, "code")
	})
	t.Run("caller gives up", func(t *testing.T) {
		e := newEnv(t, func(c *hinsim.Config) { c.SlowDelay = time.Hour })
		e.sim.Misbehave(hinsim.FaultSlow, 1)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		if _, err := e.client.ClientCredentials(ctx, testDeviceID, testDeviceSec, testGroup); !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%v", err)
		}
	})
	for _, f := range []hinsim.Fault{hinsim.FaultServerError, hinsim.FaultGarbage, hinsim.FaultIncomplete} {
		t.Run(f.String(), func(t *testing.T) {
			e := newEnv(t)
			e.sim.Misbehave(f, 1)
			_, err := e.client.ClientCredentials(context.Background(), testDeviceID, testDeviceSec, testGroup)
			if !errors.Is(err, ErrUnavailable) {
				t.Fatalf("%v", err)
			}
		})
	}
}

func TestClientCredentialsAgainstHIN(t *testing.T) {
	e := newEnv(t)
	tok, err := e.client.ClientCredentials(context.Background(), testDeviceID, testDeviceSec, testGroup)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := e.sim.Introspect(tok.AccessToken); err != nil || !info.ClientCredentials {
		t.Fatalf("%+v %v", info, err)
	}
	// Too soon for HIN: a visible, categorised error with HIN's delay.
	_, err = e.client.ClientCredentials(context.Background(), testDeviceID, testDeviceSec, testGroup)
	var te *TokenError
	if !errors.Is(err, ErrRateLimited) || !errors.Is(err, ErrUnavailable) || !errors.As(err, &te) || te.RetryAfter != 4*time.Second {
		t.Fatalf("%v", err)
	}
	tests := []struct {
		name, id, secret, group string
		status                  int
	}{
		{"wrong secret", testDeviceID, "nope", testGroup, 403},
		{"unknown group", testDeviceID, testDeviceSec, "nope", 404},
	}
	for _, tt := range tests {
		_, err := e.client.ClientCredentials(context.Background(), tt.id, tt.secret, tt.group)
		if !errors.Is(err, ErrRejected) || !errors.As(err, &te) || te.StatusCode != tt.status {
			t.Errorf("%s: %v", tt.name, err)
		}
		assertNoSecrets(t, err, "nope")
	}
}

func TestEchoingServerLeaksNothing(t *testing.T) {
	// A server that echoes the request into its error: nothing of the
	// body reaches the error message.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		_, _ = io.WriteString(w, `{"error":"invalid_request","error_description":"bad request: `+string(b)+`"}`)
	}))
	defer srv.Close()
	c := New(Config{TokenURL: srv.URL, ClientID: "ch.x", ClientSecret: testSecret, RedirectURL: testRedirectURI}, nil)
	_, err := c.Exchange(context.Background(), "the-code", false)
	if !errors.Is(err, ErrRejected) {
		t.Fatal(err)
	}
	assertNoSecrets(t, err, "the-code", url.QueryEscape(testSecret))
	_, err = c.ClientCredentials(context.Background(), "dev", testDeviceSec, "g")
	assertNoSecrets(t, err, url.QueryEscape(testDeviceSec))
}

func TestEmptyCodeSendsNothing(t *testing.T) {
	srv, body := recordingEndpoint(t, 200, "application/json", `{"access_token":"a"}`)
	c := New(Config{TokenURL: srv.URL, ClientID: "ch.x", ClientSecret: "s"}, nil)
	if _, err := c.Exchange(context.Background(), "", false); !errors.Is(err, ErrRejected) {
		t.Fatal(err)
	}
	if *body != "" {
		t.Fatal("a request went out")
	}
}

func TestErrorCodeCleaned(t *testing.T) {
	srv, _ := recordingEndpoint(t, 400, "application/json", `{"error":"bad\n\u001b[31mcode with spaces and a very long tail that goes on and on"}`)
	c := New(Config{TokenURL: srv.URL, ClientID: "ch.x", ClientSecret: "s"}, nil)
	_, err := c.Exchange(context.Background(), "code", false)
	var te *TokenError
	if !errors.As(err, &te) || strings.ContainsAny(te.Code, " \n\x1b") || len(te.Code) > 45 {
		t.Fatalf("code %q", te.Code)
	}
}

func TestRetryAfter(t *testing.T) {
	tests := map[string]time.Duration{"": 0, "3": 3 * time.Second, " 2 ": 2 * time.Second, "-1": 0, "abc": 0, "3600": time.Minute,
		"Wed, 21 Oct 2015 07:28:00 GMT": 0}
	for in, want := range tests {
		if got := retryAfter(in); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestTokenNeverPrinted(t *testing.T) {
	tok := Token{AccessToken: "acc#ess", RefreshToken: "ref+resh", HINID: "cmuster", Expiry: time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)}
	var log strings.Builder
	logger := slogText(&log)
	logger.Info("token", "tok", tok)
	for _, s := range []string{tok.String(), tok.GoString(), log.String(), fmtV(tok), fmtV(&tok)} {
		if strings.Contains(s, "acc#ess") || strings.Contains(s, "ref+resh") {
			t.Fatalf("printed %q", s)
		}
		if !strings.Contains(s, "cmuster") {
			t.Fatalf("printed %q without hin_id", s)
		}
	}
}

func TestObserveHearsEveryTokenRequest(t *testing.T) {
	var heard []string
	c := New(Config{TokenURL: "http://127.0.0.1:1/token", ClientID: "a", ClientSecret: "b", HTTPTimeout: time.Second,
		Observe: func(op Op, err error) { heard = append(heard, fmt.Sprint(op, " ", err != nil)) }}, nil)
	_, _ = c.Refresh(context.Background(), "r")
	_, _ = c.ClientCredentials(context.Background(), "a", "b", "hin_covercard")
	if strings.Join(heard, ",") != "refresh true,client credentials true" {
		t.Errorf("heard %q", heard)
	}
}

// TestEveryTokenRequestAcceptsJSON: HIN's documents send Accept:
// application/json with every token request; x/oauth2 sends only the
// Content-Type. The base client's own transport (here the TLS test
// server's) still carries the request, and the base is left as it was.
func TestEveryTokenRequestAcceptsJSON(t *testing.T) {
	var mu sync.Mutex
	accepts := map[string]string{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		mu.Lock()
		accepts[r.PostForm.Get("grant_type")] = r.Header.Get("Accept")
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"access_token":"a","expires_in":60,"hin_id":"x","token_type":"Bearer","refresh_token":"r"}`)
	}))
	t.Cleanup(srv.Close)
	base := srv.Client()
	transport := base.Transport
	c := New(Config{TokenURL: srv.URL, ClientID: "ch.x", ClientSecret: "s", RedirectURL: testRedirectURI}, base)
	ctx := context.Background()
	if _, err := c.Exchange(ctx, "code", false); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Refresh(ctx, "r"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ClientCredentials(ctx, testDeviceID, testDeviceSec, testGroup); err != nil {
		t.Fatal(err)
	}
	for _, grant := range []string{"authorization_code", "refresh_token", "client_credentials"} {
		if got := accepts[grant]; got != "application/json" {
			t.Errorf("%s: Accept %q, want application/json", grant, got)
		}
	}
	if base.Transport != transport {
		t.Error("the caller's client was modified")
	}
}
