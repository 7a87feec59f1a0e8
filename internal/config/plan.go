package config

import (
	"cmp"
	"net"
	"net/url"

	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/psc"
)

// Mode is how the portal reaches an outside authority.
type Mode int

const (
	// Off: the portal does without it; Reach.Why says why.
	Off Mode = iota
	// Configured: the real one, at Reach.URL.
	Configured
	// Simulated: the demo's in-process sandbox stands in for it.
	Simulated
)

// Reach is the plan for one authority: configured (where), simulated,
// or off (why).
type Reach struct {
	Authority string // as people call it: "Pro Santé Connect"
	Mode      Mode
	URL       string // Configured: where it is
	Why       string // Off: why, and how to turn it on
}

// Simulated reports whether the demo's sandbox stands in for it.
func (r Reach) Simulated() bool { return r.Mode == Simulated }

// String is the banner's wording: "URL (configured)", "simulated in
// this process" or "off (why)".
func (r Reach) String() string {
	switch r.Mode {
	case Configured:
		return r.URL + " (configured)"
	case Simulated:
		return "simulated in this process"
	}
	return "off (" + r.Why + ")"
}

// Plan says, for each outside authority, how the portal reaches it. It
// is computed once, by Config.Plan; the wiring (internal/app), the
// start-up banner and `infopatient check` all read it, none decides.
type Plan struct {
	PSC       Reach
	HIN       Reach
	Covercard Reach
	INSi      Reach
	// Rights is ADRi, French patients' rights.
	Rights Reach
	// PSCContext is ANS's context-sharing API; HINDirectory is HIN's
	// directory (SDS). They follow PSC and HIN: the sandbox's stand in
	// only beside the sandbox's PSC and HIN, whose tokens they accept.
	PSCContext   Reach
	HINDirectory Reach
}

// All lists the plan in the banner's order, each authority before what
// follows it.
func (p Plan) All() []Reach {
	return []Reach{p.PSC, p.PSCContext, p.HIN, p.HINDirectory, p.Covercard, p.INSi, p.Rights}
}

// Plan computes how each authority is reached. A configured authority
// always wins; in demo mode the sandbox stands in for the others, unless
// a line says why it must not. Each authority is one line; the next ones
// add one line each (and a field to Plan), for instance:
//
//	INSi:    c.reach("INSi", c.INSi.URL, "INFOPATIENT_INSI_URL", ""),
//	Rights:  c.reach("ADRi", c.Rights.URL, "INFOPATIENT_ADRI_URL", ""),
//	Context: c.reach("PSC context sharing", c.Context.URL, "INFOPATIENT_PSC_CONTEXT_URL", ""),
//	HINDir:  c.reach("HIN directory", c.HINDir.URL, "INFOPATIENT_HIN_DIRECTORY_URL", swissOnly("…")),
//
// HIN and Covercard are simulated together or not at all: a token of
// the sandbox's HIN opens only the sandbox's Covercard, and a real HIN
// token must never reach the sandbox. That rule is stated here only.
func (c *Config) Plan() Plan {
	swissConfigured := c.HIN.Configured() || c.Covercard.Configured()
	swissOnly := func(why string) string {
		if swissConfigured {
			return why
		}
		return ""
	}
	followsPSC := ""
	if c.PSC.Configured() {
		followsPSC = "Pro Santé Connect is the configured one, and the sandbox's API would refuse its tokens"
	}
	p := Plan{
		PSCContext: c.reach("PSC context sharing", c.PSCContext.URL, "INFOPATIENT_PSC_CONTEXT_URL", followsPSC),
		HINDirectory: c.reach("HIN directory", c.HINDirectory.URL, "INFOPATIENT_HIN_SDS_URL",
			swissOnly("HIN or Covercard is the configured one, and a real HIN token must not reach the sandbox")),
		PSC: c.reach("Pro Santé Connect", pscLocation(c.PSC), "INFOPATIENT_PSC_CLIENT_ID", ""),
		HIN: c.reach("HIN", hinLocation(c.HIN), "INFOPATIENT_HIN_CLIENT_ID",
			swissOnly("Covercard is the configured one, and would refuse the sandbox's HIN tokens")),
		Covercard: c.reach("Covercard", c.Covercard.URL, "INFOPATIENT_COVERCARD_URL",
			swissOnly("HIN is the configured one, and its tokens must not go to the sandbox's Covercard")),
		// The sandbox's INSi takes the certificate name from a header,
		// over plain HTTP on loopback only (a demo served elsewhere shows
		// no certificate it could check).
		INSi: c.reach("INSi", c.INSi.URL, "INFOPATIENT_INSI_URL", notLoopback(c.BaseURL,
			"the demo is not served over plain HTTP on loopback, where the sandbox's INSi takes its certificate name")),
		Rights: c.reach("ADRi", c.ADRi.URL, "INFOPATIENT_ADRI_URL", ""),
	}
	if p.HIN.Mode == Off && p.HINDirectory.Mode != Off {
		// The directory is read with a token of a HIN sign-in's second
		// authorization: without HIN sign-in, nothing reads it.
		p.HINDirectory = Reach{Authority: p.HINDirectory.Authority, Mode: Off,
			Why: "HIN sign-in is off, and the directory is read during a HIN sign-in"}
	}
	return p
}

// reach is one authority's plan: configured at url when url is set;
// else, in demo mode, simulated unless notSimulated says why not; else
// off until variable is set.
func (c *Config) reach(authority, url, variable, notSimulated string) Reach {
	r := Reach{Authority: authority}
	switch {
	case url != "":
		r.Mode, r.URL = Configured, url
	case !c.Demo:
		r.Why = "not configured: set " + variable
	case notSimulated != "":
		r.Why = notSimulated
	default:
		r.Mode = Simulated
	}
	return r
}

// pscLocation names the configured Pro Santé Connect: its issuer (the
// environment's preset when not given), else the endpoint configured;
// "" when none is configured.
func pscLocation(p PSC) string {
	if !p.Configured() {
		return ""
	}
	if p.Issuer != "" {
		return p.Issuer
	}
	if preset, err := psc.Preset(p.Env); err == nil {
		return preset.Issuer
	}
	return cmp.Or(p.DiscoveryURL, p.AuthorizeURL, "INFOPATIENT_PSC_*")
}

// hinLocation is where professionals sign in with the configured HIN
// (production's when not given); "" when none is configured.
func hinLocation(h HIN) string {
	if !h.Configured() {
		return ""
	}
	return cmp.Or(h.AuthorizeURL, hin.DefaultAuthorizeURL)
}

// notLoopback is why, when raw is not a plain-HTTP loopback address; ""
// when it is.
func notLoopback(raw, why string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return why
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback()) {
		return ""
	}
	return why
}
