package cli

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime"
	"strings"

	"github.com/infopatient/infopatient/internal/app"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/demo"
	"github.com/infopatient/infopatient/internal/pprofserve"
	"github.com/infopatient/infopatient/internal/sandbox"
)

func serve(ctx context.Context, cfg *config.Config, args []string, io IO) error {
	if len(args) > 0 {
		return usageError("usage: infopatient serve")
	}
	sampleHeapProfile(cfg.PprofAddr != "")
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
	mln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		_ = ln.Close()
		return fmt.Errorf("INFOPATIENT_METRICS_ADDR: %w", err)
	}
	if cfg.PprofAddr != "" {
		pln, err := net.Listen("tcp", cfg.PprofAddr)
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("INFOPATIENT_PPROF_ADDR: %w", err)
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			if err := pprofserve.Serve(ctx, pln, logger); err != nil {
				logger.Warn("pprof listener stopped", "err", err)
			}
		}()
	}
	return a.Run(ctx, ln, mln, func() { welcome(cfg, a.Sandbox, io) })
}

// sampleHeapProfile keeps Go's heap profile only where it can be read,
// on the pprof listener. Otherwise its samples would cost a stack walk
// each and a table of stacks that stays resident: 0.5 – 0.7 MB under
// load (docs/benchmarks.md, sixth pass).
func sampleHeapProfile(pprofServed bool) {
	if !pprofServed {
		runtime.MemProfileRate = 0
	}
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
	plan := cfg.Plan()
	p, h, c := plan.PSC, plan.HIN, plan.Covercard
	sandboxURL := cfg.BaseURL + "/sandbox/"
	if p.Simulated() && h.Simulated() && c.Simulated() {
		fmt.Fprintf(io.Out, "\nDemo mode: Pro Santé Connect, HIN and Covercard are simulated in this process (%s).\n", sandboxURL)
	} else {
		if p.Simulated() || h.Simulated() || c.Simulated() {
			fmt.Fprintf(io.Out, "\nDemo mode, with configured authorities; the sandbox (%s) stands in for the others:\n", sandboxURL)
		} else {
			fmt.Fprintf(io.Out, "\nDemo mode, every authority configured; the sandbox (%s) stands in for none:\n", sandboxURL)
		}
		fmt.Fprintf(io.Out, "  Pro Santé Connect: %s\n", p)
		if h.Simulated() && c.Simulated() {
			fmt.Fprintf(io.Out, "  HIN and Covercard: %s\n", h)
		} else {
			fmt.Fprintf(io.Out, "  HIN: %s\n  Covercard: %s\n", h, c)
		}
	}
	if !plan.INSi.Simulated() {
		// A simulated INSi goes without saying in demo mode.
		fmt.Fprintf(io.Out, "  INSi (INS by traits): %s\n", plan.INSi)
	}
	if !plan.Rights.Simulated() {
		fmt.Fprintf(io.Out, "  ADRi (French rights): %s\n", plan.Rights)
	}
	// Context sharing and HIN's directory follow PSC and HIN: said when
	// they do not simply go with the sandbox's.
	if !plan.PSCContext.Simulated() {
		fmt.Fprintf(io.Out, "  PSC context sharing: %s\n", plan.PSCContext)
	}
	if !plan.HINDirectory.Simulated() {
		fmt.Fprintf(io.Out, "  HIN directory (name, GLN): %s\n", plan.HINDirectory)
	}
	if sb != nil {
		fmt.Fprintf(io.Out, "Sandbox index, test identities and cards: %s\n", sb.URL())
		if p.Simulated() {
			fmt.Fprintf(io.Out, "Pro Santé Connect sessions (sign one out to show back-channel logout): %s\n", sb.PSCSessionsURL())
		}
	}
	fmt.Fprintf(io.Out, "\nSign in with a local account — N° d'Assurance Maladie, password %q:\n", demo.Password)
	for _, a := range accounts {
		fmt.Fprintf(io.Out, "  %-10s %s %s, %s\n", a.Login, strings.ToUpper(a.GivenName), strings.ToUpper(a.FamilyName), a.Profession)
	}
	fmt.Fprintln(io.Out)
	switch {
	case p.Simulated() && h.Simulated():
		fmt.Fprint(io.Out, `Or press "SE CONNECTER par e-CPS", choose VIRGINIE MEDECIN and type the test card code 1234;
or "SE CONNECTER avec HIN" and choose Dr. Claudia Muster (cmuster).
`)
	case p.Simulated():
		fmt.Fprintln(io.Out, `Or press "SE CONNECTER par e-CPS", choose VIRGINIE MEDECIN and type the test card code 1234.`)
	case h.Simulated():
		fmt.Fprintln(io.Out, `Or press "SE CONNECTER avec HIN" and choose Dr. Claudia Muster (cmuster).`)
	}
	// The demo's French patients are the ADRi sandbox's: a NIR is looked
	// up with the date of birth.
	french := "NIR 2 84 02 75 115 023, born 1984-02-11 (France)"
	if !plan.Rights.Simulated() {
		french = ""
	}
	switch {
	case c.Simulated():
		fmt.Fprint(io.Out, "Patients: ", strings.TrimPrefix(french+", ", ", "), `card 80756000000000000001 (Switzerland, valid),
          80756000000000000003 (blocked). More in README.md.
`)
	case french != "":
		fmt.Fprintln(io.Out, "Patients: "+french+". More in README.md.")
	}
	fmt.Fprintln(io.Out, "Stop with Ctrl-C.")
}

// addrError names the variable that chooses the portal's address when it
// cannot be listened on (most often: the port is taken).
func addrError(addr string, err error) error {
	return fmt.Errorf("INFOPATIENT_ADDR=%s cannot be used (%w): is the port taken by another program? Set INFOPATIENT_ADDR to another address, e.g. INFOPATIENT_ADDR=127.0.0.1:8081", addr, err)
}
