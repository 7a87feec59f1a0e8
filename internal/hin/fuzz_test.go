package hin

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// answerTransport answers every request with a fixed response, followed
// by an echo of the request's body (as a careless server might do).
type answerTransport struct {
	status      int
	contentType string
	body        string
}

func (a answerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	req, _ := io.ReadAll(r.Body)
	return &http.Response{
		StatusCode: a.status,
		Header:     http.Header{"Content-Type": {a.contentType}, "Retry-After": {"2"}},
		Body:       io.NopCloser(strings.NewReader(a.body + string(req))),
		Request:    r,
	}, nil
}

// FuzzTokenAnswer feeds arbitrary token endpoint answers to the client:
// it yields a usable token or an error of exactly one category, and no
// error message carries the secret or the code.
func FuzzTokenAnswer(f *testing.F) {
	seeds := []struct {
		status      int
		contentType string
		body        string
	}{
		{200, "application/json", `{"access_token":"RsT5#+","expires_in":3600,"hin_id":"cmuster","token_type":"Bearer","refresh_token":"r#+"}`},
		{200, "application/json", `{"access_token":"a","expires_in":-5}`},
		{200, "application/json", `{"access_token":"a","expires_in":1e30,"hin_id":7}`},
		{200, "application/json", `{"access_token":"","error":"x"}`},
		{200, "text/plain", `access_token=a&expires_in=x`},
		{200, "application/x-www-form-urlencoded", `%zz`},
		{400, "application/json", `{"error":"invalid_grant"}`},
		{403, "text/html", `<html>`},
		{429, "application/json", `{}`},
		{502, "", ``},
		{199, "application/json", `null`},
	}
	for _, s := range seeds {
		f.Add(s.status, s.contentType, s.body)
	}
	const secret, code = "fuzz-secret-value", "fuzz-code-value"
	f.Fuzz(func(t *testing.T, status int, contentType, body string) {
		if status < 100 || status > 999 {
			return
		}
		base := &http.Client{Transport: answerTransport{status, contentType, body}}
		c := New(Config{TokenURL: "https://oauth2.hin.example/t", ClientID: "ch.x", ClientSecret: secret, RedirectURL: testRedirectURI}, base)
		tok, err := c.Exchange(context.Background(), code, false)
		if err == nil {
			if tok == nil || !usableToken(tok.AccessToken) || !tok.Expiry.After(c.cfg.Now()) {
				t.Fatalf("unusable token %v", tok)
			}
			return
		}
		if tok != nil {
			t.Fatal("token and error")
		}
		kinds := 0
		for _, k := range []error{ErrInvalidGrant, ErrUnavailable, ErrRejected} {
			if errors.Is(err, k) {
				kinds++
			}
		}
		if kinds != 1 {
			t.Fatalf("%d categories: %v", kinds, err)
		}
		if msg := err.Error(); strings.Contains(msg, secret) || strings.Contains(msg, code) {
			t.Fatalf("message reveals the request: %q", msg)
		}
	})
}

// FuzzDecodeProfile: SDS's answer never panics the decoder; an accepted
// profile has a login, a GLN only with its check digit, and no control
// character.
func FuzzDecodeProfile(f *testing.F) {
	f.Add([]byte(`{"loginName":"cmuster","contactId":{"firstName":"Claudia","gln":"7601001000018","dateOfBirth":"1970-03-04"}}`))
	f.Add([]byte(`{"loginName":"x","contactId":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodeProfile(data)
		if err != nil {
			return
		}
		if p.LoginName == "" || (p.GLN != "" && !ValidGLN(p.GLN)) {
			t.Fatalf("accepted %+v", p)
		}
		for _, s := range []string{p.LoginName, p.FirstName, p.LastName, p.VerificationLevel} {
			if strings.ContainsAny(s, "\x00\r\n\t") {
				t.Fatalf("control character in %q", s)
			}
		}
	})
}
