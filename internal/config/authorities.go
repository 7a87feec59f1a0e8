package config

import (
	"net/url"
	"slices"
	"strings"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/secretbox"
)

func loadPSC(l *loader) PSC {
	p := PSC{
		Env:            l.oneOf("INFOPATIENT_PSC_ENV", "", "", "bas", "prod"),
		Issuer:         l.str("INFOPATIENT_PSC_ISSUER", ""),
		DiscoveryURL:   l.str("INFOPATIENT_PSC_DISCOVERY_URL", ""),
		AuthorizeURL:   l.str("INFOPATIENT_PSC_AUTHORIZE_URL", ""),
		TokenURL:       l.str("INFOPATIENT_PSC_TOKEN_URL", ""),
		UserinfoURL:    l.str("INFOPATIENT_PSC_USERINFO_URL", ""),
		JWKSURL:        l.str("INFOPATIENT_PSC_JWKS_URL", ""),
		EndSessionURL:  l.str("INFOPATIENT_PSC_END_SESSION_URL", ""),
		ClientID:       l.str("INFOPATIENT_PSC_CLIENT_ID", ""),
		ClientSecret:   l.secret("INFOPATIENT_PSC_CLIENT_SECRET"),
		AuthMethod:     l.oneOf("INFOPATIENT_PSC_AUTH_METHOD", "basic", "basic", "post"),
		ClientCertFile: l.str("INFOPATIENT_PSC_CLIENT_CERT", ""),
		ClientKeyFile:  l.str("INFOPATIENT_PSC_CLIENT_KEY", ""),
		// A PKCS#12 certificate's password (NAME or NAME_FILE).
		ClientCertPassword: l.secret("INFOPATIENT_PSC_CLIENT_CERT_PASSWORD"),
		Scopes:             strings.Fields(l.str("INFOPATIENT_PSC_SCOPES", "openid scope_all")),
		ACRValues:          l.oneOf("INFOPATIENT_PSC_ACR_VALUES", "eidas1", "eidas1", "eidas2", "eidas3"),
	}
	// A slice, not a map: the problems come out in the same order every run.
	for _, u := range []struct{ name, value string }{
		{"INFOPATIENT_PSC_ISSUER", p.Issuer}, {"INFOPATIENT_PSC_DISCOVERY_URL", p.DiscoveryURL},
		{"INFOPATIENT_PSC_AUTHORIZE_URL", p.AuthorizeURL}, {"INFOPATIENT_PSC_TOKEN_URL", p.TokenURL},
		{"INFOPATIENT_PSC_USERINFO_URL", p.UserinfoURL}, {"INFOPATIENT_PSC_JWKS_URL", p.JWKSURL},
		{"INFOPATIENT_PSC_END_SESSION_URL", p.EndSessionURL},
	} {
		l.absURL(u.name, u.value)
	}
	if p.ClientID == "" {
		// Without a client id PSC stays on the sandbox (or off): variables
		// meant for a real provider would be ignored without a word.
		if set := l.setAmong(pscProviderVariables...); len(set) > 0 {
			verb := "is"
			if len(set) > 1 {
				verb = "are"
			}
			l.problem("INFOPATIENT_PSC_CLIENT_ID", "%s %s set but INFOPATIENT_PSC_CLIENT_ID is not (set it to sign in with that provider, or unset them)", strings.Join(set, ", "), verb)
		}
	}
	if p.ClientID != "" {
		if p.Issuer == "" && p.Env == "" {
			l.problem("INFOPATIENT_PSC_ISSUER", "required with INFOPATIENT_PSC_CLIENT_ID (or set INFOPATIENT_PSC_ENV=bas|prod)")
		}
		if p.ClientSecret == "" && p.ClientCertFile == "" {
			l.problem("INFOPATIENT_PSC_CLIENT_SECRET", "required with INFOPATIENT_PSC_CLIENT_ID (or a client certificate)")
		}
	}
	// A PKCS#12 file (.p12, .pfx, as ANS delivers certificates) holds
	// its key, opened with the password; PEM takes a key file.
	switch p12 := psc.IsPKCS12(p.ClientCertFile); {
	case p12 && p.ClientKeyFile != "":
		l.problem("INFOPATIENT_PSC_CLIENT_KEY", "a PKCS#12 certificate (.p12, .pfx) holds its key: leave INFOPATIENT_PSC_CLIENT_KEY unset")
	case !p12 && (p.ClientCertFile == "") != (p.ClientKeyFile == ""):
		l.problem("INFOPATIENT_PSC_CLIENT_CERT", "INFOPATIENT_PSC_CLIENT_CERT and INFOPATIENT_PSC_CLIENT_KEY go together (or give a .p12 certificate)")
	case !p12 && p.ClientCertPassword != "":
		l.problem("INFOPATIENT_PSC_CLIENT_CERT_PASSWORD", "goes with a PKCS#12 certificate (.p12, .pfx) only")
	}
	if !slices.Contains(p.Scopes, "openid") {
		l.problem("INFOPATIENT_PSC_SCOPES", "must contain openid")
	}
	return p
}

// pscProviderVariables describe a real provider: they mean nothing without
// INFOPATIENT_PSC_CLIENT_ID. The scopes and acr_values also tune the
// demo's sandbox, so they are not among them.
var pscProviderVariables = []string{
	"INFOPATIENT_PSC_ENV", "INFOPATIENT_PSC_ISSUER", "INFOPATIENT_PSC_DISCOVERY_URL",
	"INFOPATIENT_PSC_AUTHORIZE_URL", "INFOPATIENT_PSC_TOKEN_URL", "INFOPATIENT_PSC_USERINFO_URL",
	"INFOPATIENT_PSC_JWKS_URL", "INFOPATIENT_PSC_END_SESSION_URL",
	"INFOPATIENT_PSC_CLIENT_SECRET", "INFOPATIENT_PSC_CLIENT_SECRET_FILE", "INFOPATIENT_PSC_AUTH_METHOD",
	"INFOPATIENT_PSC_CLIENT_CERT", "INFOPATIENT_PSC_CLIENT_KEY",
	"INFOPATIENT_PSC_CLIENT_CERT_PASSWORD", "INFOPATIENT_PSC_CLIENT_CERT_PASSWORD_FILE",
}

func loadHIN(l *loader) HIN {
	h := HIN{
		AuthorizeURL: l.str("INFOPATIENT_HIN_AUTHORIZE_URL", ""),
		TokenURL:     l.str("INFOPATIENT_HIN_TOKEN_URL", ""),
		ManualURL:    l.str("INFOPATIENT_HIN_MANUAL_URL", ""),
		ClientID:     l.str("INFOPATIENT_HIN_CLIENT_ID", ""),
		ClientSecret: l.secret("INFOPATIENT_HIN_CLIENT_SECRET"),
		TokenGroup:   l.str("INFOPATIENT_HIN_TOKEN_GROUP", hin.DefaultTokenGroup),
	}
	l.endpoint("INFOPATIENT_HIN_AUTHORIZE_URL", h.AuthorizeURL, hin.CheckEndpoint)
	l.endpoint("INFOPATIENT_HIN_TOKEN_URL", h.TokenURL, hin.CheckEndpoint)
	l.endpoint("INFOPATIENT_HIN_MANUAL_URL", h.ManualURL, hin.CheckManualURL)
	l.tokenGroup("INFOPATIENT_HIN_TOKEN_GROUP", h.TokenGroup)
	if h.ClientID != "" && h.ClientSecret == "" {
		l.problem("INFOPATIENT_HIN_CLIENT_SECRET", "required with INFOPATIENT_HIN_CLIENT_ID")
	}
	return h
}

// CovercardLangues are the values of Covercard's langue parameter: 1
// (German) is what every known client sends, 3 is the seed's example; 2
// completes the country's three official languages.
var CovercardLangues = []string{"1", "2", "3"}

func loadCovercard(l *loader) Covercard {
	c := Covercard{
		URL:          l.str("INFOPATIENT_COVERCARD_URL", ""),
		Langue:       l.oneOf("INFOPATIENT_COVERCARD_LANGUE", "1", CovercardLangues...),
		ClientID:     l.str("INFOPATIENT_COVERCARD_CLIENT_ID", ""),
		ClientSecret: l.secret("INFOPATIENT_COVERCARD_CLIENT_SECRET"),
		TokenGroup:   l.str("INFOPATIENT_COVERCARD_TOKEN_GROUP", hin.DefaultTokenGroup),
	}
	l.endpoint("INFOPATIENT_COVERCARD_URL", c.URL, hin.CheckEndpoint)
	l.tokenGroup("INFOPATIENT_COVERCARD_TOKEN_GROUP", c.TokenGroup)
	if (c.ClientID == "") != (c.ClientSecret == "") {
		l.problem("INFOPATIENT_COVERCARD_CLIENT_ID", "INFOPATIENT_COVERCARD_CLIENT_ID and INFOPATIENT_COVERCARD_CLIENT_SECRET go together")
	}
	return c
}

// endpoint checks an optional URL of HIN or Covercard with check: https,
// or plain http on a loopback address only (the sandbox).
func (l *loader) endpoint(name, value string, check func(string) error) {
	if value == "" {
		return
	}
	if err := check(value); err != nil {
		shown := value
		if u, perr := url.Parse(value); perr == nil && u.User != nil {
			shown = u.Redacted()
		}
		l.problem(name, "%q %v", shown, err)
	}
}

func (l *loader) tokenGroup(name, value string) {
	if !hin.ValidTokenGroup(value) {
		l.problem(name, "%q %v", value, hin.ErrTokenGroup)
	}
}

// key reads a secretbox key (base64 of 32 bytes), NAME or NAME_FILE.
// bad says a problem was reported for it (the key is then nil).
func (l *loader) key(name string) (k []byte, bad bool) {
	before := len(l.problems)
	v := l.secret(name)
	switch {
	case len(l.problems) > before: // both set, or the file unreadable
		return nil, true
	case v == "" && l.set(name+"_FILE"):
		l.problem(name+"_FILE", "the file is empty")
		return nil, true
	case v == "":
		return nil, false
	}
	k, err := secretbox.ParseKey(v)
	if err != nil {
		// The message says what a key is, never what was read.
		l.problem(name, "not a key: %v (generate one with: openssl rand -base64 32)", err)
		return nil, true
	}
	return k, false
}
