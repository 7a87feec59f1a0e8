package psc_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

func TestLogoutURL(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	login, err := r.login(t)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := r.client.LogoutURL(context.Background(), login.RawIDToken, "bye-state")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(raw)
	q := u.Query()
	if u.Scheme+"://"+u.Host+u.Path != r.issuer+"/protocol/openid-connect/logout" || q.Get("id_token_hint") != login.RawIDToken ||
		q.Get("post_logout_redirect_uri") != afterLogout || q.Get("state") != "bye-state" || q.Get("client_id") != clientID {
		t.Errorf("logout URL %s", raw)
	}
	// The provider accepts it: its session ends and the browser comes back.
	resp, err := r.browser.Get(raw)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != afterLogout+"?state=bye-state" || len(r.sim.Sessions()) != 0 {
		t.Errorf("logout: %d %q, sessions %v", resp.StatusCode, resp.Header.Get("Location"), r.sim.Sessions())
	}
}

// The provider's back-channel post, as it arrives, is accepted and names
// the session that signed in.
func TestBackchannelLogoutFromTheProvider(t *testing.T) {
	t.Parallel()
	received := make(chan string, 1)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		v, _ := url.ParseQuery(string(body))
		received <- v.Get("logout_token")
	}))
	t.Cleanup(receiver.Close)
	r := newRP(t, setup{sim: func(c *pscsim.Client) { c.BackchannelLogoutURI = receiver.URL }})
	login, err := r.login(t)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.sim.EndSession(context.Background(), login.SID); err != nil {
		t.Fatal(err)
	}
	var raw string
	select {
	case raw = <-received:
	case <-time.After(5 * time.Second):
		t.Fatal("no logout token")
	}
	lt, err := r.client.VerifyLogoutToken(context.Background(), raw)
	if err != nil || lt.SID != login.SID || lt.Subject != login.Subject {
		t.Errorf("%+v %v", lt, err)
	}
	// What makes the token act once: its jti until its expiry, its iat.
	if lt.JTI == "" || lt.Issuer == "" || lt.IssuedAt.IsZero() || !lt.Expiry.After(lt.IssuedAt) {
		t.Errorf("logout token without its jti, issuer, iat or exp: %+v", lt)
	}
}

func TestLogoutTokenRules(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	event := map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}}
	base := func() map[string]any {
		now := time.Now()
		return map[string]any{"iss": r.issuer, "aud": clientID, "iat": now.Unix(), "exp": now.Add(2 * time.Minute).Unix(),
			"jti": "j1", "sid": "s1", "sub": "f:1:899700218896", "events": event}
	}
	for _, tc := range []struct {
		name   string
		mutate func(map[string]any)
		accept bool
	}{
		{"sound", func(map[string]any) {}, true},
		{"sid only", func(c map[string]any) { delete(c, "sub") }, true},
		{"sub only, audience array", func(c map[string]any) { delete(c, "sid"); c["aud"] = []string{"other", clientID} }, true},
		{"with a nonce", func(c map[string]any) { c["nonce"] = "n" }, false},
		{"with an empty nonce", func(c map[string]any) { c["nonce"] = "" }, false},
		{"without events", func(c map[string]any) { delete(c, "events") }, false},
		{"another event", func(c map[string]any) { c["events"] = map[string]any{"urn:other": map[string]any{}} }, false},
		{"event not an object", func(c map[string]any) {
			c["events"] = map[string]any{"http://schemas.openid.net/event/backchannel-logout": "yes"}
		}, false},
		{"neither sid nor sub", func(c map[string]any) { delete(c, "sid"); delete(c, "sub") }, false},
		{"without iat", func(c map[string]any) { delete(c, "iat") }, false},
		{"without exp", func(c map[string]any) { delete(c, "exp") }, false},
		{"expired", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }, false},
		{"without jti", func(c map[string]any) { delete(c, "jti") }, false},
		{"another issuer", func(c map[string]any) { c["iss"] = "https://evil.example" }, false},
		{"another audience", func(c map[string]any) { c["aud"] = "another-client" }, false},
	} {
		claims := base()
		tc.mutate(claims)
		tok, err := r.sim.Sign(claims)
		if err != nil {
			t.Fatal(err)
		}
		lt, err := r.client.VerifyLogoutToken(context.Background(), tok)
		if tc.accept && (err != nil || (lt.SID == "" && lt.Subject == "")) {
			t.Errorf("%s: refused: %v", tc.name, err)
		}
		if !tc.accept && !errors.Is(err, psc.ErrRejected) {
			t.Errorf("%s: got %v", tc.name, err)
		}
	}
	good, _ := r.sim.Sign(base())
	parts := strings.Split(good, ".")
	for name, tok := range map[string]string{
		"bad signature":     parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])),
		"alg none":          "eyJhbGciOiJub25lIn0." + parts[1] + ".",
		"HS256":             "eyJhbGciOiJIUzI1NiJ9." + parts[1] + "." + parts[2],
		"not a JWT":         "not.a.jwt",
		"empty":             "",
		"an ID token's sig": parts[0] + "." + parts[1],
	} {
		if _, err := r.client.VerifyLogoutToken(context.Background(), tok); !errors.Is(err, psc.ErrRejected) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Keys that cannot be fetched make a logout token unverifiable for now,
// not forged.
func TestLogoutTokenWithKeysDown(t *testing.T) {
	t.Parallel()
	r := newRP(t, setup{})
	tok, err := r.sim.LogoutToken(clientID, "s1", "")
	if err != nil {
		t.Fatal(err)
	}
	r.sim.Misbehave("", pscsim.JWKSServerError, false)
	if _, err := r.client.VerifyLogoutToken(context.Background(), tok); !errors.Is(err, psc.ErrUnavailable) {
		t.Errorf("JWKS down: %v", err)
	}
	if lt, err := r.client.VerifyLogoutToken(context.Background(), tok); err != nil || lt.SID != "s1" {
		t.Errorf("JWKS back: %+v %v", lt, err)
	}
}
