package cluster

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/infopatient/infopatient/data"
	"github.com/infopatient/infopatient/internal/apptest"
	"github.com/infopatient/infopatient/internal/sandbox"
	"github.com/infopatient/infopatient/internal/secretbox"
	"github.com/infopatient/infopatient/internal/testdb"
)

// cluster is two portal instances on one PostgreSQL schema, behind one
// load balancer, talking to one set of simulators.
type cluster struct {
	t       *testing.T
	env     map[string]string // every instance's configuration
	a, b    *apptest.Portal
	lb      *balancer
	sandbox *sandbox.Sandbox
	gate    *tokenGate
}

// options tune the cluster a test needs.
type options struct {
	// env adds INFOPATIENT_* variables to both instances.
	env map[string]string
	// hinAccessTokenTTL shortens the simulated HIN's access tokens.
	hinAccessTokenTTL time.Duration
	// hinClientCredentialsInterval is the simulated HIN's rate limit on
	// client-credentials requests; HIN's 0.3/s when zero.
	hinClientCredentialsInterval time.Duration
	// hinDirectory points both instances at the sandbox's HIN directory,
	// whose authorization then follows every redirect HIN sign-in.
	hinDirectory bool
}

// startCluster starts the simulators, the load balancer and two instances.
// It skips the test unless TEST_DATABASE_URL names a PostgreSQL server.
func startCluster(t *testing.T, opts options) *cluster {
	t.Helper()
	dsn := testdb.URL(t)
	if dsn == "" {
		t.Skip("cross-instance tests need PostgreSQL: set TEST_DATABASE_URL=postgres://… (CI does)")
	}
	c := &cluster{t: t, gate: &tokenGate{}, lb: &balancer{}}
	t.Cleanup(c.gate.open)

	lbServer := httptest.NewServer(c.lb)
	t.Cleanup(lbServer.Close)
	c.lb.self = lbServer.URL

	// One set of simulators for both instances: their state (PSC sessions,
	// HIN grants, the rotating refresh tokens) is in memory, as at the real
	// authorities, which both instances share.
	var sb *sandbox.Sandbox
	sbServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.gate.wait(r)
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(sbServer.Close)
	sb, err := sandbox.New(sandbox.Config{
		BaseURL:           sbServer.URL + "/sandbox",
		PortalURL:         lbServer.URL, // the public URL both instances present
		Data:              data.Files,
		HTTPClient:        &http.Client{Timeout: 10 * time.Second},
		HINAccessTokenTTL: opts.hinAccessTokenTTL,

		HINClientCredentialsInterval: opts.hinClientCredentialsInterval,
	})
	if err != nil {
		t.Fatal(err)
	}
	c.sandbox = sb

	env := map[string]string{
		"INFOPATIENT_DATABASE_URL": dsn,
		// The same key on every instance: each reads the tokens another sealed.
		"INFOPATIENT_TOKEN_KEY": secretbox.EncodeKey(secretbox.GenerateKey()),
		"INFOPATIENT_BASE_URL":  lbServer.URL,

		"INFOPATIENT_PSC_ISSUER":        sb.PSCIssuer(),
		"INFOPATIENT_PSC_CLIENT_ID":     sandbox.PSCClientID,
		"INFOPATIENT_PSC_CLIENT_SECRET": sandbox.PSCClientSecret,
		"INFOPATIENT_PSC_CONTEXT_URL":   sb.PSCContextURL(),

		"INFOPATIENT_HIN_AUTHORIZE_URL": sb.HINAuthorizeURL(),
		"INFOPATIENT_HIN_TOKEN_URL":     sb.HINTokenURL(),
		"INFOPATIENT_HIN_MANUAL_URL":    sb.HINManualURL(),
		"INFOPATIENT_HIN_CLIENT_ID":     sandbox.HINClientID,
		"INFOPATIENT_HIN_CLIENT_SECRET": sandbox.HINClientSecret,

		"INFOPATIENT_COVERCARD_URL":           sb.CovercardURL(),
		"INFOPATIENT_COVERCARD_CLIENT_ID":     sandbox.CovercardClientID,
		"INFOPATIENT_COVERCARD_CLIENT_SECRET": sandbox.CovercardClientSecret,
	}
	if opts.hinDirectory {
		env["INFOPATIENT_HIN_SDS_URL"] = sb.HINSDSURL()
	}
	for k, v := range opts.env {
		env[k] = v
	}
	c.env = env
	// One after the other: the demo accounts are seeded by the first and
	// found by the second.
	c.a = c.start(nil)
	c.b = c.start(nil)
	c.lb.setTargets(c.a.URL, c.b.URL)
	return c
}

// start starts one more instance of the cluster, its configuration
// changed by override; the balancer does not send it requests until told.
func (c *cluster) start(override map[string]string) *apptest.Portal {
	env := make(map[string]string, len(c.env)+len(override))
	for k, v := range c.env {
		env[k] = v
	}
	for k, v := range override {
		env[k] = v
	}
	return apptest.Start(c.t, env)
}

// browser is a fresh browser whose relative paths go through the load
// balancer. Its cookies are sent to both instances too: they share a host
// (cookies ignore ports), as they share a name behind a real balancer.
func (c *cluster) browser() *apptest.Browser {
	return (&apptest.Portal{URL: c.lb.url()}).NewBrowser(c.t)
}

// portals are the two instances.
func (c *cluster) portals() []*apptest.Portal { return []*apptest.Portal{c.a, c.b} }

// on rewrites an absolute portal URL (the public base, or any instance)
// onto instance p, as a balancer would route it there.
func on(t *testing.T, p *apptest.Portal, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(p.URL)
	u.Scheme, u.Host = base.Scheme, base.Host
	return u.String()
}

// balancer is the load balancer in front of the instances: it hands
// requests to each of its targets in turn.
type balancer struct {
	self    string // its own URL, the portal's public base
	mu      sync.Mutex
	targets []*url.URL
	next    int
}

// setTargets sets the instances requests go to, as an operator puts
// instances in and out of the pool.
func (lb *balancer) setTargets(urls ...string) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	lb.targets = nil
	for _, s := range urls {
		u, _ := url.Parse(s)
		lb.targets = append(lb.targets, u)
	}
}

func (lb *balancer) url() string { return lb.self }

func (lb *balancer) pick() *url.URL {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	if len(lb.targets) == 0 {
		return nil
	}
	i := lb.next % len(lb.targets)
	lb.next++
	return lb.targets[i]
}

func (lb *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := lb.pick()
	if target == nil {
		http.Error(w, "no instance yet", http.StatusServiceUnavailable)
		return
	}
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.Host = pr.In.Host // the instances see the public host, as behind nginx
		pr.SetXForwarded()
	}}
	proxy.ServeHTTP(w, r)
}

// tokenGate holds the simulated HIN's (or PSC's) answers to token requests of one
// grant type until opened, so that a test can make the second instance
// need a token while the first one's request is still in flight.
type tokenGate struct {
	mu      sync.Mutex
	grant   string
	arrived chan string
	release chan struct{}
	once    *sync.Once
}

// hold starts holding token requests of grant; each one that arrives is
// reported on the returned channel (with the path it was sent to).
func (g *tokenGate) hold(grant string) <-chan string {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.grant = grant
	g.arrived = make(chan string, 16)
	g.release = make(chan struct{})
	g.once = &sync.Once{}
	return g.arrived
}

// open lets the held requests, and every later one, through.
func (g *tokenGate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.once != nil {
		g.once.Do(func() { close(g.release) })
	}
	g.grant = ""
}

func (g *tokenGate) wait(r *http.Request) {
	g.mu.Lock()
	grant, arrived, release := g.grant, g.arrived, g.release
	g.mu.Unlock()
	tokenEndpoint := strings.Contains(r.URL.Path, "/OAuth/GetAccessToken") || // HIN's
		strings.HasSuffix(r.URL.Path, "/protocol/openid-connect/token") // PSC's
	if grant == "" || r.Method != http.MethodPost || !tokenEndpoint {
		return
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return
	}
	form, _ := url.ParseQuery(string(body))
	if form.Get("grant_type") != grant {
		return
	}
	select {
	case arrived <- r.URL.Path:
	default:
	}
	<-release
}
