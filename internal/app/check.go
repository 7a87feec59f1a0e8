package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/store"
)

// Check is one line of `infopatient check`: the command-line twin of the
// "Test Configuration" button of PSC's WordPress plugin.
type Check struct {
	Authority, What, Target string
	OK                      bool
	// Skipped: nothing was tried, on purpose; Detail says why.
	Skipped bool
	// Warning: it works, but needs attention soon (Detail says what).
	Warning bool
	Detail  string
}

// Checker runs `infopatient check` and changes nothing: the database is
// opened but not migrated, no demo data is seeded, no key file is written
// and no token is requested. A database that cannot be opened is one
// failed line; the authorities are checked all the same.
type Checker struct {
	cfg      *config.Config
	store    *store.Store // nil when the database could not be opened
	storeErr error
	// missing: the SQLite file does not exist yet (it is not created).
	missing string
	auth    *authorities
}

// NewChecker opens the database (without migrating it) and builds the
// authority clients as the portal would, the sandbox included in demo
// mode. It fails only when a client cannot be built from cfg.
func NewChecker(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*Checker, error) {
	c := &Checker{cfg: cfg}
	dsn := cfg.DSN()
	if cfg.DatabaseURL == "" {
		if _, err := os.Stat(dsn); errors.Is(err, os.ErrNotExist) {
			// Opening the file would create it: count the migrations on
			// an empty database in memory instead.
			c.missing, dsn = dsn, ":memory:"
		}
	}
	c.store, c.storeErr = store.Open(ctx, dsn)
	// No token store: a check requests no token.
	auth, err := newAuthorities(authorityDeps{cfg: cfg, logger: logger, now: time.Now, probe: true})
	if err != nil {
		_ = c.Close()
		return nil, err
	}
	c.auth = auth
	return c, nil
}

// Sandbox is the in-process sandbox in demo mode (nil otherwise): the
// demo's authorities, for the command to serve while it checks them when
// no portal already does.
func (c *Checker) Sandbox() http.Handler {
	if c.auth.sandbox == nil {
		return nil
	}
	return c.auth.sandbox
}

// Close releases the database.
func (c *Checker) Close() error {
	if c.store == nil {
		return nil
	}
	return c.store.Close()
}

// Checks reaches the database and every configured authority. Endpoints
// that need credentials are only probed for reachability: an answer such
// as 400 or 401 to an empty request proves the endpoint is there.
func (c *Checker) Checks(ctx context.Context) []Check {
	var out []Check
	add := func(ch ...Check) { out = append(out, ch...) }
	add(c.schemaCheck(ctx))
	add(planChecks(c.cfg.Plan())...)

	hc := &http.Client{Timeout: c.cfg.HTTPTimeout}
	if p := c.auth.psc; p != nil {
		add(pscChecks(ctx, p)...)
	}
	if pc := c.auth.pscContext; pc != nil {
		// 401 without a token proves the API is there.
		add(reachable(ctx, hc, "PSC context sharing", "share endpoint", pc.ShareURL(), http.MethodGet))
	}
	if c.auth.hinTokens != nil || c.auth.serviceTokens != nil {
		add(reachable(ctx, hc, "HIN", "token endpoint", c.auth.hin.TokenURL(), http.MethodPost))
	}
	if d := c.auth.hinDirectory; d != nil {
		// 400 without a token proves the profile endpoint is there.
		add(reachable(ctx, hc, "HIN directory", "profile endpoint", d.SelfURL(), http.MethodGet))
	}
	if cc := c.auth.covercard; cc != nil {
		add(reachable(ctx, hc, "Covercard", "validation servlet", cc.URL(), http.MethodGet))
	}
	if c.auth.insi != nil {
		add(insiCheck(ctx, c.auth.insi))
	}
	if rc := c.auth.rights; rc != nil {
		add(rightsCheck(ctx, rc))
	}
	if c.auth.serviceTokens != nil {
		// Asking for one would store it, and spend HIN's rate limit.
		add(Check{Authority: "HIN", What: "client credentials", Target: "Covercard access", Skipped: true,
			Detail: "configured; no token requested (the check changes nothing)"})
	}
	return out
}

// planChecks is a skipped line for each authority the plan turns off,
// saying why: the table then names every authority, reached or not.
func planChecks(plan config.Plan) []Check {
	var out []Check
	for _, r := range plan.All() {
		if r.Mode == config.Off {
			out = append(out, Check{Authority: r.Authority, What: "plan", Skipped: true, Detail: "off: " + r.Why})
		}
	}
	return out
}

func (c *Checker) schemaCheck(ctx context.Context) Check {
	ch := Check{Authority: "database", What: "schema", Target: c.cfg.DSN()}
	if c.cfg.DatabaseURL != "" {
		ch.Target = store.Postgres
	}
	if c.storeErr != nil {
		ch.Detail = "unreachable: " + c.storeErr.Error()
		return ch
	}
	cur, latest, err := c.store.SchemaVersion(ctx)
	switch {
	case err != nil:
		ch.Detail = err.Error()
	case cur < latest:
		ch.Detail = fmt.Sprintf("%d migrations pending (version %d of %d): run infopatient migrate", latest-cur, cur, latest)
		if c.missing != "" {
			ch.Detail = fmt.Sprintf("%d migrations pending: no database file yet: run infopatient migrate", latest-cur)
		}
	case cur > latest:
		ch.Detail = fmt.Sprintf("version %d is newer than this program's %d", cur, latest)
	default:
		ch.OK, ch.Detail = true, fmt.Sprintf("version %d of %d", cur, latest)
	}
	return ch
}

// pscChecks says whether discovery was fetched (and its issuer matched)
// or skipped, then probes the endpoints through the client's own HTTP
// client, which presents the client certificate when one is configured.
func pscChecks(ctx context.Context, p *psc.Client) []Check {
	const who = "Pro Santé Connect"
	ep, err := p.Discover(ctx)
	cfg := p.Config()
	disc := Check{Authority: who, What: "discovery", Target: cfg.DiscoveryURL}
	switch {
	case err != nil:
		disc.Detail = err.Error()
	case ep.Discovered:
		disc.OK, disc.Detail = true, "fetched; issuer "+p.Issuer()+" matches"
	default:
		disc.Skipped, disc.Detail = true, "not fetched: every endpoint is configured (the issuer is not confirmed by a document)"
	}
	out := append([]Check{disc}, certificateChecks(p.Config(), time.Now())...)
	if err != nil {
		return out
	}
	hc := p.HTTPClient()
	return append(out,
		jwksCheck(ctx, hc, ep.JWKS),
		reachable(ctx, hc, who, "token endpoint", ep.Token, http.MethodPost),
		reachable(ctx, hc, who, "userinfo", ep.Userinfo, http.MethodGet))
}

// certificateChecks: one line for the client certificate, when there is
// one; one warning line for each thing to fix before it bites (expiry
// within 30 days, a name that is not the client id).
func certificateChecks(cfg psc.Config, now time.Time) []Check {
	if cfg.ClientCertFile == "" {
		return nil
	}
	c := Check{Authority: "Pro Santé Connect", What: "client certificate", Target: cfg.ClientCertFile}
	warnings, err := psc.CertificateWarnings(cfg, now)
	switch {
	case err != nil:
		c.Detail = err.Error()
		return []Check{c}
	case len(warnings) == 0:
		c.OK, c.Detail = true, "valid for more than 30 days; names the client id"
		return []Check{c}
	}
	out := make([]Check, 0, len(warnings))
	for _, w := range warnings {
		failed := psc.CertificateExpired(w)
		out = append(out, Check{Authority: c.Authority, What: c.What, Target: c.Target, OK: !failed, Warning: !failed, Detail: w})
	}
	return out
}

func jwksCheck(ctx context.Context, hc *http.Client, target string) Check {
	c := Check{Authority: "Pro Santé Connect", What: "signing keys", Target: target}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		c.Detail = err.Error()
		return c
	}
	resp, err := hc.Do(req)
	if err != nil {
		c.Detail = "unreachable: " + shortErr(err)
		return c
	}
	defer resp.Body.Close()
	var set struct{ Keys []json.RawMessage }
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&set) != nil || len(set.Keys) == 0 {
		c.Detail = fmt.Sprintf("HTTP %d, no usable key set", resp.StatusCode)
		return c
	}
	c.OK, c.Detail = true, fmt.Sprintf("%d key(s)", len(set.Keys))
	return c
}

// reachable sends an empty request: any answer below 500 proves the
// endpoint is there and listening.
func reachable(ctx context.Context, hc *http.Client, authority, what, target, method string) Check {
	c := Check{Authority: authority, What: what, Target: target}
	if target == "" {
		c.Detail = "not configured"
		return c
	}
	req, err := http.NewRequestWithContext(ctx, method, target, strings.NewReader(url.Values{}.Encode()))
	if err != nil {
		c.Detail = err.Error()
		return c
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		c.Detail = "unreachable: " + shortErr(err)
		return c
	}
	resp.Body.Close()
	c.OK = resp.StatusCode < 500
	c.Detail = fmt.Sprintf("answers HTTP %d in %s", resp.StatusCode, time.Since(start).Round(time.Millisecond))
	return c
}

func shortErr(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return err.Error()
}
