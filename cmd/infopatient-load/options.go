package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Bounds of a run: a bench measurement, not an endurance test.
const (
	maxDuration = 5 * time.Minute
	maxWorkers  = 256
)

// Scenarios: which sign-in each journey uses.
const (
	scenarioLocal = "local" // N° d'Assurance Maladie and password
	scenarioPSC   = "psc"   // Pro Santé Connect, e-CPS test card on the sandbox's page
	scenarioMixed = "mixed" // the two in turn
)

// options is a validated command line.
type options struct {
	// bases are the instances, requests are spread over them in turn.
	bases []*url.URL
	// public is the portal URL the instances present (their
	// INFOPATIENT_BASE_URL): the authorities send the browser back there,
	// and the tool hands those requests to the instances in turn, as a
	// load balancer would.
	public   *url.URL
	duration time.Duration
	workers  int
	scenario string
	timeout  time.Duration
	journey  journeyData
}

// journeyData is who signs in and what they look up: the demo data by
// default.
type journeyData struct {
	logins    []string // local accounts, one per worker in turn
	password  string   // theirs
	idNat     string   // PSC test card, linked to an account
	nir, card string
	birthDate string // the NIR's beneficiary's
}

// errNotLoopback: the tool only measures servers on this machine.
var errNotLoopback = errors.New("not a loopback address (the load tool talks to this machine only)")

func parseOptions(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("infopatient-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bases := fs.String("base", "http://127.0.0.1:8080", "instance URLs, comma-separated (loopback only)")
	public := fs.String("public", "", "the instances' INFOPATIENT_BASE_URL when it differs from the first -base (loopback only)")
	duration := fs.Duration("duration", 20*time.Second, "how long to run (at most 5m)")
	workers := fs.Int("workers", 8, "simulated professionals working at once (1-256)")
	scenario := fs.String("scenario", scenarioMixed, "sign-in of each journey: local, psc or mixed")
	timeout := fs.Duration("timeout", 30*time.Second, "bound on each request")
	var j journeyData
	logins := fs.String("login", "751234567,756100001,691234561,931234565", "local accounts (N° d'Assurance Maladie), comma-separated: worker n signs in as the n-th, in turn")
	fs.StringVar(&j.password, "password", "infopatient", "their password")
	fs.StringVar(&j.idNat, "idnat", "899700218896", "Pro Santé Connect test card (idNat) linked to an account")
	fs.StringVar(&j.nir, "nir", "2 84 02 75 115 023", "NIR looked up")
	fs.StringVar(&j.birthDate, "birth-date", "1984-02-11", "date of birth of the NIR's beneficiary")
	fs.StringVar(&j.card, "card", "80756000000000000001", "Swiss insurance card looked up (Covercard)")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	o := options{duration: *duration, workers: *workers, scenario: *scenario, timeout: *timeout, journey: j}
	var problems []error
	for _, l := range strings.Split(*logins, ",") {
		if l = strings.TrimSpace(l); l != "" {
			o.journey.logins = append(o.journey.logins, l)
		}
	}
	if len(o.journey.logins) == 0 {
		problems = append(problems, errors.New("-login: give at least one account"))
	}
	for _, raw := range strings.Split(*bases, ",") {
		u, err := portalURL(strings.TrimSpace(raw))
		if err != nil {
			problems = append(problems, fmt.Errorf("-base: %w", err))
			continue
		}
		o.bases = append(o.bases, u)
	}
	switch {
	case *public != "":
		u, err := portalURL(*public)
		if err != nil {
			problems = append(problems, fmt.Errorf("-public: %w", err))
		}
		o.public = u
	case len(o.bases) > 0:
		o.public = o.bases[0]
	}
	if o.duration <= 0 || o.duration > maxDuration {
		problems = append(problems, fmt.Errorf("-duration %s: must be above 0 and at most %s", o.duration, maxDuration))
	}
	if o.workers < 1 || o.workers > maxWorkers {
		problems = append(problems, fmt.Errorf("-workers %d: must be 1 to %d", o.workers, maxWorkers))
	}
	if o.timeout <= 0 {
		problems = append(problems, fmt.Errorf("-timeout %s: must be above 0", o.timeout))
	}
	switch o.scenario {
	case scenarioLocal, scenarioPSC, scenarioMixed:
	default:
		problems = append(problems, fmt.Errorf("-scenario %q: local, psc or mixed", o.scenario))
	}
	return o, errors.Join(problems...)
}

// portalURL reads an instance or public URL: http(s), loopback, no path.
func portalURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute URL", raw)
	}
	if err := checkLoopback(u); err != nil {
		return nil, err
	}
	if strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("%q: give the portal's root URL, without path, query or credentials", raw)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// checkLoopback refuses any URL that is not http(s) on a loopback host.
// The dialer checks the address actually dialled too (see newTransport).
func checkLoopback(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%s://…: only http and https", u.Scheme)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Unmap().IsLoopback() {
		return fmt.Errorf("%s: %w", u.Host, errNotLoopback)
	}
	return nil
}
