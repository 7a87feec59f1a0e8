package pscsim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
	"github.com/infopatient/infopatient/internal/testclock"
)

// Registered clients of the test provider.
const (
	clientID    = "rp"     // JSON userinfo, back-channel logout
	jwtClientID = "rp-jwt" // signed userinfo
	secret      = "rp-secret#+&"
	redirect    = "https://rp.example/callback"
	afterLogout = "https://rp.example/bye"
	virginie    = "899700218896"
	realmPath   = "/sandbox/psc/auth/realms/esante-wallet"
)

// keyFile is one signing key for every provider of the tests: generating
// an RSA key for each would make the package slow.
var keyFile string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pscsim-test-")
	if err != nil {
		panic(err)
	}
	keyFile = filepath.Join(dir, "psc.pem")
	if _, err := pscsim.New(pscsim.Config{Issuer: "https://psc.example/realm", KeyFile: keyFile}); err != nil {
		panic(err)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// env is a simulated PSC behind an httptest server, mounted under a path
// as in the portal, and a back-channel receiver.
type env struct {
	clock  *testclock.Clock
	p      *pscsim.Provider
	srv    *httptest.Server
	issuer string
	// backchannel receives the logout tokens posted to clientID.
	backchannel chan string
	// backchannelStatus is what the receiver answers.
	backchannelStatus atomic.Int64
}

func start(t *testing.T, mutate ...func(*pscsim.Config)) *env {
	t.Helper()
	e := &env{clock: testclock.New(time.Now()), backchannel: make(chan string, 8)}
	e.backchannelStatus.Store(http.StatusOK)
	bc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("back-channel content type %q", r.Header.Get("Content-Type"))
		}
		_ = r.ParseForm()
		e.backchannel <- r.PostForm.Get("logout_token")
		w.WriteHeader(int(e.backchannelStatus.Load()))
	}))
	t.Cleanup(bc.Close)
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	e.issuer = e.srv.URL + realmPath
	cfg := pscsim.Config{
		Issuer: e.issuer, KeyFile: keyFile, Professionals: professionals(t),
		Clients: []pscsim.Client{
			{ID: clientID, Secret: secret, RedirectURIs: []string{redirect}, PostLogoutRedirectURIs: []string{afterLogout}, BackchannelLogoutURI: bc.URL},
			{ID: jwtClientID, Secret: secret, RedirectURIs: []string{redirect}, UserinfoAsJWT: true},
		},
		SlowDelay: 10 * time.Second,
		Now:       e.clock.Now,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	var err error
	if e.p, err = pscsim.New(cfg); err != nil {
		t.Fatal(err)
	}
	mux.Handle("/sandbox/psc/", e.p)
	return e
}

func professionals(t *testing.T) []pscsim.Professional {
	t.Helper()
	pros, err := pscsim.LoadProfessionals(data.Files, "sandbox/psc-professionals.json")
	if err != nil {
		t.Fatal(err)
	}
	return pros
}

var (
	noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	pendingRE  = regexp.MustCompile(`name="pending" value="([^"]+)"`)
)

// page is an answer of the simulator, body read.
type page struct {
	status int
	header http.Header
	body   string
}

func (pg page) location(t *testing.T) *url.URL {
	t.Helper()
	u, err := url.Parse(pg.header.Get("Location"))
	if err != nil || pg.header.Get("Location") == "" {
		t.Fatalf("no redirect (status %d): %.300s", pg.status, pg.body)
	}
	return u
}

func do(t *testing.T, req *http.Request) page {
	t.Helper()
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func get(t *testing.T, rawURL string, header ...string) page {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func post(t *testing.T, rawURL string, form url.Values) page {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

func form(kv ...string) url.Values {
	out := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// with returns a copy of v with the pairs set.
func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	for k, vals := range form(kv...) {
		out[k] = vals
	}
	return out
}

func (e *env) authURL(q url.Values) string {
	return e.issuer + "/protocol/openid-connect/auth?" + q.Encode()
}

// authRequest is a valid authorization request of clientID.
func authRequest(kv ...string) url.Values {
	return with(form("client_id", clientID, "redirect_uri", redirect, "response_type", "code",
		"scope", "openid scope_all", "state", "st", "nonce", "nc", "acr_values", "eidas1"), kv...)
}

// pendingID opens the e-CPS page and reads the pending request's id.
func (e *env) pendingID(t *testing.T, q url.Values) string {
	t.Helper()
	pg := get(t, e.authURL(q))
	m := pendingRE.FindStringSubmatch(pg.body)
	if pg.status != http.StatusOK || m == nil {
		t.Fatalf("e-CPS page: %d %.300s", pg.status, pg.body)
	}
	return m[1]
}

// choose posts the e-CPS page's form.
func (e *env) choose(t *testing.T, pending, idNat, code, action string) page {
	t.Helper()
	return post(t, e.issuer+"/protocol/openid-connect/auth", form("pending", pending, "professional", idNat, "code", code, "action", action))
}

// code signs virginie in and returns the callback's query.
func (e *env) callback(t *testing.T, q url.Values) url.Values {
	t.Helper()
	pg := e.choose(t, e.pendingID(t, q), virginie, pscsim.CardCode, "sign-in")
	if pg.status != http.StatusFound {
		t.Fatalf("sign-in: %d %.300s", pg.status, pg.body)
	}
	return pg.location(t).Query()
}

func (e *env) code(t *testing.T, kv ...string) string {
	t.Helper()
	return e.callback(t, authRequest(kv...)).Get("code")
}

// tokenCall posts to the token endpoint; basic sends the client's
// credentials in the header, otherwise the form carries what it carries.
func (e *env) tokenCall(t *testing.T, v url.Values, basicID, basicSecret string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.issuer+"/protocol/openid-connect/token", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicID != "" {
		req.SetBasicAuth(url.QueryEscape(basicID), url.QueryEscape(basicSecret))
	}
	pg := do(t, req)
	var m map[string]any
	_ = json.Unmarshal([]byte(pg.body), &m)
	return pg.status, m, pg.header
}

// tokens exchanges a code of clientID with client_secret_basic.
func (e *env) tokens(t *testing.T, code string, kv ...string) map[string]any {
	t.Helper()
	st, m, _ := e.tokenCall(t, with(form("grant_type", "authorization_code", "code", code, "redirect_uri", redirect), kv...), clientID, secret)
	if st != http.StatusOK {
		t.Fatalf("token: %d %v", st, m)
	}
	return m
}

func (e *env) userinfo(t *testing.T, accessToken string) page {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.issuer+"/protocol/openid-connect/userinfo", nil)
	if accessToken != "" {
		req.Header.Set("Authorization", "Bearer "+accessToken)
	}
	return do(t, req)
}

func (e *env) jwks(t *testing.T) jose.JSONWebKeySet {
	t.Helper()
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(get(t, e.issuer+"/protocol/openid-connect/certs").body), &set); err != nil {
		t.Fatal(err)
	}
	return set
}

// inspect reads a token the simulator signed: its claims, its header's
// kid, and whether any published key verifies it.
func (e *env) inspect(t *testing.T, raw string) (claims map[string]any, kid string, verified bool) {
	t.Helper()
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("not a JWS: %v", err)
	}
	payload := jws.UnsafePayloadWithoutVerification()
	for _, k := range e.jwks(t).Keys {
		if _, err := jws.Verify(k.Key); err == nil {
			verified = true
		}
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return claims, jws.Signatures[0].Header.KeyID, verified
}
