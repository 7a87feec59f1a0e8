package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Check is one line of `infopatient check`: the command-line twin of the
// "Test Configuration" button of PSC's WordPress plugin.
type Check struct {
	Authority, What, Target string
	OK                      bool
	Detail                  string
}

// Checks reaches the database and every configured authority. Endpoints
// that need credentials are only probed for reachability: an answer such
// as 400 or 401 to an empty request proves the endpoint is there.
func (a *App) Checks(ctx context.Context) []Check {
	var out []Check
	add := func(c Check) { out = append(out, c) }

	cur, latest, err := a.Store.SchemaVersion(ctx)
	add(Check{Authority: "database", What: "schema", Target: a.Store.Dialect(), OK: err == nil && cur == latest,
		Detail: detail(err, fmt.Sprintf("version %d of %d", cur, latest))})

	hc := &http.Client{Timeout: a.Config.HTTPTimeout}
	if p := a.auth.psc; p != nil {
		ep, err := p.Discover(ctx)
		add(Check{Authority: "Pro Santé Connect", What: "discovery", Target: p.Config().DiscoveryURL, OK: err == nil,
			Detail: detail(err, "issuer "+p.Issuer())})
		if err == nil {
			add(jwksCheck(ctx, hc, ep.JWKS))
			add(reachable(ctx, hc, "Pro Santé Connect", "token endpoint", ep.Token, http.MethodPost))
			add(reachable(ctx, hc, "Pro Santé Connect", "userinfo", ep.Userinfo, http.MethodGet))
		}
	}
	if a.auth.hin != nil || a.auth.serviceTokens != nil {
		add(reachable(ctx, hc, "HIN", "token endpoint", a.auth.hinTokenURL, http.MethodPost))
	}
	if a.auth.covercard != nil {
		add(reachable(ctx, hc, "Covercard", "validation servlet", a.auth.covercardURL, http.MethodGet))
	}
	if a.auth.serviceTokens != nil {
		_, err := a.auth.serviceTokens.Token(ctx)
		add(Check{Authority: "HIN", What: "client credentials", Target: "Covercard access", OK: err == nil, Detail: detail(err, "token obtained (or cached)")})
	}
	return out
}

func detail(err error, ok string) string {
	if err != nil {
		return err.Error()
	}
	return ok
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
