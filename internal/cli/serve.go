package cli

import (
	"context"
	"fmt"
	"net"
	"os"

	"github.com/infopatient/infopatient/internal/app"
	"github.com/infopatient/infopatient/internal/config"
	"github.com/infopatient/infopatient/internal/demo"
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
		return err
	}
	return a.ListenAndServe(ctx, ln, func() { welcome(cfg, io) })
}

// welcome tells the person who just typed `go run` where to go and how to
// sign in.
func welcome(cfg *config.Config, io IO) {
	fmt.Fprintf(io.Out, "\nInfoPatient is ready: %s/\n", cfg.BaseURL)
	if !cfg.Demo {
		return
	}
	fmt.Fprintln(io.Out, "\nDemo mode: the Pro Santé Connect, HIN and Covercard sandboxes run in this process.")
	accounts, err := demo.Accounts()
	if err != nil {
		return
	}
	fmt.Fprintf(io.Out, "Local accounts (N° d'Assurance Maladie / mot de passe %q):\n", demo.Password)
	for _, a := range accounts {
		fmt.Fprintf(io.Out, "  %-10s %s %s, %s\n", a.Login, a.GivenName, a.FamilyName, a.Profession)
	}
	fmt.Fprintln(io.Out, "Stop with Ctrl-C.")
}
