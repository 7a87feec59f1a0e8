package psc_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox/pscsim"
)

const (
	clientID    = "infopatient-test"
	secret      = "s3cret#+&"
	virginie    = "899700218896"
	redirect    = "https://portal.example/auth/psc/callback"
	afterLogout = "https://portal.example/auth/psc/logout-callback"
	realm       = "/psc/auth/realms/esante-wallet"
)

// rp is a relying party wired to a simulated Pro Santé Connect.
type rp struct {
	sim     *pscsim.Provider
	client  *psc.Client
	cfg     psc.Config
	srv     *httptest.Server
	issuer  string
	browser *http.Client
	// paths records the paths the simulator was asked for.
	paths *pathLog
	// inspect, when set, sees each request before the simulator does.
	inspect func(*http.Request)
}

type pathLog struct {
	mu   sync.Mutex
	seen []string
}

func (l *pathLog) add(p string) {
	l.mu.Lock()
	l.seen = append(l.seen, p)
	l.mu.Unlock()
}

func (l *pathLog) count(suffix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, p := range l.seen {
		if strings.HasSuffix(p, suffix) {
			n++
		}
	}
	return n
}

// setup changes the test's provider and client before they start.
type setup struct {
	client func(*psc.Config)
	sim    func(*pscsim.Client)
	// simConfig changes the simulator's configuration (clock, lifetimes).
	simConfig func(*pscsim.Config)
	tls       bool          // serve the provider over TLS, asking for client certificates
	slow      time.Duration // how late the simulator's Slow… answers come; 5 s when zero
}

// keyFile is one signing key for every simulated provider of the tests:
// generating an RSA key for each would make the package slow.
var keyFile string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "psc-test-")
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

func newRP(t testing.TB, s setup) *rp {
	t.Helper()
	r := &rp{paths: &pathLog{}}
	mux := http.NewServeMux()
	handler := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.paths.add(req.URL.Path)
		if r.inspect != nil {
			r.inspect(req)
		}
		mux.ServeHTTP(w, req)
	})
	if s.tls {
		r.srv = httptest.NewUnstartedServer(handler)
		r.srv.TLS = tlsRequestingClientCerts()
		r.srv.StartTLS()
		browser := *r.srv.Client()
		r.browser = &browser
	} else {
		r.srv = httptest.NewServer(handler)
		r.browser = &http.Client{}
	}
	t.Cleanup(r.srv.Close)
	r.browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	r.issuer = r.srv.URL + realm
	pros, err := pscsim.LoadProfessionals(data.Files, "sandbox/psc-professionals.json")
	if err != nil {
		t.Fatal(err)
	}
	simClient := pscsim.Client{ID: clientID, Secret: secret, RedirectURIs: []string{redirect}, PostLogoutRedirectURIs: []string{afterLogout}}
	if s.sim != nil {
		s.sim(&simClient)
	}
	slow := s.slow
	if slow == 0 {
		slow = 5 * time.Second
	}
	simCfg := pscsim.Config{Issuer: r.issuer, KeyFile: keyFile, Professionals: pros, SlowDelay: slow, Clients: []pscsim.Client{simClient}}
	if s.simConfig != nil {
		s.simConfig(&simCfg)
	}
	r.sim, err = pscsim.New(simCfg)
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/psc/", r.sim)
	r.cfg = psc.Config{Issuer: r.issuer, ClientID: clientID, ClientSecret: secret, RedirectURL: redirect,
		PostLogoutRedirectURL: afterLogout, HTTPTimeout: time.Second}
	if s.client != nil {
		s.client(&r.cfg)
	}
	var base *http.Client
	if s.tls {
		base = r.srv.Client() // trusts the test server's certificate
	}
	if r.client, err = psc.New(r.cfg, base); err != nil {
		t.Fatal(err)
	}
	return r
}

var pendingRE = regexp.MustCompile(`name="pending" value="([^"]+)"`)

// atProvider drives the e-CPS page from an authorization URL: picks the
// card, types its code, and returns the callback's query.
func (r *rp) atProvider(t testing.TB, authURL, idNat string) url.Values {
	t.Helper()
	resp, err := r.browser.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := pendingRE.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no e-CPS page: %d %.200s", resp.StatusCode, body)
	}
	target, _ := url.Parse(authURL)
	target.RawQuery = ""
	resp, err = r.browser.PostForm(target.String(), url.Values{"pending": {string(m[1])}, "professional": {idNat}, "code": {pscsim.CardCode}, "action": {"sign-in"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("no redirect back: %d", resp.StatusCode)
	}
	return loc.Query()
}

// attempt is one login attempt's secrets, kept server-side by the portal.
type attempt struct{ state, nonce, verifier string }

func newAttempt() attempt {
	return attempt{state: oauth2.GenerateVerifier()[:16], nonce: oauth2.GenerateVerifier()[:16], verifier: oauth2.GenerateVerifier()}
}

// callback signs idNat in and returns the attempt and the callback query.
func (r *rp) callback(t testing.TB, idNat string) (attempt, url.Values) {
	t.Helper()
	a := newAttempt()
	authURL, err := r.client.AuthCodeURL(context.Background(), a.state, a.nonce, a.verifier)
	if err != nil {
		t.Fatal(err)
	}
	q := r.atProvider(t, authURL, idNat)
	if q.Get("state") != a.state {
		t.Fatalf("state %q came back as %q", a.state, q.Get("state"))
	}
	return a, q
}

// login is a whole sign-in of virginie.
func (r *rp) login(t *testing.T) (*psc.Login, error) {
	t.Helper()
	a, q := r.callback(t, virginie)
	return r.client.Exchange(context.Background(), q.Get("code"), a.verifier, a.nonce, q.Get("iss"))
}
