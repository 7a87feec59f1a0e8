package pscsim_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

const (
	clientID = "rp"
	secret   = "rp-secret#+&"
	redirect = "https://rp.example/callback"
	virginie = "899700218896"
)

type env struct {
	now    *time.Time
	p      *pscsim.Provider
	srv    *httptest.Server
	issuer string
	// backchannel receives logout tokens.
	backchannel chan string
}

func start(t *testing.T, asJWT bool) *env {
	t.Helper()
	now := time.Now()
	e := &env{backchannel: make(chan string, 4), now: &now}
	bc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		e.backchannel <- r.PostForm.Get("logout_token")
	}))
	t.Cleanup(bc.Close)
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.issuer = e.srv.URL + "/sandbox/psc/auth/realms/esante-wallet"
	pros, err := pscsim.LoadProfessionals(data.Files, "sandbox/psc-professionals.json")
	if err != nil {
		t.Fatal(err)
	}
	e.p, err = pscsim.New(pscsim.Config{
		Issuer: e.issuer, KeyFile: filepath.Join(t.TempDir(), "psc.pem"), Professionals: pros,
		Clients: []pscsim.Client{{ID: clientID, Secret: secret, RedirectURIs: []string{redirect},
			PostLogoutRedirectURIs: []string{"https://rp.example/bye"}, BackchannelLogoutURI: bc.URL, UserinfoAsJWT: asJWT}},
		SlowDelay: 2 * time.Second,
		Now:       func() time.Time { return *e.now },
	})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/sandbox/psc/", e.p)
	return e
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

var pendingRE = regexp.MustCompile(`name="pending" value="([^"]+)"`)

// authorize drives the e-CPS page: picks idNat, types code, returns the
// redirect back to the client.
func (e *env) authorize(t *testing.T, authURL, idNat, code, action string) *url.URL {
	t.Helper()
	resp, err := noRedirect.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := pendingRE.FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("authorization page: %d %s", resp.StatusCode, body)
	}
	resp, err = noRedirect.PostForm(authURL, url.Values{"pending": {string(m[1])}, "professional": {idNat}, "code": {code}, "action": {action}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return nil
	}
	u, _ := url.Parse(resp.Header.Get("Location"))
	return u
}

// TestStandardClientSignsIn proves the simulator is a standard provider:
// golang.org/x/oauth2 and go-oidc alone, no InfoPatient code.
func TestStandardClientSignsIn(t *testing.T) {
	for _, asJWT := range []bool{false, true} {
		e := start(t, asJWT)
		ctx := context.Background()
		provider, err := oidc.NewProvider(ctx, e.issuer)
		if err != nil {
			t.Fatal(err)
		}
		conf := oauth2.Config{ClientID: clientID, ClientSecret: secret, Endpoint: provider.Endpoint(), RedirectURL: redirect, Scopes: []string{oidc.ScopeOpenID, "scope_all"}}
		verifier := oauth2.GenerateVerifier()
		back := e.authorize(t, conf.AuthCodeURL("st4te", oidc.Nonce("n0nce"), oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("acr_values", "eidas1")), virginie, pscsim.CardCode, "sign-in")
		if back == nil || back.Query().Get("state") != "st4te" || back.Query().Get("iss") != e.issuer {
			t.Fatalf("redirect back %v", back)
		}
		tok, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := tok.Extra("id_token").(string)
		idt, err := provider.Verifier(&oidc.Config{ClientID: clientID}).Verify(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		_ = idt.Claims(&m)
		if m["nonce"] != "n0nce" || m["acr"] != "eidas1" || m["preferred_username"] != virginie || m["sid"] == "" || !strings.HasPrefix(idt.Subject, "f:") || !strings.HasSuffix(idt.Subject, ":"+virginie) {
			t.Errorf("ID token claims %v", m)
		}
		if time.Until(tok.Expiry) > 121*time.Second || time.Until(tok.Expiry) < 100*time.Second || tok.RefreshToken == "" {
			t.Errorf("access token lifetime %s, refresh %q", time.Until(tok.Expiry), tok.RefreshToken)
		}
		if !asJWT {
			ui, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
			if err != nil {
				t.Fatal(err)
			}
			var info map[string]any
			_ = ui.Claims(&info)
			if ui.Subject != idt.Subject || info["SubjectNameID"] != virginie || info["SubjectRefPro"] == nil || info["otherIds"] == nil {
				t.Errorf("userinfo %v", info)
			}
		} else {
			req, _ := http.NewRequest("GET", provider.UserInfoEndpoint(), nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.Header.Get("Content-Type") != "application/jwt" {
				t.Fatalf("userinfo content type %q", resp.Header.Get("Content-Type"))
			}
			keys := oidc.NewRemoteKeySet(ctx, e.issuer+"/protocol/openid-connect/certs")
			payload, err := keys.VerifySignature(ctx, string(body))
			if err != nil || !strings.Contains(string(payload), `"sub":"`+idt.Subject+`"`) {
				t.Errorf("signed userinfo: %v %s", err, payload)
			}
		}
		// Refresh rotates.
		ts := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Hour)})
		if nt, err := ts.Token(); err != nil || nt.RefreshToken == tok.RefreshToken {
			t.Errorf("refresh: %v", err)
		}
		if _, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Hour)}).Token(); err == nil {
			t.Error("a used refresh token worked again")
		}
	}
}

func form(v ...string) url.Values {
	out := url.Values{}
	for i := 0; i+1 < len(v); i += 2 {
		out.Set(v[i], v[i+1])
	}
	return out
}

func (e *env) code(t *testing.T, extra url.Values) string {
	t.Helper()
	q := form("client_id", clientID, "redirect_uri", redirect, "response_type", "code", "scope", "openid scope_all", "state", "s", "nonce", "n")
	for k, v := range extra {
		q[k] = v
	}
	back := e.authorize(t, e.issuer+"/protocol/openid-connect/auth?"+q.Encode(), virginie, pscsim.CardCode, "sign-in")
	if back == nil {
		t.Fatal("no code")
	}
	return back.Query().Get("code")
}

func (e *env) token(t *testing.T, v url.Values, basic bool) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", e.issuer+"/protocol/openid-connect/token", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func TestTokenEndpointRefusals(t *testing.T) {
	e := start(t, false)
	verifier := oauth2.GenerateVerifier()
	challenge := oauth2.S256ChallengeFromVerifier(verifier)
	pkce := form("code_challenge", challenge, "code_challenge_method", "S256")

	code := e.code(t, pkce)
	if st, m := e.token(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect, "code_verifier", "wrong-verifier-wrong-verifier-wrong-verifier"), true); st != 400 || m["error"] != "invalid_grant" {
		t.Errorf("PKCE mismatch: %d %v", st, m)
	}
	if st, _ := e.token(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect, "code_verifier", verifier), true); st != 400 {
		t.Errorf("a code refused once was accepted later: %d", st)
	}

	code = e.code(t, pkce)
	good := form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect, "code_verifier", verifier)
	if st, m := e.token(t, form("grant_type", "authorization_code", "code", code, "client_id", clientID, "client_secret", "nope"), false); st != 401 || m["error"] != "invalid_client" {
		t.Errorf("wrong secret: %d %v", st, m)
	}
	post := form("client_id", clientID, "client_secret", secret)
	for k, v := range good {
		post[k] = v
	}
	if st, m := e.token(t, post, false); st != 200 || m["id_token"] == nil {
		t.Errorf("client_secret_post: %d %v", st, m)
	}
	if st, m := e.token(t, good, true); st != 400 || m["error"] != "invalid_grant" {
		t.Errorf("code reuse: %d %v", st, m)
	}

	code = e.code(t, nil)
	if st, _ := e.token(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", "https://rp.example/other"), true); st != 400 {
		t.Errorf("redirect_uri mismatch: %d", st)
	}
	if st, m := e.token(t, form("grant_type", "password"), true); st != 400 || m["error"] != "unsupported_grant_type" {
		t.Errorf("grant type: %d %v", st, m)
	}
}

func TestCodeExpiresAfterSixtySeconds(t *testing.T) {
	e := start(t, false)
	code := e.code(t, nil)
	*e.now = e.now.Add(61 * time.Second)
	if st, m := e.token(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), true); st != 400 || m["error"] != "invalid_grant" {
		t.Errorf("expired code: %d %v", st, m)
	}
}

func TestAuthorizationRefusals(t *testing.T) {
	e := start(t, false)
	get := func(q url.Values) *http.Response {
		resp, err := noRedirect.Get(e.issuer + "/protocol/openid-connect/auth?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	base := form("client_id", clientID, "redirect_uri", redirect, "response_type", "code", "scope", "openid", "state", "s")
	with := func(k, v string) url.Values {
		q := url.Values{}
		for kk, vv := range base {
			q[kk] = vv
		}
		q.Set(k, v)
		return q
	}
	if r := get(with("client_id", "stranger")); r.StatusCode != 400 || r.Header.Get("Location") != "" {
		t.Errorf("unknown client: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := get(with("redirect_uri", "https://evil.example/cb")); r.StatusCode != 400 || r.Header.Get("Location") != "" {
		t.Errorf("unregistered redirect: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	for k, v := range map[string]string{"response_type": "token", "scope": "profile"} {
		r := get(with(k, v))
		loc, _ := url.Parse(r.Header.Get("Location"))
		if r.StatusCode != 302 || loc.Query().Get("error") == "" || loc.Query().Get("state") != "s" {
			t.Errorf("%s=%s: %d %v", k, v, r.StatusCode, loc)
		}
	}
	// Wrong card code: the page again, nothing issued.
	if back := e.authorize(t, e.issuer+"/protocol/openid-connect/auth?"+base.Encode(), virginie, "0000", "sign-in"); back != nil {
		t.Errorf("a wrong card code signed in: %v", back)
	}
	// Cancel.
	back := e.authorize(t, e.issuer+"/protocol/openid-connect/auth?"+base.Encode(), virginie, "", "cancel")
	if back == nil || back.Query().Get("error") != "access_denied" || back.Query().Get("state") != "s" || back.Query().Get("iss") != e.issuer {
		t.Errorf("cancel: %v", back)
	}
}

func TestDiscoveryUnderBothNames(t *testing.T) {
	e := start(t, false)
	for _, name := range []string{"openid-configuration", "wallet-openid-configuration"} {
		resp, err := http.Get(e.issuer + "/.well-known/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var d map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&d)
		resp.Body.Close()
		if d["issuer"] != e.issuer || d["backchannel_logout_supported"] != true || d["end_session_endpoint"] == nil {
			t.Errorf("%s: %v", name, d)
		}
	}
}

func TestKeyIsPersisted(t *testing.T) {
	dir := t.TempDir()
	kid := func() string {
		p, err := pscsim.New(pscsim.Config{Issuer: "http://x/realm", KeyFile: filepath.Join(dir, "k.pem"),
			Clients: []pscsim.Client{{ID: "a", Secret: "b", RedirectURIs: []string{"http://y"}}}})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest("GET", "http://x/realm/protocol/openid-connect/certs", nil))
		var set struct{ Keys []struct{ Kid string } }
		_ = json.Unmarshal(rec.Body.Bytes(), &set)
		return set.Keys[0].Kid
	}
	first, second := kid(), kid()
	if first == "" || first != second {
		t.Errorf("kid changed across restarts: %q %q", first, second)
	}
	if fi, err := os.Stat(filepath.Join(dir, "k.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode: %v %v", fi, err)
	}
}

func TestLogoutAndBackchannel(t *testing.T) {
	e := start(t, false)
	code := e.code(t, nil)
	st, m := e.token(t, form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), true)
	if st != 200 {
		t.Fatal(st, m)
	}
	idToken := m["id_token"].(string)
	// Unregistered post-logout URI: a page, no redirect, session kept.
	resp, _ := noRedirect.Get(e.issuer + "/protocol/openid-connect/logout?" + form("id_token_hint", idToken, "post_logout_redirect_uri", "https://evil.example/").Encode())
	resp.Body.Close()
	if resp.StatusCode != 400 || len(e.p.Sessions()) != 1 {
		t.Fatalf("unregistered post-logout URI: %d, sessions %v", resp.StatusCode, e.p.Sessions())
	}
	resp, _ = noRedirect.Get(e.issuer + "/protocol/openid-connect/logout?" + form("id_token_hint", idToken, "post_logout_redirect_uri", "https://rp.example/bye", "state", "xyz").Encode())
	resp.Body.Close()
	if resp.StatusCode != 302 || resp.Header.Get("Location") != "https://rp.example/bye?state=xyz" {
		t.Fatalf("logout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if len(e.p.Sessions()) != 0 {
		t.Error("session not ended")
	}
	var lt string
	select {
	case lt = <-e.backchannel:
	case <-time.After(5 * time.Second):
		t.Fatal("no back-channel logout token")
	}
	keys := oidc.NewRemoteKeySet(context.Background(), e.issuer+"/protocol/openid-connect/certs")
	payload, err := keys.VerifySignature(context.Background(), lt)
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	_ = json.Unmarshal(payload, &claims)
	events, _ := claims["events"].(map[string]any)
	if _, ok := events["http://schemas.openid.net/event/backchannel-logout"]; !ok || claims["sid"] == nil || claims["nonce"] != nil || claims["aud"] != clientID {
		t.Errorf("logout token %v", claims)
	}
	// Its header names its type, as the spec recommends.
	hdr, _ := base64.RawURLEncoding.DecodeString(strings.Split(lt, ".")[0])
	if !strings.Contains(string(hdr), "logout+jwt") {
		t.Errorf("header %s", hdr)
	}
}
