package cli

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/infopatient/infopatient/internal/app"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/hin"
	"github.com/infopatient/infopatient/internal/psc"
	"github.com/infopatient/infopatient/internal/sandbox"
)

func serve(ctx context.Context, cfg *config.Config, args []string, io IO) error {
	if len(args) > 0 {
		return usageError("usage: infopatient serve")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return err
	}
	logger := app.NewLogger(cfg, io.Err)
	a, err := app.New(ctx, cfg, logger, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return addrError(cfg.Addr, err)
	}
	var mln net.Listener
	if cfg.MetricsAddr != "" {
		if mln, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			_ = ln.Close()
			return fmt.Errorf("INFOPATIENT_METRICS_ADDR: %w", err)
		}
	}
	return a.Run(ctx, ln, mln, func() { welcome(cfg, a.Sandbox, io) })
}

// welcome tells the person who just typed `go run` where to go and how to
// sign in; in demo mode, sb is the sandbox serving beside the portal.
func welcome(cfg *config.Config, sb *sandbox.Sandbox, io IO) {
	fmt.Fprintf(io.Out, "\nInfoPatient is ready: %s/\n", cfg.BaseURL)
	if !cfg.Demo {
		return
	}
	accounts, err := demo.Accounts()
	if err != nil {
		return
	}
	p, h, c := demoAuthorities(cfg)
	sandboxURL := cfg.BaseURL + "/sandbox/"
	if p.simulated() && h.simulated() && c.simulated() {
		fmt.Fprintf(io.Out, "\nDemo mode: Pro Santé Connect, HIN and Covercard are simulated in this process (%s).\n", sandboxURL)
	} else {
		if p.simulated() || h.simulated() || c.simulated() {
			fmt.Fprintf(io.Out, "\nDemo mode, with configured authorities; the sandbox (%s) stands in for the others:\n", sandboxURL)
		} else {
			fmt.Fprintf(io.Out, "\nDemo mode, every authority configured; the sandbox (%s) stands in for none:\n", sandboxURL)
		}
		fmt.Fprintf(io.Out, "  Pro Santé Connect: %s\n", p)
		if h.simulated() && c.simulated() {
			fmt.Fprintf(io.Out, "  HIN and Covercard: %s\n", h)
		} else {
			fmt.Fprintf(io.Out, "  HIN: %s\n  Covercard: %s\n", h, c)
		}
	}
	if sb != nil {
		fmt.Fprintf(io.Out, "Sandbox index, test identities and cards: %s\n", sb.URL())
		if p.simulated() {
			fmt.Fprintf(io.Out, "Pro Santé Connect sessions (sign one out to show back-channel logout): %s\n", sb.PSCSessionsURL())
		}
	}
	fmt.Fprintf(io.Out, "\nSign in with a local account — N° d'Assurance Maladie, password %q:\n", demo.Password)
	for _, a := range accounts {
		fmt.Fprintf(io.Out, "  %-10s %s %s, %s\n", a.Login, strings.ToUpper(a.GivenName), strings.ToUpper(a.FamilyName), a.Profession)
	}
	fmt.Fprintln(io.Out)
	switch {
	case p.simulated() && h.simulated():
		fmt.Fprint(io.Out, `Or press "SE CONNECTER par e-CPS", choose VIRGINIE MEDECIN and type the test card code 1234;
or "SE CONNECTER avec HIN" and choose Dr. Claudia Muster (cmuster).
`)
	case p.simulated():
		fmt.Fprintln(io.Out, `Or press "SE CONNECTER par e-CPS", choose VIRGINIE MEDECIN and type the test card code 1234.`)
	case h.simulated():
		fmt.Fprintln(io.Out, `Or press "SE CONNECTER avec HIN" and choose Dr. Claudia Muster (cmuster).`)
	}
	if c.simulated() {
		fmt.Fprint(io.Out, `Patients: NIR 2 84 02 75 115 023 (France), card 80756000000000000001 (Switzerland, valid),
          80756000000000000003 (blocked). More in README.md.
`)
	} else {
		fmt.Fprintln(io.Out, "Patients: NIR 2 84 02 75 115 023 (France). More in README.md.")
	}
	fmt.Fprintln(io.Out, "Stop with Ctrl-C.")
}

// authorityUse is how the demo reaches an outside party: the configured
// one at url, the sandbox's, or neither (off, and why).
type authorityUse struct {
	url, off string
}

func (a authorityUse) simulated() bool { return a.url == "" && a.off == "" }

func (a authorityUse) String() string {
	switch {
	case a.url != "":
		return a.url + " (configured)"
	case a.off != "":
		return "off (" + a.off + ")"
	}
	return "simulated in this process"
}

// demoAuthorities says, in demo mode, which authorities are the
// configured ones and which the sandbox's, as config.Config.Simulated
// has the application wire them.
func demoAuthorities(cfg *config.Config) (pscUse, hinUse, covercardUse authorityUse) {
	simPSC, simPair := cfg.Simulated()
	if !simPSC {
		pscUse.url = pscLocation(cfg.PSC)
	}
	if simPair {
		return pscUse, hinUse, covercardUse
	}
	// Not simulated, each of the pair is the configured one or off.
	if cfg.HIN.Configured() {
		hinUse.url = cmp.Or(cfg.HIN.AuthorizeURL, hin.DefaultAuthorizeURL)
	} else {
		hinUse.off = "Covercard is the configured one, and would refuse the sandbox's HIN tokens"
	}
	if cfg.Covercard.Configured() {
		covercardUse.url = cfg.Covercard.URL
	} else {
		covercardUse.off = "HIN is the configured one, and its tokens must not go to the sandbox's Covercard"
	}
	return pscUse, hinUse, covercardUse
}

// pscLocation names the configured Pro Santé Connect: its issuer (the
// environment's preset when not given), else the endpoint configured.
func pscLocation(c config.PSC) string {
	if c.Issuer != "" {
		return c.Issuer
	}
	if preset, err := psc.Preset(c.Env); err == nil {
		return preset.Issuer
	}
	return cmp.Or(c.DiscoveryURL, c.AuthorizeURL, "INFOPATIENT_PSC_*")
}

// addrError names the variable that chooses the portal's address when it
// cannot be listened on (most often: the port is taken).
func addrError(addr string, err error) error {
	return fmt.Errorf("INFOPATIENT_ADDR=%s cannot be used (%w): is the port taken by another program? Set INFOPATIENT_ADDR to another address, e.g. INFOPATIENT_ADDR=127.0.0.1:8081", addr, err)
}
